//! `Idempotency-Key` on order and payment creation: a retry answers the first result, a key
//! reused with another body is a 409, and a key is forgotten after 24 hours.
use api_tests::{Reply, TestApp, both};
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{Key, Update};

const ORDER: &str = "/api/orders";
const PAYMENT: &str = "/api/payments";

fn an_order() -> Value {
    json!({"plan_id": 1, "phone_number": "0701020304", "payment_method": "wave"})
}

async fn create(app: &TestApp, path: &str, token: &str, key: &str, body: Value) -> Reply {
    app.post_with(path, Some(token), &[("Idempotency-Key", key)], body)
        .await
}

async fn total(app: &TestApp, path: &str, token: &str) -> Value {
    let reply = app.get(path, Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["pagination"]["total"].clone()
}

fn replayed(reply: &Reply) -> bool {
    reply.headers.get("idempotent-replayed").is_some()
}

both!(
    a_retried_order_answers_the_first_result_once,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let first = create(&app, ORDER, &client.token, "order-1", an_order()).await;
        assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
        assert!(!replayed(&first));

        // The same body in another field order is the same request.
        let same = json!({"payment_method": "wave", "phone_number": "0701020304", "plan_id": 1});
        let again = create(&app, ORDER, &client.token, "order-1", same).await;
        assert_eq!(again.status, StatusCode::CREATED);
        assert_eq!(again.body, first.body);
        assert!(replayed(&again));
        assert_eq!(total(&app, "/api/orders", &client.token).await, 1);

        let other = json!({"plan_id": 1, "phone_number": "0701020305", "payment_method": "wave"});
        let reused = create(&app, ORDER, &client.token, "order-1", other).await;
        assert_eq!(reused.status, StatusCode::CONFLICT);
        assert_eq!(
            reused.body["error"],
            "Clé d'idempotence déjà utilisée pour une autre requête"
        );
        assert_eq!(total(&app, "/api/orders", &client.token).await, 1);

        // Another client's same key is another key: it neither replays nor blocks.
        let neighbour = app.login("0501020304").await;
        let theirs = create(&app, ORDER, &neighbour.token, "order-1", an_order()).await;
        assert_eq!(theirs.status, StatusCode::CREATED);
        assert!(!replayed(&theirs));
        assert_ne!(theirs.body["id"], first.body["id"]);

        // Without a key, the same body is a new order.
        let unkeyed = app.post(ORDER, Some(&client.token), an_order()).await;
        assert_eq!(unkeyed.status, StatusCode::CREATED);
        assert_eq!(total(&app, "/api/orders", &client.token).await, 2);
    }
);

both!(
    retries_sent_at_once_create_one_order,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let (a, b, c) = tokio::join!(
            create(&app, ORDER, &client.token, "tap", an_order()),
            create(&app, ORDER, &client.token, "tap", an_order()),
            create(&app, ORDER, &client.token, "tap", an_order()),
        );
        for reply in [&a, &b, &c] {
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
            assert_eq!(reply.body["id"], a.body["id"]);
        }
        assert_eq!(total(&app, "/api/orders", &client.token).await, 1);
    }
);

both!(
    a_retried_payment_answers_the_first_result_once,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let order = app.post(ORDER, Some(&client.token), an_order()).await;
        let payment = json!({"order_id": order.body["id"], "amount": 1000,
                             "payment_method": "wave", "payment_reference": "WAVE-1"});
        let (first, second) = tokio::join!(
            create(&app, PAYMENT, &client.token, "pay-1", payment.clone()),
            create(&app, PAYMENT, &client.token, "pay-1", payment.clone()),
        );
        // Both get the first answer, not the duplicate reference's 409.
        for reply in [&first, &second] {
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
            assert_eq!(reply.body["data"]["id"], first.body["data"]["id"]);
        }
        let staff = app.staff().await;
        assert_eq!(total(&app, "/api/payments", &staff.token).await, 1);

        let mut changed = payment.clone();
        changed["amount"] = json!(2000);
        let reused = create(&app, PAYMENT, &client.token, "pay-1", changed).await;
        assert_eq!(reused.status, StatusCode::CONFLICT);
        // Without the key, it is a second payment of the order: refused.
        let unkeyed = app.post(PAYMENT, Some(&client.token), payment).await;
        assert_eq!(unkeyed.status, StatusCode::CONFLICT);
        assert_eq!(
            unkeyed.body["error"],
            "Un paiement est déjà en cours ou réussi pour cette commande"
        );
    }
);

both!(keys_are_forgotten_after_a_day, |app: TestApp| async move {
    app.seed_catalogue().await;
    let client = app.login("0701020304").await;
    let first = create(&app, ORDER, &client.token, "old", an_order()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let key = Key::new(format!("IDEMPOTENCY#orders#{}#old", client.id), "-");
    let stored = app
        .store
        .get(&key)
        .await
        .unwrap()
        .expect("the key's record");
    let expires_at = stored["expires_at"].as_i64().unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!((now + 86_400 - 5..=now + 86_400).contains(&expires_at));

    // A day later (DynamoDB may keep an expired item for a while: it must not count).
    let past = Update::new().set("expires_at", now - 1);
    app.store.update(&key, past, None).await.unwrap();
    let later = create(&app, ORDER, &client.token, "old", an_order()).await;
    assert_eq!(later.status, StatusCode::CREATED, "{:?}", later.body);
    assert!(!replayed(&later));
    assert_ne!(later.body["id"], first.body["id"]);
    assert_eq!(total(&app, "/api/orders", &client.token).await, 2);
});

both!(
    malformed_keys_are_refused_before_anything_is_written,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        for key in ["", " ", "clé", &"k".repeat(256)] {
            let reply = create(&app, ORDER, &client.token, key, an_order()).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{key:?}");
            assert_eq!(reply.body["error"], "Clé d'idempotence invalide");
        }
        let longest = create(&app, ORDER, &client.token, &"k".repeat(255), an_order()).await;
        assert_eq!(longest.status, StatusCode::CREATED);
        assert_eq!(total(&app, "/api/orders", &client.token).await, 1);
    }
);
