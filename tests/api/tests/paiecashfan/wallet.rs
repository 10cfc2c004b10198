//! `sendMoney(recipientId, amount)`, the balance and the history.

use super::*;

async fn send(app: &ProductApp, from: &Fan, body: Value, key: Option<&str>) -> api_tests::Reply {
    let headers: Vec<(&str, &str)> = key.map(|k| ("Idempotency-Key", k)).into_iter().collect();
    app.post_with("/api/wallet/send", Some(&from.token), &headers, body)
        .await
}

both!(
    a_transfer_moves_both_balances_in_one_entry,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "om").await;
        let moussa = fan(&app, "moussa@example.com", "psg").await;
        fund(&app, &awa, 100).await;

        let reply = send(
            &app,
            &awa,
            json!({"recipientId": moussa.id, "amount": 25.5}),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let sent = &reply.body["transaction"];
        assert_eq!(sent["amount"], -25.5);
        assert_eq!(sent["direction"], "debit");
        assert_eq!(sent["kind"], "transfer");
        assert_eq!(sent["counterpartId"], moussa.id.as_str());
        assert_eq!(balance(&app, &awa).await, 74.5);
        assert_eq!(balance(&app, &moussa).await, 25.5);

        // Each side's history shows the same entry, newest first.
        let history = app.get("/api/wallet/transactions", Some(&awa.token)).await;
        assert_eq!(history.status, StatusCode::OK);
        let items = history.body["transactions"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["id"], sent["id"]);
        assert_eq!(items[1]["kind"], "deposit");
        assert_eq!(items[1]["amount"], 100.0);
        assert_eq!(history.body["pagination"]["total"], 2);
        let theirs = app
            .get("/api/wallet/transactions", Some(&moussa.token))
            .await;
        let received = &theirs.body["transactions"][0];
        assert_eq!(received["id"], sent["id"]);
        assert_eq!(received["amount"], 25.5);
        assert_eq!(received["direction"], "credit");
        assert_eq!(received["counterpartId"], awa.id.as_str());
        ledger_holds(&app).await;
    }
);

both!(
    a_refused_transfer_moves_nothing,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "om").await;
        let moussa = fan(&app, "moussa@example.com", "psg").await;
        fund(&app, &awa, 20).await;
        // The amount is checked before anything else, even a transfer to oneself.
        for amount in [json!("10"), json!(1.234), json!(0), json!(-5), json!(null)] {
            let body = json!({"recipientId": awa.id, "amount": amount});
            let reply = send(&app, &awa, body, None).await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{amount}: {:?}",
                reply.body
            );
            assert!(
                reply.body["error"]["fields"]["amount"].is_array(),
                "{:?}",
                reply.body
            );
        }
        let to_self = send(
            &app,
            &awa,
            json!({"recipientId": awa.id, "amount": 5}),
            None,
        )
        .await;
        assert_eq!(
            to_self.status,
            StatusCode::BAD_REQUEST,
            "{:?}",
            to_self.body
        );
        for unknown in ["00000000-0000-4000-8000-000000000000", "nobody"] {
            let reply = send(
                &app,
                &awa,
                json!({"recipientId": unknown, "amount": 5}),
                None,
            )
            .await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{:?}", reply.body);
            assert_eq!(reply.body["error"]["message"], "Destinataire introuvable");
        }
        let beyond = send(
            &app,
            &awa,
            json!({"recipientId": moussa.id, "amount": 20.01}),
            None,
        )
        .await;
        assert_eq!(beyond.status, StatusCode::BAD_REQUEST, "{:?}", beyond.body);
        assert_eq!(beyond.body["error"]["message"], "Solde insuffisant");
        assert_eq!(balance(&app, &awa).await, 20.0);
        assert_eq!(balance(&app, &moussa).await, 0.0);
        let history = app
            .get("/api/wallet/transactions", Some(&moussa.token))
            .await;
        assert_eq!(history.body["transactions"], json!([]));
        // The whole balance can go.
        let all = send(
            &app,
            &awa,
            json!({"recipientId": moussa.id, "amount": 20}),
            None,
        )
        .await;
        assert_eq!(all.status, StatusCode::CREATED, "{:?}", all.body);
        assert_eq!(balance(&app, &awa).await, 0.0);
        ledger_holds(&app).await;
    }
);

both!(
    a_retried_transfer_moves_money_once,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "om").await;
        let moussa = fan(&app, "moussa@example.com", "psg").await;
        fund(&app, &awa, 50).await;
        let body = json!({"recipientId": moussa.id, "amount": 10});
        let first = send(&app, &awa, body.clone(), Some("transfer-1")).await;
        assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
        let again = send(&app, &awa, body.clone(), Some("transfer-1")).await;
        assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
        assert_eq!(again.body, first.body);
        assert_eq!(again.headers["idempotent-replayed"], "true");
        assert_eq!(balance(&app, &awa).await, 40.0);
        assert_eq!(balance(&app, &moussa).await, 10.0);
        // The same key with another body.
        let other = json!({"recipientId": moussa.id, "amount": 11});
        let reused = send(&app, &awa, other, Some("transfer-1")).await;
        assert_eq!(reused.status, StatusCode::CONFLICT, "{:?}", reused.body);
        assert_eq!(balance(&app, &awa).await, 40.0);
        // Another key is another transfer.
        let second = send(&app, &awa, body, Some("transfer-2")).await;
        assert_eq!(second.status, StatusCode::CREATED);
        assert_eq!(balance(&app, &awa).await, 30.0);
        ledger_holds(&app).await;
    }
);

both!(the_history_is_paginated, |app: ProductApp| async move {
    let awa = fan(&app, "awa@example.com", "om").await;
    let moussa = fan(&app, "moussa@example.com", "psg").await;
    fund(&app, &awa, 50).await;
    for n in 1..=4 {
        let body = json!({"recipientId": moussa.id, "amount": n});
        assert_eq!(
            send(&app, &awa, body, None).await.status,
            StatusCode::CREATED
        );
    }
    let page = app
        .get("/api/wallet/transactions?page=2&limit=2", Some(&awa.token))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    let amounts: Vec<f64> = page.body["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["amount"].as_f64().unwrap())
        .collect();
    assert_eq!(amounts, [-2.0, -1.0]);
    assert_eq!(
        page.body["pagination"],
        json!({"page": 2, "limit": 2, "total": 5, "totalPages": 3})
    );
});
