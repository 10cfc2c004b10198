use api_tests::*;
use kbine::events::OrderEvent;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Creates an order of `plan_id` for `phone` and returns its id.
async fn order(app: &TestApp, session: &Session, plan_id: i64, phone: &str) -> i64 {
    app.place_order(&session.token, plan_id, phone, "wave")
        .await
}

/// Records the payment of order `id` (plan 1's 1000 FCFA by wave) and has staff settle it.
async fn settle_payment(app: &TestApp, client: &Session, staff: &Session, id: i64) {
    let payment = app
        .post(
            "/api/payments",
            Some(&client.token),
            json!({"order_id": id, "amount": 1000, "payment_method": "wave",
                   "payment_reference": format!("PAY-ORDER-{id}")}),
        )
        .await;
    assert_eq!(payment.status, StatusCode::CREATED, "{:?}", payment.body);
    let payment_id = payment.body["data"]["id"].as_i64().unwrap();
    let settled = app
        .patch(
            &format!("/api/payments/{payment_id}/status"),
            Some(&staff.token),
            json!({"status": "success"}),
        )
        .await;
    assert_eq!(settled.status, StatusCode::OK, "{:?}", settled.body);
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<_> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn ids(list: &Value) -> Vec<i64> {
    list["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect()
}

fn events(app: &TestApp) -> Vec<OrderEvent> {
    app.events.0.lock().unwrap().clone()
}

both!(
    create_answers_the_documented_order,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let created = app
            .post(
                "/api/orders",
                Some(&client.token),
                // The amount is the plan's price: whatever the client sends is ignored.
                json!({"plan_id": 1, "phone_number": "+225 07 01 02 03 04",
                   "payment_method": "wave", "amount": 1}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let body = &created.body;
        assert_eq!(
            keys(body),
            [
                "amount",
                "created_at",
                "id",
                "payment_method",
                "payment_reference",
                "phone_number",
                "plan_id",
                "status",
                "user_id"
            ]
        );
        assert_eq!(body["id"], 1);
        assert_eq!(body["user_id"], client.id);
        assert_eq!(body["plan_id"], 1);
        assert_eq!(body["phone_number"], "0701020304");
        assert_eq!(body["amount"].as_f64(), Some(1000.0));
        assert_eq!(body["status"], "pending");
        assert_eq!(body["payment_method"], "wave");
        let created_at = body["created_at"].as_str().unwrap();
        assert!(
            created_at.ends_with('Z') && created_at.len() == 24,
            "{created_at}"
        );
        let reference = body["payment_reference"].as_str().unwrap();
        let seconds: i64 = reference.strip_prefix("ORD-1-").unwrap().parse().unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!((now - seconds).abs() < 120, "{reference}");

        // The amount keeps its two decimals on the wire.
        let raw = app
        .client
        .post(format!("{}/api/orders", app.base))
        .bearer_auth(&client.token)
        .json(&json!({"plan_id": 3, "phone_number": "0701020304", "payment_method": "orange_money"}))
        .send()
        .await
        .unwrap();
        assert_eq!(raw.status(), StatusCode::CREATED);
        let text = raw.text().await.unwrap();
        assert!(text.contains("\"amount\":1500.00"), "{text}");
        assert!(text.contains("\"payment_reference\":\"ORD-2-"), "{text}");

        // The admin room hears of both orders, as the API rendered them.
        let events = events(&app);
        assert_eq!(events.len(), 2);
        match &events[0] {
            OrderEvent::Created { order } => {
                assert_eq!(order["id"], 1);
                assert_eq!(order["user_id"], client.id);
                assert_eq!(order["amount"].as_f64(), Some(1000.0));
                assert_eq!(order["payment_reference"], reference);
            }
            other => panic!("unexpected event {other:?}"),
        }
        assert!(matches!(&events[1], OrderEvent::Created { order } if order["id"] == 2));
    }
);

both!(
    create_refuses_what_the_document_refuses,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let admin = app.admin().await;
        let good = json!({"plan_id": 1, "phone_number": "0701020304", "payment_method": "wave"});
        let with = |field: &str, value: Value| {
            let mut body = good.clone();
            body[field] = value;
            body
        };

        let anonymous = app.post("/api/orders", None, good.clone()).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(anonymous.body, json!({"error": "Token d'accès requis"}));
        let forged = app
            .post("/api/orders", Some("not-a-token"), good.clone())
            .await;
        assert_eq!(forged.status, StatusCode::UNAUTHORIZED);

        let missing_plan = app
            .post(
                "/api/orders",
                Some(&client.token),
                with("plan_id", json!(99)),
            )
            .await;
        assert_eq!(missing_plan.status, StatusCode::NOT_FOUND);
        assert_eq!(missing_plan.body, json!({"error": "Plan non trouvé"}));
        for bad in [json!(0), json!(-3), json!("1"), json!(1.5), json!(null)] {
            let reply = app
                .post(
                    "/api/orders",
                    Some(&client.token),
                    with("plan_id", bad.clone()),
                )
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "plan_id {bad}");
            assert_eq!(reply.body["error"], "Données invalides", "plan_id {bad}");
            assert!(reply.body["details"].is_string());
        }

        let bad_prefix = app
            .post(
                "/api/orders",
                Some(&client.token),
                with("phone_number", json!("0901020304")),
            )
            .await;
        assert_eq!(bad_prefix.status, StatusCode::BAD_REQUEST);
        // A prefix no operator has: checked against the plan's operator, like any other.
        assert_eq!(
            bad_prefix.body,
            json!({"error": "Numéro de téléphone invalide",
               "details": "Le numéro ne correspond pas à l'opérateur du forfait (Orange CI : 07)"})
        );
        let short = app
            .post(
                "/api/orders",
                Some(&client.token),
                with("phone_number", json!("07010203")),
            )
            .await;
        assert_eq!(short.status, StatusCode::BAD_REQUEST);
        assert_eq!(short.body["error"], "Numéro de téléphone invalide");
        // An MTN number cannot receive an Orange plan.
        let wrong_operator = app
            .post(
                "/api/orders",
                Some(&client.token),
                with("phone_number", json!("0501020304")),
            )
            .await;
        assert_eq!(wrong_operator.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            wrong_operator.body,
            json!({"error": "Numéro de téléphone invalide",
               "details": "Le numéro ne correspond pas à l'opérateur du forfait (Orange CI : 07)"})
        );
        let no_phone = app
            .post(
                "/api/orders",
                Some(&client.token),
                json!({"plan_id": 1, "payment_method": "wave"}),
            )
            .await;
        assert_eq!(no_phone.status, StatusCode::BAD_REQUEST);
        assert_eq!(no_phone.body["error"], "Données invalides");

        for bad in [json!("paypal"), json!(null), json!(3)] {
            let reply = app
                .post(
                    "/api/orders",
                    Some(&client.token),
                    with("payment_method", bad.clone()),
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "payment_method {bad}"
            );
            assert_eq!(reply.body["error"], "Méthode de paiement invalide");
        }

        let malformed = app
            .raw(
                reqwest::Method::POST,
                "/api/orders",
                Some(&client.token),
                "{\"plan_id\": 1,",
            )
            .await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(malformed.body["error"], "Données invalides");

        // A plan the admin withdrew cannot be bought.
        let withdrawn = app
            .put("/api/plans/2", Some(&admin.token), json!({"active": false}))
            .await;
        assert_eq!(withdrawn.status, StatusCode::OK);
        let inactive = app
            .post(
                "/api/orders",
                Some(&client.token),
                with("plan_id", json!(2)),
            )
            .await;
        assert_eq!(inactive.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            inactive.body,
            json!({"error": "Ce forfait n'est pas disponible"})
        );

        // Nothing was created, counted or announced.
        let list = app.get("/api/orders", Some(&admin.token)).await;
        assert_eq!(list.body["pagination"]["total"], 0);
        assert_eq!(list.body["orders"], json!([]));
        assert!(events(&app).is_empty());
    }
);

both!(
    clients_list_their_own_orders_and_staff_all,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let alice = app.login("0701020304").await;
        let bob = app.login("0501020304").await;
        for _ in 0..3 {
            order(&app, &alice, 1, "0701020304").await;
        }
        order(&app, &bob, 4, "0501020304").await;
        order(&app, &bob, 7, "0101020304").await;

        let mine = app.get("/api/orders", Some(&alice.token)).await;
        assert_eq!(mine.status, StatusCode::OK);
        assert_eq!(ids(&mine.body), [3, 2, 1], "newest first");
        assert_eq!(
            mine.body["pagination"],
            json!({"page": 1, "limit": 20, "total": 3, "totalPages": 1})
        );
        let first = &mine.body["orders"][0];
        assert_eq!(
            keys(first),
            [
                "amount",
                "created_at",
                "id",
                "operator_name",
                "payment_method",
                "phone_number",
                "plan_name",
                "status",
                "updated_at"
            ]
        );
        assert_eq!(first["plan_name"], "Recharge 1000 FCFA");
        assert_eq!(first["operator_name"], "Orange CI");
        assert_eq!(first["amount"].as_f64(), Some(1000.0));
        assert_eq!(first["status"], "pending");

        let theirs = app.get("/api/orders", Some(&bob.token)).await;
        assert_eq!(ids(&theirs.body), [5, 4]);
        assert_eq!(theirs.body["orders"][0]["operator_name"], "Moov");
        assert_eq!(theirs.body["orders"][1]["operator_name"], "MTN");
        assert_eq!(theirs.body["pagination"]["total"], 2);

        for staff in [app.staff().await, app.admin().await] {
            let all = app.get("/api/orders", Some(&staff.token)).await;
            assert_eq!(all.status, StatusCode::OK);
            assert_eq!(ids(&all.body), [5, 4, 3, 2, 1]);
            assert_eq!(all.body["pagination"]["total"], 5);
        }
        assert_eq!(
            app.get("/api/orders", None).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
);

both!(lists_paginate_and_filter, |app: TestApp| async move {
    app.seed_catalogue().await;
    let client = app.login("0701020304").await;
    for _ in 0..5 {
        order(&app, &client, 1, "0701020304").await;
    }
    let first = app.get("/api/orders?limit=2", Some(&client.token)).await;
    assert_eq!(ids(&first.body), [5, 4]);
    let last = app
        .get("/api/orders?page=3&limit=2", Some(&client.token))
        .await;
    assert_eq!(last.status, StatusCode::OK);
    assert_eq!(ids(&last.body), [1]);
    assert_eq!(
        last.body["pagination"],
        json!({"page": 3, "limit": 2, "total": 5, "totalPages": 3})
    );
    let beyond = app
        .get("/api/orders?page=4&limit=2", Some(&client.token))
        .await;
    assert_eq!(beyond.body["orders"], json!([]));
    assert_eq!(beyond.body["pagination"]["total"], 5);

    let pending = app
        .get("/api/orders?status=pending&limit=2", Some(&client.token))
        .await;
    assert_eq!(ids(&pending.body), [5, 4]);
    assert_eq!(pending.body["pagination"]["total"], 5);
    assert_eq!(pending.body["pagination"]["totalPages"], 3);
    let completed = app
        .get("/api/orders?status=completed", Some(&client.token))
        .await;
    assert_eq!(completed.body["orders"], json!([]));
    assert_eq!(completed.body["pagination"]["total"], 0);

    let bad_status = app
        .get("/api/orders?status=done", Some(&client.token))
        .await;
    assert_eq!(bad_status.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_status.body["error"], "Statut invalide");
    for bad in ["page=0", "limit=abc", "page=-1"] {
        let reply = app
            .get(&format!("/api/orders?{bad}"), Some(&client.token))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
    }
});

both!(
    details_are_for_the_owner_and_staff,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let owner = app.login("0701020304").await;
        let other = app.login("0702030405").await;
        let id = order(&app, &owner, 1, "0701020304").await;

        let mine = app
            .get(&format!("/api/orders/{id}"), Some(&owner.token))
            .await;
        assert_eq!(mine.status, StatusCode::OK);
        assert_eq!(
            keys(&mine.body),
            [
                "amount",
                "assigned_to",
                "assigned_to_name",
                "created_at",
                "id",
                "operator_name",
                "payment_method",
                "payment_reference",
                "phone_number",
                "plan_id",
                "plan_name",
                "status",
                "updated_at",
                "user_id"
            ]
        );
        assert_eq!(mine.body["id"], id);
        assert_eq!(mine.body["user_id"], owner.id);
        assert_eq!(mine.body["plan_id"], 1);
        assert_eq!(mine.body["plan_name"], "Recharge 1000 FCFA");
        assert_eq!(mine.body["operator_name"], "Orange CI");
        assert_eq!(mine.body["amount"].as_f64(), Some(1000.0));
        assert_eq!(mine.body["status"], "pending");
        assert_eq!(mine.body["assigned_to"], json!(null));
        assert_eq!(mine.body["assigned_to_name"], json!(null));
        assert!(
            mine.body["payment_reference"]
                .as_str()
                .unwrap()
                .starts_with("ORD-1-")
        );
        assert_eq!(mine.body["created_at"], mine.body["updated_at"]);

        // Another client's order does not exist, as far as this client can tell.
        let theirs = app
            .get(&format!("/api/orders/{id}"), Some(&other.token))
            .await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        assert_eq!(theirs.body, json!({"error": "Commande non trouvée"}));
        let missing = app.get("/api/orders/999", Some(&owner.token)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.body, theirs.body);

        for staff in [app.staff().await, app.admin().await] {
            let seen = app
                .get(&format!("/api/orders/{id}"), Some(&staff.token))
                .await;
            assert_eq!(seen.status, StatusCode::OK);
            assert_eq!(seen.body["user_id"], owner.id);
        }
        let bad_id = app.get("/api/orders/abc", Some(&owner.token)).await;
        assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            app.get(&format!("/api/orders/{id}"), None).await.status,
            StatusCode::UNAUTHORIZED
        );

        // The order keeps the names it was bought under.
        let admin = app.admin().await;
        let renamed = app
            .put(
                "/api/plans/1",
                Some(&admin.token),
                json!({"name": "Recharge 1000"}),
            )
            .await;
        assert_eq!(renamed.status, StatusCode::OK);
        let kept = app
            .get(&format!("/api/orders/{id}"), Some(&owner.token))
            .await;
        assert_eq!(kept.body["plan_name"], "Recharge 1000 FCFA");
    }
);

both!(
    staff_move_orders_through_their_statuses,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let id = order(&app, &client, 1, "0701020304").await;
        let other = order(&app, &client, 2, "0701020304").await;
        let path = format!("/api/orders/{id}/status");

        let by_client = app
            .put(&path, Some(&client.token), json!({"status": "processing"}))
            .await;
        assert_eq!(by_client.status, StatusCode::FORBIDDEN);
        assert_eq!(by_client.body, json!({"error": "Accès non autorisé"}));
        assert_eq!(
            app.put(&path, None, json!({"status": "processing"}))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );

        let processing = app
            .put(&path, Some(&staff.token), json!({"status": "processing"}))
            .await;
        assert_eq!(processing.status, StatusCode::OK, "{:?}", processing.body);
        assert_eq!(keys(&processing.body), ["id", "status", "updated_at"]);
        assert_eq!(processing.body["id"], id);
        assert_eq!(processing.body["status"], "processing");
        // Completed only once paid.
        let unpaid = app
            .put(&path, Some(&staff.token), json!({"status": "completed"}))
            .await;
        assert_eq!(unpaid.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            unpaid.body,
            json!({"error": "Commande non payée",
                   "details": "Une commande n'est terminée qu'après un paiement réussi"})
        );
        settle_payment(&app, &client, &staff, id).await;
        let completed = app
            .put(&path, Some(&staff.token), json!({"status": "completed"}))
            .await;
        assert_eq!(completed.status, StatusCode::OK, "{:?}", completed.body);
        assert_eq!(completed.body["status"], "completed");
        let updated_at = completed.body["updated_at"].clone();

        let back = app
            .put(&path, Some(&staff.token), json!({"status": "pending"}))
            .await;
        assert_eq!(back.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            back.body,
            json!({"error": "Transition de statut invalide", "details": "completed → pending"})
        );
        for bad in [json!("done"), json!(null), json!(1)] {
            let reply = app
                .put(&path, Some(&staff.token), json!({"status": bad}))
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(reply.body["error"], "Statut invalide");
            assert!(
                reply.body["details"]
                    .as_str()
                    .unwrap()
                    .contains("processing")
            );
        }
        let missing = app
            .put(
                "/api/orders/999/status",
                Some(&staff.token),
                json!({"status": "processing"}),
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.body, json!({"error": "Commande non trouvée"}));
        // A pending order cannot jump to completed.
        let other_path = format!("/api/orders/{other}/status");
        let jump = app
            .put(
                &other_path,
                Some(&staff.token),
                json!({"status": "completed"}),
            )
            .await;
        assert_eq!(jump.body["details"], "pending → completed");
        let cancelled = app
            .put(
                &other_path,
                Some(&staff.token),
                json!({"status": "cancelled"}),
            )
            .await;
        assert_eq!(cancelled.status, StatusCode::OK);
        let revived = app
            .put(
                &other_path,
                Some(&staff.token),
                json!({"status": "processing"}),
            )
            .await;
        assert_eq!(revived.body["details"], "cancelled → processing");

        // The order and the totals follow.
        let seen = app
            .get(&format!("/api/orders/{id}"), Some(&client.token))
            .await;
        assert_eq!(seen.body["status"], "completed");
        assert_eq!(seen.body["updated_at"], updated_at);
        for (who, status, expected) in [
            (&staff, "completed", vec![id]),
            (&staff, "cancelled", vec![other]),
            (&staff, "pending", vec![]),
            (&staff, "processing", vec![]),
            (&client, "completed", vec![id]),
            (&client, "cancelled", vec![other]),
            (&client, "pending", vec![]),
        ] {
            let list = app
                .get(&format!("/api/orders?status={status}"), Some(&who.token))
                .await;
            assert_eq!(ids(&list.body), expected, "{status}");
            assert_eq!(list.body["pagination"]["total"], expected.len(), "{status}");
        }
        let all = app.get("/api/orders", Some(&client.token)).await;
        assert_eq!(all.body["pagination"]["total"], 2);

        // The owner hears of each change.
        let changes: Vec<_> = events(&app)
            .into_iter()
            .filter_map(|e| match e {
                OrderEvent::StatusChanged {
                    order_id,
                    user_id,
                    status,
                    updated_at,
                } => Some((order_id, user_id, status, updated_at)),
                OrderEvent::Created { .. } => None,
            })
            .collect();
        assert_eq!(changes.len(), 3);
        assert_eq!((changes[0].0, changes[0].1), (id, client.id));
        assert_eq!(changes[0].2, "processing");
        assert_eq!(changes[1].2, "completed");
        assert_eq!(json!(changes[1].3), updated_at);
        assert_eq!((changes[2].0, changes[2].2.as_str()), (other, "cancelled"));
    }
);

both!(staff_assign_orders, |app: TestApp| async move {
    app.seed_catalogue().await;
    let client = app.login("0701020304").await;
    let staff = app.staff().await;
    let admin = app.admin().await;
    let id = order(&app, &client, 1, "0701020304").await;
    let path = format!("/api/orders/{id}/assign");

    let by_client = app
        .put(&path, Some(&client.token), json!({"staff_id": staff.id}))
        .await;
    assert_eq!(by_client.status, StatusCode::FORBIDDEN);
    let to_client = app
        .put(&path, Some(&staff.token), json!({"staff_id": client.id}))
        .await;
    assert_eq!(to_client.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        to_client.body,
        json!({"error": "L'utilisateur doit être un membre du staff"})
    );
    let to_nobody = app
        .put(&path, Some(&staff.token), json!({"staff_id": 999}))
        .await;
    assert_eq!(to_nobody.status, StatusCode::NOT_FOUND);
    assert_eq!(to_nobody.body, json!({"error": "Utilisateur non trouvé"}));
    for bad in [json!("5"), json!(0), json!(null)] {
        let reply = app
            .put(&path, Some(&staff.token), json!({"staff_id": bad}))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(reply.body["error"], "Données invalides");
    }
    let missing = app
        .put(
            "/api/orders/999/assign",
            Some(&staff.token),
            json!({"staff_id": staff.id}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let assigned = app
        .put(&path, Some(&admin.token), json!({"staff_id": staff.id}))
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    assert_eq!(
        keys(&assigned.body),
        ["assigned_to", "id", "status", "updated_at"]
    );
    assert_eq!(assigned.body["id"], id);
    assert_eq!(assigned.body["assigned_to"], staff.id);
    assert_eq!(assigned.body["status"], "assigned");
    let seen = app
        .get(&format!("/api/orders/{id}"), Some(&client.token))
        .await;
    assert_eq!(seen.body["assigned_to"], staff.id);
    // The client sees the staff member's number masked: whole, it would let them log in
    // as that staff member on a phone-only login.
    assert_eq!(seen.body["assigned_to_name"], "05••••0002");
    let seen_by_staff = app
        .get(&format!("/api/orders/{id}"), Some(&admin.token))
        .await;
    assert_eq!(seen_by_staff.body["assigned_to_name"], "0500000002");
    assert_eq!(seen.body["status"], "assigned");
    let by_status = app
        .get("/api/orders?status=assigned", Some(&staff.token))
        .await;
    assert_eq!(ids(&by_status.body), [id]);
    assert_eq!(by_status.body["pagination"]["total"], 1);
    let pending = app
        .get("/api/orders?status=pending", Some(&staff.token))
        .await;
    assert_eq!(pending.body["pagination"]["total"], 0);

    // Reassigning an assigned order keeps its status; an order in progress cannot be.
    let reassigned = app
        .put(&path, Some(&staff.token), json!({"staff_id": admin.id}))
        .await;
    assert_eq!(reassigned.status, StatusCode::OK);
    assert_eq!(reassigned.body["assigned_to"], admin.id);
    let seen = app
        .get(&format!("/api/orders/{id}"), Some(&staff.token))
        .await;
    assert_eq!(seen.body["assigned_to_name"], "0700000001");
    let by_status = app
        .get("/api/orders?status=assigned", Some(&client.token))
        .await;
    assert_eq!(by_status.body["pagination"]["total"], 1);
    let processing = app
        .put(
            &format!("/api/orders/{id}/status"),
            Some(&staff.token),
            json!({"status": "processing"}),
        )
        .await;
    assert_eq!(processing.status, StatusCode::OK);
    let late = app
        .put(&path, Some(&staff.token), json!({"staff_id": staff.id}))
        .await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        late.body,
        json!({"error": "Transition de statut invalide", "details": "processing → assigned"})
    );

    // Created, then assigned, then processing: the reassignment changed no status.
    let statuses: Vec<_> = events(&app)
        .into_iter()
        .filter_map(|e| match e {
            OrderEvent::StatusChanged { status, .. } => Some(status),
            OrderEvent::Created { .. } => None,
        })
        .collect();
    assert_eq!(statuses, ["assigned", "processing"]);
});

both!(
    catalogue_in_use_by_orders_is_kept,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let admin = app.admin().await;
        let client = app.login("0701020304").await;
        let operator = app
            .post(
                "/api/operators",
                Some(&admin.token),
                json!({"name": "Orange Pro", "code": "ORANGEPRO", "prefixes": ["08"]}),
            )
            .await;
        assert_eq!(operator.status, StatusCode::CREATED);
        let operator_id = operator.body["id"].as_i64().unwrap();
        let plan = app
        .post(
            "/api/plans",
            Some(&admin.token),
            json!({"operator_id": operator_id, "name": "Pro 2000", "price": 2000, "type": "credit"}),
        )
        .await;
        assert_eq!(plan.status, StatusCode::CREATED);
        let plan_id = plan.body["id"].as_i64().unwrap();
        let id = order(&app, &client, plan_id, "0801020304").await;

        // A plan with orders is kept for their history.
        let plan_delete = app
            .delete(&format!("/api/plans/{plan_id}"), Some(&admin.token))
            .await;
        assert_eq!(plan_delete.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            plan_delete.body,
            json!({"error": "Impossible de supprimer ce plan car il est utilisé dans des commandes"})
        );
        // Once its plan moved to another operator, the operator has no plan but still an order.
        let moved = app
            .put(
                &format!("/api/plans/{plan_id}"),
                Some(&admin.token),
                json!({"operator_id": 1}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK);
        let refused = app
            .delete(&format!("/api/operators/{operator_id}"), Some(&admin.token))
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused.body,
            json!({"error": "Impossible de supprimer cet opérateur car il est utilisé dans des plans ou des commandes"})
        );
        let seen = app
            .get(&format!("/api/orders/{id}"), Some(&client.token))
            .await;
        assert_eq!(seen.body["operator_name"], "Orange Pro");
        assert_eq!(seen.body["amount"].as_f64(), Some(2000.0));

        // An operator nothing uses can go.
        let unused = app
            .post(
                "/api/operators",
                Some(&admin.token),
                json!({"name": "Telecel", "code": "TELECEL", "prefixes": ["09"]}),
            )
            .await;
        let unused_id = unused.body["id"].as_i64().unwrap();
        let deleted = app
            .delete(&format!("/api/operators/{unused_id}"), Some(&admin.token))
            .await;
        assert_eq!(deleted.status, StatusCode::OK);
    }
);

both!(
    a_client_cannot_take_over_the_staff_account_assigned_to_its_order,
    |app: TestApp| async move {
        // The escalation of issue 9: assign an order, read it as its client, log in with the
        // staff number it shows. Each step must now fail.
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let id = order(&app, &client, 1, "0701020304").await;
        let assigned = app
            .put(
                &format!("/api/orders/{id}/assign"),
                Some(&staff.token),
                json!({"staff_id": staff.id}),
            )
            .await;
        assert_eq!(assigned.status, StatusCode::OK);
        let seen = app
            .get(&format!("/api/orders/{id}"), Some(&client.token))
            .await;
        let shown = seen.body["assigned_to_name"].as_str().unwrap().to_string();
        assert_eq!(shown, "05••••0002");
        let with_shown = app
            .post("/api/auth/login", None, json!({"phoneNumber": shown}))
            .await;
        assert_eq!(with_shown.status, StatusCode::BAD_REQUEST);

        // Even knowing the whole number, the phone alone opens no staff session.
        let number_only = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "0500000002"}),
            )
            .await;
        assert_eq!(number_only.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            number_only.body,
            json!({"error": "Mot de passe requis pour ce compte"})
        );
        let guessed = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "0500000002", "password": "not-the-password"}),
            )
            .await;
        assert_eq!(guessed.status, StatusCode::UNAUTHORIZED);
        assert_eq!(guessed.body, json!({"error": "Identifiants invalides"}));
        assert!(guessed.body.get("token").is_none());

        // Its own password does, with the documented answer.
        let real = app
            .login_with_password("0500000002", api_tests::STAFF_PASSWORD)
            .await;
        let profile = app.get("/api/users/profile", Some(&real.token)).await;
        assert_eq!(profile.body["role"], "staff");
        // A client's login is the document's: the number alone, a password ignored.
        let again = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "0701020304", "password": "anything"}),
            )
            .await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.body["user"]["id"], client.id);
        assert_eq!(again.body["user"]["role"], "client");
    }
);

both!(
    an_operator_an_admin_creates_can_be_sold,
    |app: TestApp| async move {
        // The document's own example: Telecel, prefix 09. Login keeps the three prefixes.
        let admin = app.admin().await;
        let telecel = app
            .post(
                "/api/operators",
                Some(&admin.token),
                json!({"name": "Telecel", "code": "TELECEL", "prefixes": ["09"]}),
            )
            .await;
        assert_eq!(telecel.status, StatusCode::CREATED);
        let plan = app
            .post(
                "/api/plans",
                Some(&admin.token),
                json!({"operator_id": telecel.body["id"], "name": "Telecel 1000",
                       "price": 1000, "type": "credit"}),
            )
            .await;
        assert_eq!(plan.status, StatusCode::CREATED, "{:?}", plan.body);
        let plan_id = plan.body["id"].as_i64().unwrap();
        let client = app.login("0701020304").await;
        let id = order(&app, &client, plan_id, "+225 09 01 02 03 04").await;
        let seen = app
            .get(&format!("/api/orders/{id}"), Some(&client.token))
            .await;
        assert_eq!(seen.body["phone_number"], "0901020304");
        assert_eq!(seen.body["operator_name"], "Telecel");
        let orange_number = app
            .post(
                "/api/orders",
                Some(&client.token),
                json!({"plan_id": plan_id, "phone_number": "0701020304", "payment_method": "wave"}),
            )
            .await;
        assert_eq!(orange_number.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            orange_number.body["details"],
            "Le numéro ne correspond pas à l'opérateur du forfait (Telecel : 09)"
        );
        let login = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "0901020304"}),
            )
            .await;
        assert_eq!(login.status, StatusCode::BAD_REQUEST);
    }
);
