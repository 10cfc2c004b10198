//! Operators and plans: the public catalogue and its admin routes.

use api_tests::{TestApp, both};
use reqwest::StatusCode;
use serde_json::json;

both!(
    public_catalogue_lists_documented_operators,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let operators = app.get("/api/operators", None).await;
        assert_eq!(operators.status, StatusCode::OK);
        let list = operators.body.as_array().unwrap();
        let names: Vec<_> = list.iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Orange CI", "MTN", "Moov"]);
        assert_eq!(list[0]["code"], "ORANGE");
        assert_eq!(list[0]["prefixes"], json!(["07"]));
        assert!(list[0]["created_at"].as_str().unwrap().ends_with('Z'));
        let one = app.get("/api/operators/2", None).await;
        assert_eq!(one.body["name"], "MTN");
        let missing = app.get("/api/operators/99", None).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.body, json!({"error": "Opérateur non trouvé"}));
        assert_eq!(
            app.get("/api/operators/abc", None).await.status,
            StatusCode::BAD_REQUEST
        );
    }
);

both!(admin_manages_operators, |app: TestApp| async move {
    app.seed_catalogue().await;
    let admin = app.admin().await;
    let client = app.login("0701020304").await;
    let body = json!({"name": "Telecel", "code": "TELECEL", "prefixes": ["09"]});
    assert_eq!(
        app.post("/api/operators", None, body.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refused = app
        .post("/api/operators", Some(&client.token), body.clone())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let created = app
        .post("/api/operators", Some(&admin.token), body.clone())
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["id"], 4);
    assert_eq!(created.body["prefixes"], json!(["09"]));
    let duplicate = app.post("/api/operators", Some(&admin.token), body).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    let invalid = app
        .post(
            "/api/operators",
            Some(&admin.token),
            json!({"name": "X", "code": "X", "prefixes": ["9"]}),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert_eq!(invalid.body["error"], "Données invalides");

    let updated = app
        .put(
            "/api/operators/1",
            Some(&admin.token),
            json!({"name": "Orange Côte d'Ivoire", "prefixes": ["07", "17"]}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.body["name"], "Orange Côte d'Ivoire");
    assert_eq!(updated.body["code"], "ORANGE");
    assert_eq!(updated.body["prefixes"], json!(["07", "17"]));
    let missing = app
        .put(
            "/api/operators/99",
            Some(&admin.token),
            json!({"name": "Y"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // Orange has plans: refused with the documented message, and still there.
    let in_use = app.delete("/api/operators/1", Some(&admin.token)).await;
    assert_eq!(in_use.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        in_use.body,
        json!({"error": "Impossible de supprimer cet opérateur car il est utilisé dans des plans ou des commandes"})
    );
    assert_eq!(
        app.get("/api/operators/1", None).await.status,
        StatusCode::OK
    );
    let deleted = app.delete("/api/operators/4", Some(&admin.token)).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(
        deleted.body,
        json!({"message": "Opérateur supprimé avec succès"})
    );
    assert_eq!(
        app.get("/api/operators/4", None).await.status,
        StatusCode::NOT_FOUND
    );
    // Its code is free again.
    let again = app
        .post(
            "/api/operators",
            Some(&admin.token),
            json!({"name": "Telecel", "code": "TELECEL", "prefixes": ["09"]}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
});

both!(plans_are_listed_with_filters, |app: TestApp| async move {
    app.seed_catalogue().await;
    let all = app.get("/api/plans", None).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body.as_array().unwrap().len(), 9);
    let first = &all.body[0];
    assert_eq!(first["id"], 1);
    assert_eq!(first["operator_id"], 1);
    assert_eq!(first["operator_name"], "Orange CI");
    assert_eq!(first["name"], "Recharge 1000 FCFA");
    assert_eq!(first["type"], "credit");
    assert_eq!(first["validity_days"], json!(null));
    assert_eq!(first["active"], true);
    let raw = app
        .client
        .get(format!("{}/api/plans/1", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(raw.contains("\"price\":1000.00"), "{raw}");

    let orange_credit = app
        .get("/api/plans?operator_id=1&type=credit&active=true", None)
        .await;
    let ids: Vec<_> = orange_credit
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1]);
    let internet = app.get("/api/plans?type=internet", None).await;
    assert_eq!(internet.body.as_array().unwrap().len(), 3);
    assert!(
        internet
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["type"] == "internet")
    );
    let inactive = app.get("/api/plans?active=false", None).await;
    assert_eq!(inactive.body, json!([]));
    for bad in ["type=sms", "active=maybe", "operator_id=x"] {
        let reply = app.get(&format!("/api/plans?{bad}"), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let one = app.get("/api/plans/5", None).await;
    assert_eq!(one.body["operator_name"], "MTN");
    let missing = app.get("/api/plans/99", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body, json!({"error": "Plan non trouvé"}));
});

both!(
    admin_creates_updates_and_deletes_plans,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let admin = app.admin().await;
        let staff = app.staff().await;
        let body = json!({
            "operator_id": 1, "name": "Recharge 5000 FCFA",
            "description": "Crédit de communication de 5000 FCFA",
            "price": 5000.00, "type": "credit", "validity_days": null, "active": true
        });
        assert_eq!(
            app.post("/api/plans", Some(&staff.token), body.clone())
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let created = app.post("/api/plans", Some(&admin.token), body).await;
        assert_eq!(created.status, StatusCode::CREATED);
        assert_eq!(created.body["id"], 10);
        assert_eq!(created.body["price"], 5000.0);
        assert!(
            created.body.get("operator_name").is_none(),
            "as documented, create answers without it"
        );
        for bad in [
            json!({"operator_id": 1, "name": "X", "price": -5, "type": "credit"}),
            json!({"operator_id": 1, "name": "X", "price": 10.123, "type": "credit"}),
            json!({"operator_id": 1, "name": "X", "price": 10, "type": "sms"}),
            json!({"operator_id": 1, "price": 10, "type": "credit"}),
            json!({"operator_id": "1", "name": "X", "price": 10, "type": "credit"}),
        ] {
            let reply = app
                .post("/api/plans", Some(&admin.token), bad.clone())
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        }
        let no_operator = app
            .post(
                "/api/plans",
                Some(&admin.token),
                json!({"operator_id": 99, "name": "X", "price": 10, "type": "credit"}),
            )
            .await;
        assert_eq!(no_operator.status, StatusCode::NOT_FOUND);

        let updated = app
            .put(
                "/api/plans/10",
                Some(&admin.token),
                json!({"price": 4500.5, "active": false, "operator_id": 2}),
            )
            .await;
        assert_eq!(updated.status, StatusCode::OK);
        assert_eq!(updated.body["price"], 4500.5);
        assert_eq!(updated.body["active"], false);
        assert_eq!(updated.body["operator_name"], "MTN");
        // Switched off, the plan is the admin's to see, no longer the public's.
        let mtn = app
            .get("/api/plans?operator_id=2", Some(&admin.token))
            .await;
        assert!(mtn.body.as_array().unwrap().iter().any(|p| p["id"] == 10));
        let public = app.get("/api/plans?operator_id=2", None).await;
        assert!(
            !public
                .body
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == 10)
        );
        let orange = app
            .get("/api/plans?operator_id=1", Some(&admin.token))
            .await;
        assert!(
            !orange
                .body
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == 10)
        );

        let deleted = app.delete("/api/plans/10", Some(&admin.token)).await;
        assert_eq!(deleted.status, StatusCode::OK);
        assert_eq!(
            app.get("/api/plans/10", None).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.delete("/api/plans/10", Some(&admin.token)).await.status,
            StatusCode::NOT_FOUND
        );

        // An operator whose plans are all gone can be deleted.
        let telecel = app
            .post(
                "/api/operators",
                Some(&admin.token),
                json!({"name": "Telecel", "code": "TELECEL", "prefixes": ["09"]}),
            )
            .await;
        let id = telecel.body["id"].as_i64().unwrap();
        let plan = app
            .post(
                "/api/plans",
                Some(&admin.token),
                json!({"operator_id": id, "name": "P", "price": 100, "type": "minutes"}),
            )
            .await;
        let plan_id = plan.body["id"].as_i64().unwrap();
        let blocked = app
            .delete(&format!("/api/operators/{id}"), Some(&admin.token))
            .await;
        assert_eq!(blocked.status, StatusCode::BAD_REQUEST);
        app.delete(&format!("/api/plans/{plan_id}"), Some(&admin.token))
            .await;
        let freed = app
            .delete(&format!("/api/operators/{id}"), Some(&admin.token))
            .await;
        assert_eq!(freed.status, StatusCode::OK);
    }
);

// Regression (found by scripts/fuzz-openapi.sh): serde read `null` as an absent field, so an
// update could not clear `description` or `validity_days` (as documented), and `null` passed
// for fields that may not be null.
both!(
    plan_update_clears_nullable_fields_and_refuses_other_nulls,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let admin = app.admin().await;
        let set = app
            .put(
                "/api/plans/2",
                Some(&admin.token),
                json!({"description": "1Go", "validity_days": 7}),
            )
            .await;
        assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
        let cleared = app
            .put(
                "/api/plans/2",
                Some(&admin.token),
                json!({"description": null, "validity_days": null}),
            )
            .await;
        assert_eq!(cleared.status, StatusCode::OK, "{:?}", cleared.body);
        assert_eq!(cleared.body["description"], json!(null));
        assert_eq!(cleared.body["validity_days"], json!(null));
        let stored = app.get("/api/plans/2", None).await;
        assert_eq!(stored.body["description"], json!(null));
        assert_eq!(stored.body["validity_days"], json!(null));
        for field in ["operator_id", "name", "price", "type", "active"] {
            let reply = app
                .put("/api/plans/2", Some(&admin.token), json!({ field: null }))
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field}");
            assert_eq!(reply.body["error"], "Données invalides", "{field}");
        }
        let created = app
            .post(
                "/api/plans",
                Some(&admin.token),
                json!({"operator_id": 1, "name": "P", "price": 100, "type": "credit",
                       "active": null}),
            )
            .await;
        assert_eq!(created.status, StatusCode::BAD_REQUEST);
        assert_eq!(created.body["details"], "active doit être un booléen");
    }
);

// Regression (found by scripts/fuzz-openapi.sh): an array body was read as the plan's fields
// in order and created a plan; a tiny number (`5e-324`) was refused as "not a number".
both!(
    plan_create_refuses_arrays_and_says_why_an_amount_is_refused,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let admin = app.admin().await;
        let array = app
            .raw(
                reqwest::Method::POST,
                "/api/plans",
                Some(&admin.token),
                r#"[1, "Seq plan", null, 100, "credit", null, true]"#,
            )
            .await;
        assert_eq!(array.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            array.body["details"],
            "Le corps de la requête doit être un objet JSON"
        );
        assert_eq!(
            app.get("/api/plans", None)
                .await
                .body
                .as_array()
                .unwrap()
                .len(),
            9
        );
        for (price, details) in [
            ("5e-324", "price: le montant doit avoir au plus 2 décimales"),
            ("1e21", "price: le montant est hors limites"),
            ("\" 100\"", "price: le montant doit être un nombre"),
        ] {
            let reply = app
                .raw(
                    reqwest::Method::POST,
                    "/api/plans",
                    Some(&admin.token),
                    &format!(
                        r#"{{"operator_id": 1, "name": "P", "price": {price}, "type": "credit"}}"#
                    ),
                )
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{price}");
            assert_eq!(reply.body["details"], details, "{price}");
        }
    }
);

both!(
    names_that_hide_or_reorder_text_are_refused,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let admin = app.admin().await;
        let reversed = app
            .post(
                "/api/operators",
                Some(&admin.token),
                json!({"name": "Orange\u{202E}IC", "code": "ORX", "prefixes": ["08"]}),
            )
            .await;
        assert_eq!(reversed.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            reversed.body["details"],
            "name ne doit contenir ni caractère de contrôle ni caractère de direction"
        );
        let renamed = app
            .put(
                "/api/operators/1",
                Some(&admin.token),
                json!({"name": "Orange\u{0007}"}),
            )
            .await;
        assert_eq!(renamed.status, StatusCode::BAD_REQUEST);
        let plan = app
            .post(
                "/api/plans",
                Some(&admin.token),
                json!({"operator_id": 1, "name": "Pass \u{2066}1000", "price": 1000,
                       "type": "credit"}),
            )
            .await;
        assert_eq!(plan.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            plan.body["details"],
            "name ne doit contenir ni caractère de contrôle ni caractère de direction"
        );
        // Accents and a description's line breaks are text like any other.
        let fine = app
            .post(
                "/api/plans",
                Some(&admin.token),
                json!({"operator_id": 1, "name": "Forfait été", "price": 1000,
                       "type": "credit", "description": "Valable 7 jours.\nRenouvelable."}),
            )
            .await;
        assert_eq!(fine.status, StatusCode::CREATED, "{:?}", fine.body);
        let operators = app.get("/api/operators/1", None).await;
        assert_eq!(operators.body["name"], "Orange CI", "nothing renamed");
    }
);

both!(
    a_number_names_its_operator_and_its_active_plans,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let admin = app.admin().await;
        let detected = app
            .get(
                "/api/operators/detect?phone=%2B225%2007%2001%2002%2003%2004",
                None,
            )
            .await;
        assert_eq!(detected.status, StatusCode::OK, "{:?}", detected.body);
        assert_eq!(detected.body["operator"]["name"], "Orange CI");
        let plans = detected.body["plans"].as_array().unwrap();
        assert!(!plans.is_empty());
        assert!(
            plans
                .iter()
                .all(|p| p["operator_id"] == detected.body["operator"]["id"]
                    && p["active"] == true
                    && p["operator_name"] == "Orange CI")
        );
        // A plan switched off is no longer offered.
        let first = plans[0]["id"].as_i64().unwrap();
        let off = app
            .put(
                &format!("/api/plans/{first}"),
                Some(&admin.token),
                json!({"active": false}),
            )
            .await;
        assert_eq!(off.status, StatusCode::OK);
        let again = app
            .get("/api/operators/detect?phone=0701020304", None)
            .await;
        let ids: Vec<_> = again.body["plans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert!(!ids.contains(&first), "{ids:?}");
        assert_eq!(ids.len(), plans.len() - 1);

        let unknown = app
            .get("/api/operators/detect?phone=0901020304", None)
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(
            unknown.body,
            json!({"error": "Aucun opérateur pour ce numéro"})
        );
        let missing = app.get("/api/operators/detect", None).await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert_eq!(missing.body["details"], "Le paramètre phone est requis");
        let short = app.get("/api/operators/detect?phone=0701", None).await;
        assert_eq!(short.status, StatusCode::BAD_REQUEST);
    }
);

both!(no_two_operators_share_a_prefix, |app: TestApp| async move {
    app.seed_catalogue().await;
    let admin = app.admin().await;
    let clash = app
        .post(
            "/api/operators",
            Some(&admin.token),
            json!({"name": "Orange bis", "code": "ORANGE2", "prefixes": ["09", "07"]}),
        )
        .await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert_eq!(
        clash.body,
        json!({"error": "Un autre opérateur utilise déjà l'un de ces préfixes"})
    );
    let operators = app.get("/api/operators", None).await;
    assert_eq!(
        operators.body.as_array().unwrap().len(),
        3,
        "nothing written"
    );

    let telecel = app
        .post(
            "/api/operators",
            Some(&admin.token),
            json!({"name": "Telecel", "code": "TELECEL", "prefixes": ["09"]}),
        )
        .await;
    assert_eq!(telecel.status, StatusCode::CREATED);
    let id = telecel.body["id"].as_i64().unwrap();
    let path = format!("/api/operators/{id}");
    let taken = app
        .put(&path, Some(&admin.token), json!({"prefixes": ["09", "05"]}))
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    // Moving to a free prefix frees the old one for another operator.
    let moved = app
        .put(&path, Some(&admin.token), json!({"prefixes": ["08"]}))
        .await;
    assert_eq!(moved.status, StatusCode::OK);
    assert_eq!(moved.body["prefixes"], json!(["08"]));
    let other = app
        .post(
            "/api/operators",
            Some(&admin.token),
            json!({"name": "Nouvel", "code": "NOUVEL", "prefixes": ["09"]}),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED, "{:?}", other.body);
    // Deleting an operator frees its prefixes.
    let gone = app.delete(&path, Some(&admin.token)).await;
    assert_eq!(gone.status, StatusCode::OK);
    let reused = app
        .post(
            "/api/operators",
            Some(&admin.token),
            json!({"name": "Encore", "code": "ENCORE", "prefixes": ["08"]}),
        )
        .await;
    assert_eq!(reused.status, StatusCode::CREATED);
});

both!(
    the_public_catalogue_shows_active_plans_and_an_admin_every_plan,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let admin = app.admin().await;
        let client = app.login("0701020304").await;
        let off = app
            .put("/api/plans/2", Some(&admin.token), json!({"active": false}))
            .await;
        assert_eq!(off.status, StatusCode::OK);
        let ids = |reply: &api_tests::Reply| -> Vec<i64> {
            reply
                .body
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_i64().unwrap())
                .collect()
        };
        let public = app.get("/api/plans", None).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(!ids(&public).contains(&2) && ids(&public).len() == 8);
        let by_client = app.get("/api/plans", Some(&client.token)).await;
        assert_eq!(ids(&by_client), ids(&public));
        let asked = app
            .get("/api/plans?active=false", Some(&client.token))
            .await;
        assert_eq!(asked.status, StatusCode::OK);
        assert!(ids(&asked).is_empty());
        // A stale or forged token on this public route is an anonymous caller, as before.
        let forged = app.get("/api/plans", Some("not-a-token")).await;
        assert_eq!(forged.status, StatusCode::OK);
        assert_eq!(ids(&forged), ids(&public));

        let every = app.get("/api/plans", Some(&admin.token)).await;
        assert_eq!(ids(&every).len(), 9);
        let inactive = app.get("/api/plans?active=false", Some(&admin.token)).await;
        assert_eq!(ids(&inactive), [2]);
        // An admin demoted since sees what everyone sees.
        app.change_role("0700000001", "client").await;
        let demoted = app.get("/api/plans", Some(&admin.token)).await;
        assert_eq!(ids(&demoted), ids(&public));
    }
);
