//! The order and payment lifecycle (issue 9 §4): who may move what where, what a payment does
//! to its order, and the history staff and admin see.
use api_tests::{Session, TestApp, both};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn order(app: &TestApp, client: &Session) -> i64 {
    app.place_order(&client.token, 1, "0701020304", "wave")
        .await
}

async fn payment(app: &TestApp, client: &Session, order_id: i64, reference: &str) -> i64 {
    let reply = app
        .pay_order(&client.token, order_id, 1000.0, reference, "wave")
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["data"]["id"].as_i64().unwrap()
}

async fn set_order(app: &TestApp, who: &Session, id: i64, body: Value) -> api_tests::Reply {
    app.put(&format!("/api/orders/{id}/status"), Some(&who.token), body)
        .await
}

async fn set_payment(app: &TestApp, who: &Session, id: i64, body: Value) -> api_tests::Reply {
    app.patch(
        &format!("/api/payments/{id}/status"),
        Some(&who.token),
        body,
    )
    .await
}

async fn order_seen_by(app: &TestApp, who: &Session, id: i64) -> Value {
    let reply = app
        .get(&format!("/api/orders/{id}"), Some(&who.token))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

fn statuses(history: &Value) -> Vec<(Value, Value)> {
    history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["previous_status"].clone(), e["status"].clone()))
        .collect()
}

both!(
    assignment_is_the_only_way_to_assigned_and_pending_clears_it,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let admin = app.admin().await;
        let id = order(&app, &client).await;

        let direct = set_order(&app, &staff, id, json!({"status": "assigned"})).await;
        assert_eq!(direct.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            direct.body,
            json!({"error": "Transition de statut invalide",
                   "details": "Une commande s'assigne par PUT /api/orders/:id/assign"})
        );
        let assigned = app
            .put(
                &format!("/api/orders/{id}/assign"),
                Some(&admin.token),
                json!({"staff_id": staff.id, "reason": "Zone Cocody"}),
            )
            .await;
        assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
        let back = set_order(
            &app,
            &staff,
            id,
            json!({"status": "pending", "reason": "Absent"}),
        )
        .await;
        assert_eq!(back.status, StatusCode::OK, "{:?}", back.body);
        let seen = order_seen_by(&app, &staff, id).await;
        assert_eq!(seen["status"], "pending");
        assert_eq!(seen["assigned_to"], Value::Null);
        assert_eq!(seen["assigned_to_name"], Value::Null);

        // Who, when and why, oldest first, for staff and admin; never for the client.
        let history = &seen["history"];
        assert_eq!(
            statuses(history),
            [
                (Value::Null, json!("pending")),
                (json!("pending"), json!("assigned")),
                (json!("assigned"), json!("pending")),
            ]
        );
        assert_eq!(history[0]["changed_by"], client.id);
        assert_eq!(history[0]["changed_by_role"], "client");
        assert_eq!(history[1]["changed_by"], admin.id);
        assert_eq!(history[1]["changed_by_role"], "admin");
        assert_eq!(history[1]["assigned_to"], staff.id);
        assert_eq!(history[1]["reason"], "Zone Cocody");
        assert_eq!(history[2]["changed_by"], staff.id);
        assert_eq!(history[2]["reason"], "Absent");
        assert_eq!(history[2]["changed_at"], seen["updated_at"]);
        assert!(history[1]["changed_at"].as_str() <= history[2]["changed_at"].as_str());
        let by_client = order_seen_by(&app, &client, id).await;
        assert!(by_client.get("history").is_none(), "{by_client}");

        let long = set_order(
            &app,
            &staff,
            id,
            json!({"status": "cancelled", "reason": "x".repeat(1001)}),
        )
        .await;
        assert_eq!(long.status, StatusCode::BAD_REQUEST);
        assert_eq!(order_seen_by(&app, &staff, id).await["status"], "pending");
    }
);

both!(
    a_refunded_payment_refunds_its_order_for_good,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let admin = app.admin().await;
        let id = order(&app, &client).await;
        let paid = payment(&app, &client, id, "PAY-R1").await;

        for status in ["refunded", "completed"] {
            let refused = set_order(&app, &staff, id, json!({"status": status})).await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{status}");
        }
        let early = set_payment(&app, &staff, paid, json!({"status": "refunded"})).await;
        assert_eq!(early.body["details"], "pending → refunded");
        let settled = set_payment(
            &app,
            &staff,
            paid,
            json!({"status": "success", "notes": "Reçu Wave"}),
        )
        .await;
        assert_eq!(settled.status, StatusCode::OK, "{:?}", settled.body);
        assert_eq!(
            set_order(&app, &staff, id, json!({"status": "processing"}))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            set_order(&app, &staff, id, json!({"status": "completed"}))
                .await
                .status,
            StatusCode::OK
        );

        let by_staff = set_order(&app, &staff, id, json!({"status": "refunded"})).await;
        assert_eq!(by_staff.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            by_staff.body["details"],
            "Une commande est remboursée avec son paiement (PATCH /api/payments/:id/status)"
        );
        let refund = set_payment(
            &app,
            &admin,
            paid,
            json!({"status": "refunded", "notes": "Erreur de numéro"}),
        )
        .await;
        assert_eq!(refund.status, StatusCode::OK, "{:?}", refund.body);

        let seen = order_seen_by(&app, &staff, id).await;
        assert_eq!(seen["status"], "refunded");
        let history = seen["history"].as_array().unwrap();
        assert_eq!(history.len(), 4, "{history:?}");
        let last = &history[3];
        assert_eq!(
            (&last["previous_status"], &last["status"]),
            (&json!("completed"), &json!("refunded"))
        );
        assert_eq!(last["changed_by"], admin.id);
        assert_eq!(
            last["reason"],
            format!("Paiement #{paid} remboursé : Erreur de numéro")
        );
        let refunded = app
            .get("/api/orders?status=refunded", Some(&staff.token))
            .await;
        assert_eq!(refunded.body["pagination"]["total"], 1);
        let completed = app
            .get("/api/orders?status=completed", Some(&staff.token))
            .await;
        assert_eq!(completed.body["pagination"]["total"], 0);

        // Final, both of them.
        for status in ["pending", "processing", "completed", "cancelled"] {
            let reply = set_order(&app, &staff, id, json!({"status": status})).await;
            assert_eq!(reply.body["details"], format!("refunded → {status}"));
        }
        for status in ["pending", "success", "failed"] {
            let reply = set_payment(&app, &admin, paid, json!({"status": status})).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST);
            assert_eq!(reply.body["details"], format!("refunded → {status}"));
        }
        let repay = app
            .post(
                "/api/payments",
                Some(&client.token),
                json!({"order_id": id, "amount": 1000, "payment_method": "wave",
                       "payment_reference": "PAY-R2"}),
            )
            .await;
        assert_eq!(repay.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            repay.body,
            json!({"error": "Cette commande ne peut plus être payée",
                                      "details": "Statut de la commande : refunded"})
        );

        // The payment's history, for the admin.
        let details = app
            .get(&format!("/api/payments/{paid}"), Some(&admin.token))
            .await;
        let history = &details.body["data"]["history"];
        assert_eq!(
            statuses(history),
            [
                (Value::Null, json!("pending")),
                (json!("pending"), json!("success")),
                (json!("success"), json!("refunded")),
            ]
        );
        assert_eq!(history[1]["changed_by"], staff.id);
        assert_eq!(history[1]["reason"], "Reçu Wave");
        assert_eq!(history[2]["reason"], "Erreur de numéro");
    }
);

both!(
    a_failed_payment_frees_its_order_for_another,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let id = order(&app, &client).await;
        let first = payment(&app, &client, id, "PAY-F1").await;
        let failed = set_payment(&app, &staff, first, json!({"status": "failed"})).await;
        assert_eq!(failed.status, StatusCode::OK);
        let revived = set_payment(&app, &staff, first, json!({"status": "success"})).await;
        assert_eq!(revived.status, StatusCode::BAD_REQUEST);
        assert_eq!(revived.body["details"], "failed → success");
        // Still unpaid: it cannot complete.
        set_order(&app, &staff, id, json!({"status": "processing"})).await;
        let unpaid = set_order(&app, &staff, id, json!({"status": "completed"})).await;
        assert_eq!(unpaid.body["error"], "Commande non payée");

        let second = payment(&app, &client, id, "PAY-F2").await;
        assert_eq!(
            set_payment(&app, &staff, second, json!({"status": "success"}))
                .await
                .status,
            StatusCode::OK
        );
        let done = set_order(&app, &staff, id, json!({"status": "completed"})).await;
        assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);

        // A cancelled order takes no payment.
        let cancelled = order(&app, &client).await;
        set_order(&app, &staff, cancelled, json!({"status": "cancelled"})).await;
        let refused = app
            .post(
                "/api/payments",
                Some(&client.token),
                json!({"order_id": cancelled, "amount": 1000, "payment_method": "wave",
                       "payment_reference": "PAY-F3"}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(refused.body["details"], "Statut de la commande : cancelled");
    }
);
