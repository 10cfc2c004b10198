use api_tests::{Reply, TestApp, both};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A fresh order of plan 1 (Orange, 1000 FCFA) by the caller of `token`, to be paid by wave.
async fn order(app: &TestApp, token: &str) -> i64 {
    order_paid_by(app, token, "wave").await
}

/// A fresh order of plan 1 (1000 FCFA), to be paid by `method`.
async fn order_paid_by(app: &TestApp, token: &str, method: &str) -> i64 {
    app.place_order(token, 1, "0701020304", method).await
}

/// A payment of the order's amount (1000 FCFA).
async fn pay(app: &TestApp, token: &str, order_id: i64, reference: &str, method: &str) -> Reply {
    app.pay_order(token, order_id, 1000.0, reference, method)
        .await
}

/// Orders plan 1 to be paid by `method`, records its payment and returns the payment's id.
async fn paid(app: &TestApp, token: &str, reference: &str, method: &str) -> i64 {
    let order_id = order_paid_by(app, token, method).await;
    let reply = pay(app, token, order_id, reference, method).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["data"]["id"].as_i64().unwrap()
}

async fn total(app: &TestApp, token: &str, query: &str) -> Value {
    let reply = app.get(&format!("/api/payments{query}"), Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
    reply.body["pagination"]["total"].clone()
}

fn ids(reply: &Reply) -> Vec<i64> {
    reply.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

both!(
    public_lists_of_methods_and_statuses,
    |app: TestApp| async move {
        let methods = app.get("/api/payments/methods", None).await;
        assert_eq!(methods.status, StatusCode::OK);
        assert_eq!(
            methods.body,
            json!({"success": true, "data": ["wave", "orange_money", "mtn_money", "moov_money"]})
        );
        let statuses = app.get("/api/payments/statuses", None).await;
        assert_eq!(statuses.status, StatusCode::OK);
        assert_eq!(
            statuses.body,
            json!({"success": true, "data": ["pending", "success", "failed", "refunded"]})
        );
    }
);

both!(
    client_records_a_payment_of_their_order,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let order_id = order(&app, &client.token).await;
        let body = json!({
            "order_id": order_id,
            "amount": 1000.00,
            "payment_method": "wave",
            "payment_reference": "PAY-20251008-ABC123",
            "external_reference": "WAVE-TXN-456789",
            "callback_data": {"transaction_id": "12345", "customer_phone": "0789062079"},
        });
        let response = app
            .client
            .post(format!("{}/api/payments", app.base))
            .bearer_auth(&client.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let text = response.text().await.unwrap();
        assert!(text.contains(r#""amount":1000.00"#), "{text}");
        let reply: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(reply["success"], true);
        assert_eq!(reply["message"], "Paiement créé avec succès");
        let data = &reply["data"];
        assert!(data["id"].as_i64().unwrap() >= 1);
        assert_eq!(data["order_id"], order_id);
        assert_eq!(data["amount"], 1000.0);
        assert_eq!(data["payment_method"], "wave");
        assert_eq!(data["payment_reference"], "PAY-20251008-ABC123");
        assert_eq!(data["external_reference"], "WAVE-TXN-456789");
        assert_eq!(data["status"], "pending");
        assert_eq!(
            data["callback_data"],
            json!({"transaction_id": "12345", "customer_phone": "0789062079"})
        );
        let created = data["created_at"].as_str().unwrap();
        assert_eq!(created.len(), "2025-10-08T10:30:00.000Z".len(), "{created}");
        assert!(created.ends_with('Z'));
        assert_eq!(data["updated_at"], created);
        let mut keys: Vec<_> = data.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "amount",
                "callback_data",
                "created_at",
                "external_reference",
                "id",
                "order_id",
                "payment_method",
                "payment_reference",
                "status",
                "updated_at"
            ]
        );

        // One live payment per order: a second one waits for the first to fail.
        let twice = pay(&app, &client.token, order_id, "PAY-TWICE", "wave").await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        assert_eq!(
            twice.body,
            json!({"error": "Un paiement est déjà en cours ou réussi pour cette commande"})
        );

        // Without an external reference, one is generated; without callback data, it is null.
        let orange = order_paid_by(&app, &client.token, "orange_money").await;
        let second = app
            .post(
                "/api/payments",
                Some(&client.token),
                json!({"order_id": orange, "amount": "1000.0", "payment_method": "orange_money",
                   "payment_reference": "PAY-2"}),
            )
            .await;
        assert_eq!(second.status, StatusCode::CREATED, "{:?}", second.body);
        let ext = second.body["data"]["external_reference"].as_str().unwrap();
        assert_eq!(ext.len(), 16, "{ext}");
        assert!(ext.starts_with("EXT-"), "{ext}");
        assert!(
            ext[4..]
                .chars()
                .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)),
            "{ext}"
        );
        assert_eq!(second.body["data"]["amount"], 1000.0);
        assert_eq!(second.body["data"]["callback_data"], Value::Null);

        // The admin may record a payment of anyone's order; it stays the client's payment.
        let admin = app.admin().await;
        let third = order(&app, &client.token).await;
        let by_admin = pay(&app, &admin.token, third, "PAY-3", "wave").await;
        assert_eq!(by_admin.status, StatusCode::CREATED, "{:?}", by_admin.body);
        let id = by_admin.body["data"]["id"].as_i64().unwrap();
        let seen = app
            .get(&format!("/api/payments/{id}"), Some(&client.token))
            .await;
        assert_eq!(seen.status, StatusCode::OK);

        let anonymous = app.post("/api/payments", None, body.clone()).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(anonymous.body, json!({"error": "Token d'accès requis"}));
    }
);

both!(create_refuses_invalid_bodies, |app: TestApp| async move {
    app.seed_catalogue().await;
    let client = app.login("0701020304").await;
    let order_id = order(&app, &client.token).await;
    let valid = json!({
        "order_id": order_id,
        "amount": 1000,
        "payment_method": "wave",
        "payment_reference": "PAY-OK",
    });
    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(field);
        body
    };
    let cases = [
        ("negative amount", with("amount", json!(-5000))),
        ("zero amount", with("amount", json!(0))),
        ("three decimals", with("amount", json!(10.123))),
        ("text amount", with("amount", json!("abc"))),
        ("missing amount", without("amount")),
        ("not the order's amount", with("amount", json!(5000))),
        (
            "not the order's method",
            with("payment_method", json!("mtn_money")),
        ),
        ("unknown method", with("payment_method", json!("cash"))),
        ("missing method", without("payment_method")),
        ("missing order", without("order_id")),
        ("text order id", with("order_id", json!("abc"))),
        ("negative order id", with("order_id", json!(-1))),
        ("missing reference", without("payment_reference")),
        ("empty reference", with("payment_reference", json!("  "))),
        (
            "long reference",
            with("payment_reference", json!("R".repeat(101))),
        ),
        ("numeric reference", with("payment_reference", json!(12))),
        ("callback not an object", with("callback_data", json!("ok"))),
        ("callback a list", with("callback_data", json!([1, 2]))),
        (
            "external reference not text",
            with("external_reference", json!(5)),
        ),
    ];
    for (case, body) in cases {
        let reply = app.post("/api/payments", Some(&client.token), body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{case}: {:?}",
            reply.body
        );
        assert_eq!(reply.body["error"], "Données invalides", "{case}");
        assert!(reply.body["details"].is_string(), "{case}");
    }
    let malformed = app
        .raw(
            reqwest::Method::POST,
            "/api/payments",
            Some(&client.token),
            "{\"order_id\": ",
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.body["error"], "Données invalides");

    let missing = app
        .post(
            "/api/payments",
            Some(&client.token),
            with("order_id", json!(999)),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body, json!({"error": "Commande non trouvée"}));

    let other = app.login("0101020304").await;
    let foreign = pay(&app, &other.token, order_id, "PAY-FOREIGN", "wave").await;
    // Like reading it: another client's order is not found, not forbidden.
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(foreign.body, json!({"error": "Commande non trouvée"}));

    // Nothing was recorded by the refused attempts.
    let staff = app.staff().await;
    assert_eq!(total(&app, &staff.token, "").await, 0);
    // The reference of the refused attempts is still free.
    let ok = app.post("/api/payments", Some(&client.token), valid).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
});

both!(
    duplicate_reference_is_refused_and_writes_nothing,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let admin = app.admin().await;
        let first = paid(&app, &client.token, "PAY-DUP", "wave").await;
        let order_id = order_paid_by(&app, &client.token, "mtn_money").await;
        let again = pay(&app, &client.token, order_id, "PAY-DUP", "mtn_money").await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(
            again.body,
            json!({"error": "Référence de paiement déjà existante"})
        );
        // The id the refused payment took is not a payment, and no total moved.
        let ghost = app
            .get(&format!("/api/payments/{}", first + 1), Some(&admin.token))
            .await;
        assert_eq!(ghost.status, StatusCode::NOT_FOUND);
        assert_eq!(total(&app, &staff.token, "").await, 1);
        assert_eq!(
            total(&app, &staff.token, "?payment_method=mtn_money").await,
            0
        );
        assert_eq!(total(&app, &staff.token, "?status=pending").await, 1);
        let list = app.get("/api/payments", Some(&staff.token)).await;
        assert_eq!(ids(&list), [first]);
        // References are compared exactly as sent, after trimming spaces.
        let trimmed = pay(&app, &client.token, order_id, "  PAY-DUP ", "mtn_money").await;
        assert_eq!(trimmed.status, StatusCode::CONFLICT);
        let other = pay(&app, &client.token, order_id, "PAY-DUP-2", "mtn_money").await;
        assert_eq!(other.status, StatusCode::CREATED);
        assert!(other.body["data"]["id"].as_i64().unwrap() > first);

        // Racing requests with one reference, each for its own order: exactly one wins.
        let mut racing = Vec::new();
        for _ in 0..6 {
            let order_id = order(&app, &client.token).await;
            let request = app
                .client
                .post(format!("{}/api/payments", app.base))
                .bearer_auth(&client.token)
                .json(
                    &json!({"order_id": order_id, "amount": 1000, "payment_method": "wave",
                              "payment_reference": "PAY-RACE"}),
                );
            racing.push(tokio::spawn(async move {
                request.send().await.unwrap().status()
            }));
        }
        let mut statuses = Vec::new();
        for task in racing {
            statuses.push(task.await.unwrap());
        }
        let won = statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count();
        assert_eq!(won, 1, "{statuses:?}");
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT)
        );
        assert_eq!(total(&app, &staff.token, "").await, 3);
    }
);

both!(
    list_is_for_staff_and_pages_newest_first,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let mut created = Vec::new();
        for i in 0..5 {
            created.push(paid(&app, &client.token, &format!("PAY-{i}"), "wave").await);
        }
        let refused = app.get("/api/payments", Some(&client.token)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.body, json!({"error": "Accès non autorisé"}));
        let anonymous = app.get("/api/payments", None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

        let staff = app.staff().await;
        let all = app.get("/api/payments", Some(&staff.token)).await;
        assert_eq!(all.status, StatusCode::OK);
        assert_eq!(all.body["success"], true);
        assert_eq!(
            all.body["pagination"],
            json!({"total": 5, "total_pages": 1, "current_page": 1, "per_page": 10,
               "has_next_page": false, "has_previous_page": false})
        );
        let newest_first: Vec<i64> = created.iter().rev().copied().collect();
        assert_eq!(ids(&all), newest_first);
        let item = &all.body["data"][0];
        assert_eq!(item["phone_number"], "0701020304");
        assert_eq!(item["order_amount"], 1000.0);
        assert!(item["order_id"].is_i64());
        assert_eq!(item["amount"], 1000.0);
        for field in [
            "payment_reference",
            "external_reference",
            "status",
            "created_at",
            "updated_at",
        ] {
            assert!(item[field].is_string(), "{field}");
        }
        assert!(item.get("callback_data").is_some());

        let page2 = app
            .get("/api/payments?limit=2&page=2", Some(&staff.token))
            .await;
        assert_eq!(page2.status, StatusCode::OK);
        assert_eq!(
            page2.body["pagination"],
            json!({"total": 5, "total_pages": 3, "current_page": 2, "per_page": 2,
               "has_next_page": true, "has_previous_page": true})
        );
        assert_eq!(ids(&page2), newest_first[2..4]);
        let page3 = app
            .get("/api/payments?limit=2&page=3", Some(&staff.token))
            .await;
        assert_eq!(ids(&page3), newest_first[4..]);
        assert_eq!(page3.body["pagination"]["has_next_page"], false);
        let beyond = app
            .get("/api/payments?limit=2&page=9", Some(&staff.token))
            .await;
        assert_eq!(beyond.status, StatusCode::OK);
        assert!(ids(&beyond).is_empty());

        let bad_page = app.get("/api/payments?page=0", Some(&staff.token)).await;
        assert_eq!(bad_page.status, StatusCode::BAD_REQUEST);
        // The admin may list too.
        let admin = app.admin().await;
        let by_admin = app.get("/api/payments?limit=1", Some(&admin.token)).await;
        assert_eq!(by_admin.status, StatusCode::OK);
        assert_eq!(ids(&by_admin), [newest_first[0]]);
    }
);

both!(
    list_filters_by_status_and_method,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let wave1 = paid(&app, &client.token, "W1", "wave").await;
        let wave2 = paid(&app, &client.token, "W2", "wave").await;
        let orange = paid(&app, &client.token, "O1", "orange_money").await;
        let mtn = paid(&app, &client.token, "M1", "mtn_money").await;
        for (id, status) in [(wave2, "success"), (orange, "success"), (mtn, "failed")] {
            let reply = app
                .patch(
                    &format!("/api/payments/{id}/status"),
                    Some(&staff.token),
                    json!({"status": status}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        }
        let cases: [(&str, Vec<i64>); 8] = [
            ("?status=success", vec![orange, wave2]),
            ("?status=pending", vec![wave1]),
            ("?status=refunded", vec![]),
            ("?payment_method=wave", vec![wave2, wave1]),
            ("?payment_method=moov_money", vec![]),
            ("?status=success&payment_method=wave", vec![wave2]),
            ("?status=failed&payment_method=wave", vec![]),
            ("?status=&payment_method=", vec![mtn, orange, wave2, wave1]),
        ];
        for (query, expected) in cases {
            let reply = app
                .get(&format!("/api/payments{query}"), Some(&staff.token))
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{query}");
            assert_eq!(ids(&reply), expected, "{query}");
            assert_eq!(reply.body["pagination"]["total"], expected.len(), "{query}");
        }
        let paged = app
            .get(
                "/api/payments?status=success&payment_method=wave&limit=1&page=1",
                Some(&staff.token),
            )
            .await;
        assert_eq!(paged.body["pagination"]["total"], 1);
        assert_eq!(paged.body["pagination"]["has_next_page"], false);
        for query in ["?status=paid", "?payment_method=cash", "?limit=abc"] {
            let reply = app
                .get(&format!("/api/payments{query}"), Some(&staff.token))
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
            assert!(reply.body["error"].is_string(), "{query}");
        }
    }
);

both!(list_filters_by_date_range, |app: TestApp| async move {
    app.seed_catalogue().await;
    let client = app.login("0701020304").await;
    let staff = app.staff().await;
    let first = paid(&app, &client.token, "D1", "wave").await;
    let second = paid(&app, &client.token, "D2", "moov_money").await;
    let details = app
        .get(&format!("/api/payments/{first}"), Some(&client.token))
        .await;
    let created = details.body["data"]["created_at"]
        .as_str()
        .unwrap()
        .to_string();
    let later = app
        .get(&format!("/api/payments/{second}"), Some(&client.token))
        .await;
    // Up to the first one's millisecond: the second one too only if made in the same one.
    let up_to_first = if later.body["data"]["created_at"] == created.as_str() {
        vec![second, first]
    } else {
        vec![first]
    };
    let today = &created[..10];
    let cases: Vec<(String, Vec<i64>)> = vec![
        (
            format!("?start_date={today}&end_date={today}"),
            vec![second, first],
        ),
        (format!("?end_date={today}"), vec![second, first]),
        (format!("?start_date={today}"), vec![second, first]),
        (format!("?start_date={created}"), vec![second, first]),
        (format!("?end_date={created}"), up_to_first),
        ("?start_date=2000-01-01&end_date=2000-12-31".into(), vec![]),
        ("?start_date=2999-01-01".into(), vec![]),
        ("?end_date=2000-01-01".into(), vec![]),
        ("?start_date=2999-01-01&end_date=2000-01-01".into(), vec![]),
        (
            format!("?start_date={today}&payment_method=moov_money"),
            vec![second],
        ),
        (
            format!("?start_date={today}&status=pending&payment_method=wave"),
            vec![first],
        ),
        (format!("?end_date={today}&limit=1&page=2"), vec![first]),
    ];
    for (query, expected) in cases {
        let reply = app
            .get(&format!("/api/payments{query}"), Some(&staff.token))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
        assert_eq!(ids(&reply), expected, "{query}");
        if !query.contains("limit") {
            assert_eq!(reply.body["pagination"]["total"], expected.len(), "{query}");
        } else {
            assert_eq!(reply.body["pagination"]["total"], 2, "{query}");
            assert_eq!(
                reply.body["pagination"]["has_previous_page"], true,
                "{query}"
            );
        }
    }
    for query in [
        "?start_date=hier",
        "?end_date=2025-13-01",
        "?start_date=08/10/2025",
    ] {
        let reply = app
            .get(&format!("/api/payments{query}"), Some(&staff.token))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(
            reply.body["error"], "Paramètres de requête invalides",
            "{query}"
        );
    }
});

both!(
    details_are_for_the_owner_and_the_admin,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let order_id = order(&app, &client.token).await;
        let created = pay(&app, &client.token, order_id, "PAY-GET", "wave").await;
        let id = created.body["data"]["id"].as_i64().unwrap();
        let path = format!("/api/payments/{id}");
        let own = app.get(&path, Some(&client.token)).await;
        assert_eq!(own.status, StatusCode::OK);
        assert_eq!(own.body["success"], true);
        let data = &own.body["data"];
        assert_eq!(data["id"], id);
        assert_eq!(data["order_id"], order_id);
        assert_eq!(data["amount"], 1000.0);
        assert_eq!(data["payment_method"], "wave");
        assert_eq!(data["payment_reference"], "PAY-GET");
        assert_eq!(data["status"], "pending");
        assert_eq!(data["phone_number"], "0701020304");
        assert_eq!(data["order_amount"], 1000.0);
        assert!(
            data["external_reference"]
                .as_str()
                .unwrap()
                .starts_with("EXT-")
        );

        let admin = app.admin().await;
        let by_admin = app.get(&path, Some(&admin.token)).await;
        assert_eq!(by_admin.status, StatusCode::OK);
        // The admin sees the same payment, and its history; its client does not.
        assert!(own.body["data"].get("history").is_none());
        let mut seen = by_admin.body.clone();
        let history = seen["data"].as_object_mut().unwrap().remove("history");
        assert_eq!(seen, own.body);
        let history = history.unwrap();
        assert_eq!(history.as_array().unwrap().len(), 1);
        assert_eq!(history[0]["status"], "pending");
        assert_eq!(history[0]["previous_status"], Value::Null);
        assert_eq!(history[0]["changed_by"], client.id);
        assert_eq!(history[0]["changed_by_role"], "client");
        assert_eq!(history[0]["changed_at"], data["created_at"]);

        let other = app.login("0101020304").await;
        let foreign = app.get(&path, Some(&other.token)).await;
        assert_eq!(foreign.status, StatusCode::FORBIDDEN);
        assert_eq!(foreign.body, json!({"error": "Accès non autorisé"}));
        let staff = app.staff().await;
        let by_staff = app.get(&path, Some(&staff.token)).await;
        assert_eq!(by_staff.status, StatusCode::FORBIDDEN);

        let anonymous = app.get(&path, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        for bad in ["abc", "0", "-1", "1.5"] {
            let reply = app
                .get(&format!("/api/payments/{bad}"), Some(&admin.token))
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(
                reply.body,
                json!({"error": "Identifiant invalide"}),
                "{bad}"
            );
        }
        let missing = app.get("/api/payments/999", Some(&admin.token)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.body, json!({"error": "Paiement non trouvé"}));
    }
);

both!(admin_updates_a_payment, |app: TestApp| async move {
    app.seed_catalogue().await;
    let client = app.login("0701020304").await;
    let id = paid(&app, &client.token, "PAY-PUT", "wave").await;
    let path = format!("/api/payments/{id}");
    let admin = app.admin().await;
    let staff = app.staff().await;

    let by_staff = app
        .put(&path, Some(&staff.token), json!({"status": "success"}))
        .await;
    assert_eq!(by_staff.status, StatusCode::FORBIDDEN);
    assert_eq!(by_staff.body, json!({"error": "Accès non autorisé"}));
    let by_client = app
        .put(&path, Some(&client.token), json!({"status": "success"}))
        .await;
    assert_eq!(by_client.status, StatusCode::FORBIDDEN);

    let empty = app.put(&path, Some(&admin.token), json!({})).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.body["error"], "Au moins un champ doit être fourni");
    for (case, body) in [
        ("negative amount", json!({"amount": -1})),
        ("three decimals", json!({"amount": 1.005})),
        ("not the order's amount", json!({"amount": 5500})),
        ("unknown status", json!({"status": "paid"})),
        ("callback not an object", json!({"callback_data": 3})),
    ] {
        let reply = app.put(&path, Some(&admin.token), body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{case}: {:?}",
            reply.body
        );
        assert_eq!(reply.body["error"], "Données invalides", "{case}");
    }

    let response = app
        .client
        .put(format!("{}{path}", app.base))
        .bearer_auth(&admin.token)
        .json(&json!({"amount": 1000.00, "status": "success",
                      "callback_data": {"transaction_id": "12345", "validation_code": "OK-123"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(text.contains(r#""amount":1000.00"#), "{text}");
    let updated: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(updated["success"], true);
    assert_eq!(updated["message"], "Paiement mis à jour avec succès");
    assert_eq!(updated["data"]["id"], id);
    assert_eq!(updated["data"]["status"], "success");
    assert_eq!(
        updated["data"]["callback_data"],
        json!({"transaction_id": "12345", "validation_code": "OK-123"})
    );
    assert_eq!(updated["data"]["payment_reference"], "PAY-PUT");
    assert!(
        updated["data"]["updated_at"].as_str().unwrap()
            >= updated["data"]["created_at"].as_str().unwrap()
    );

    // The status counters moved with it.
    assert_eq!(total(&app, &staff.token, "?status=pending").await, 0);
    assert_eq!(total(&app, &staff.token, "?status=success").await, 1);
    assert_eq!(total(&app, &staff.token, "").await, 1);

    // One field alone is enough.
    let amount_only = app
        .put(&path, Some(&admin.token), json!({"amount": "1000"}))
        .await;
    assert_eq!(amount_only.status, StatusCode::OK);
    assert_eq!(amount_only.body["data"]["amount"], 1000.0);
    assert_eq!(amount_only.body["data"]["status"], "success");
    // A successful payment does not go back.
    let back = app
        .put(&path, Some(&admin.token), json!({"status": "pending"}))
        .await;
    assert_eq!(back.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        back.body,
        json!({"error": "Transition de statut invalide", "details": "success → pending"})
    );

    let missing = app
        .put(
            "/api/payments/999",
            Some(&admin.token),
            json!({"status": "failed"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body, json!({"error": "Paiement non trouvé"}));
});

both!(
    staff_changes_the_status_with_notes,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let order_id = order(&app, &client.token).await;
        let created = app
            .post(
                "/api/payments",
                Some(&client.token),
                json!({"order_id": order_id, "amount": 1000, "payment_method": "wave",
                   "payment_reference": "PAY-PATCH", "callback_data": {"transaction_id": "12345"}}),
            )
            .await;
        let id = created.body["data"]["id"].as_i64().unwrap();
        let path = format!("/api/payments/{id}/status");
        let staff = app.staff().await;

        let by_client = app
            .patch(&path, Some(&client.token), json!({"status": "success"}))
            .await;
        assert_eq!(by_client.status, StatusCode::FORBIDDEN);
        for body in [json!({"status": "paid"}), json!({}), json!({"status": 1})] {
            let reply = app.patch(&path, Some(&staff.token), body.clone()).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(reply.body["error"], "Statut invalide", "{body}");
        }
        let bad_notes = app
            .patch(
                &path,
                Some(&staff.token),
                json!({"status": "success", "notes": 5}),
            )
            .await;
        assert_eq!(bad_notes.status, StatusCode::BAD_REQUEST);

        let reply = app
            .patch(
                &path,
                Some(&staff.token),
                json!({"status": "success", "notes": "Paiement vérifié et validé manuellement"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["success"], true);
        assert_eq!(
            reply.body["message"],
            "Statut du paiement mis à jour avec succès"
        );
        let data = &reply.body["data"];
        assert_eq!(data["status"], "success");
        assert_eq!(data["amount"], 1000.0);
        assert_eq!(data["callback_data"]["transaction_id"], "12345");
        assert_eq!(
            data["callback_data"]["notes"],
            "Paiement vérifié et validé manuellement"
        );
        let last_update = data["callback_data"]["last_update"].as_str().unwrap();
        assert_eq!(
            last_update.len(),
            "2025-10-08T11:15:00.000Z".len(),
            "{last_update}"
        );
        assert!(last_update.ends_with('Z'));
        assert_eq!(data["updated_at"], last_update);

        // Without notes the earlier note stays; the last update moves.
        let admin = app.admin().await;
        let again = app
            .patch(&path, Some(&admin.token), json!({"status": "refunded"}))
            .await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.body["data"]["status"], "refunded");
        assert_eq!(
            again.body["data"]["callback_data"]["notes"],
            "Paiement vérifié et validé manuellement"
        );
        assert_eq!(total(&app, &staff.token, "?status=refunded").await, 1);
        assert_eq!(total(&app, &staff.token, "?status=success").await, 0);
        assert_eq!(total(&app, &staff.token, "?status=pending").await, 0);

        let details = app
            .get(&format!("/api/payments/{id}"), Some(&client.token))
            .await;
        assert_eq!(details.body["data"]["status"], "refunded");

        let missing = app
            .patch(
                "/api/payments/999/status",
                Some(&staff.token),
                json!({"status": "success"}),
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
);

both!(admin_soft_deletes_a_payment, |app: TestApp| async move {
    app.seed_catalogue().await;
    let client = app.login("0701020304").await;
    let kept = paid(&app, &client.token, "PAY-KEEP", "wave").await;
    let order_id = order(&app, &client.token).await;
    let created = pay(&app, &client.token, order_id, "PAY-DEL", "wave").await;
    let id = created.body["data"]["id"].as_i64().unwrap();
    let path = format!("/api/payments/{id}");
    let admin = app.admin().await;
    let staff = app.staff().await;
    assert_eq!(total(&app, &staff.token, "").await, 2);

    for token in [&client.token, &staff.token] {
        let refused = app.delete(&path, Some(token)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.body, json!({"error": "Accès non autorisé"}));
    }
    assert_eq!(
        app.delete(&path, None).await.status,
        StatusCode::UNAUTHORIZED
    );

    let deleted = app.delete(&path, Some(&admin.token)).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(
        deleted.body,
        json!({"success": true, "message": "Paiement supprimé avec succès"})
    );

    let not_found = json!({"error": "Paiement non trouvé"});
    let get = app.get(&path, Some(&admin.token)).await;
    assert_eq!((get.status, &get.body), (StatusCode::NOT_FOUND, &not_found));
    let put = app
        .put(&path, Some(&admin.token), json!({"status": "success"}))
        .await;
    assert_eq!((put.status, &put.body), (StatusCode::NOT_FOUND, &not_found));
    let patch = app
        .patch(
            &format!("{path}/status"),
            Some(&admin.token),
            json!({"status": "success"}),
        )
        .await;
    assert_eq!(
        (patch.status, &patch.body),
        (StatusCode::NOT_FOUND, &not_found)
    );
    let twice = app.delete(&path, Some(&admin.token)).await;
    assert_eq!(
        (twice.status, &twice.body),
        (StatusCode::NOT_FOUND, &not_found)
    );

    // It left every list and total.
    let list = app.get("/api/payments", Some(&staff.token)).await;
    assert_eq!(ids(&list), [kept]);
    assert_eq!(list.body["pagination"]["total"], 1);
    assert_eq!(total(&app, &staff.token, "?status=pending").await, 1);
    assert_eq!(total(&app, &staff.token, "?payment_method=wave").await, 1);
    let today = &list.body["data"][0]["created_at"].as_str().unwrap()[..10];
    assert_eq!(
        total(&app, &staff.token, &format!("?start_date={today}")).await,
        1
    );
    // Its reference stays taken; its order may be paid again.
    let reuse = pay(&app, &client.token, order_id, "PAY-DEL", "wave").await;
    assert_eq!(reuse.status, StatusCode::CONFLICT);
    assert_eq!(
        reuse.body,
        json!({"error": "Référence de paiement déjà existante"})
    );
    let again = pay(&app, &client.token, order_id, "PAY-DEL-2", "wave").await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);

    let missing = app.delete("/api/payments/999", Some(&admin.token)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let bad = app.delete("/api/payments/abc", Some(&admin.token)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
});
