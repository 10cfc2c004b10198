//! Stripe's webhooks: a real delivery from localstripe pays the order of a client who never
//! came back; forged, stale and replayed deliveries change nothing; a late event never moves
//! an order back; another shop's intent is acknowledged and ignored.

use super::checkout::{checkout, stripe_client};
use super::*;
use payments::localstripe::CARD_OK;
use serde_json::{Value, json};

fn secret(app: &ProductApp) -> String {
    app.env.own_var("STRIPE_WEBHOOK_SECRET").unwrap()
}

fn event(id: &str, kind: &str, intent: &str, amount: i64, metadata: Value) -> String {
    json!({"id": id, "type": kind, "data": {"object": {
        "id": intent, "object": "payment_intent", "amount": amount, "currency": "eur",
        "metadata": metadata}}})
    .to_string()
}

/// The order's metadata `orderId` for the intent (what Stripe's events carry).
async fn order_id(app: &ProductApp, intent: &str) -> String {
    let key = store::Key::new(format!("INTENT#{intent}"), "INTENT");
    let link = app.deps.store.get(&key).await.unwrap().unwrap();
    link["orderId"].as_str().unwrap().to_owned()
}

async fn deliver(app: &ProductApp, path: &str, body: &str, at: i64) -> api_tests::Reply {
    let signature = web::webhook::sign(body.as_bytes(), &secret(app), at);
    app.post_bytes(path, &[("stripe-signature", &signature)], body)
        .await
}

async fn order_view(app: &ProductApp, intent: &str) -> Value {
    app.get(&format!("/api/products/order/{intent}"), None)
        .await
        .body["order"]
        .clone()
}

both!(
    a_paid_intent_completes_the_order_through_localstripe_s_delivery,
    |app: ProductApp| async move {
        let client = stripe_client();
        let endpoint = format!("lumira-{}", uuid::Uuid::new_v4().simple());
        client
            .register_webhook(
                &endpoint,
                &format!("{}/api/products/webhook", app.base),
                &secret(&app),
            )
            .await
            .unwrap();
        let created = checkout(&app, "integrale_mandala", "absent@example.com").await;
        let intent = created["orderId"].as_str().unwrap().to_owned();
        assert_eq!(client.pay(&intent, CARD_OK).await.unwrap(), "succeeded");
        // The client never comes back: only localstripe's signed delivery can pay the order.
        let mut status = Value::Null;
        for _ in 0..100 {
            status = order_view(&app, &intent).await["status"].clone();
            if status == "completed" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await; // polls the delivery
        }
        assert_eq!(status, "completed");
    }
);

both!(
    signed_events_move_the_order_once_and_only_forward,
    |app: ProductApp| async move {
        let created = checkout(&app, "mystique_intuitive", "client@example.com").await;
        let intent = created["orderId"].as_str().unwrap().to_owned();
        let metadata = json!({"orderId": order_id(&app, &intent).await});
        let now = chrono::Utc::now().timestamp();
        let paid = event(
            "evt_paid",
            "payment_intent.succeeded",
            &intent,
            1400,
            metadata.clone(),
        );

        // Forged, stale or unsigned: 400, nothing changes.
        let forged = app
            .post_bytes(
                "/api/products/webhook",
                &[(
                    "stripe-signature",
                    &web::webhook::sign(paid.as_bytes(), "whsec_other", now),
                )],
                &paid,
            )
            .await;
        let stale = deliver(&app, "/api/products/webhook", &paid, now - 301).await;
        let unsigned = app.post_bytes("/api/products/webhook", &[], &paid).await;
        let tampered_body = paid.replace("1400", "1401");
        let signature = web::webhook::sign(paid.as_bytes(), &secret(&app), now);
        let tampered = app
            .post_bytes(
                "/api/products/webhook",
                &[("stripe-signature", &signature)],
                &tampered_body,
            )
            .await;
        for reply in [forged, stale, unsigned, tampered] {
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);
            assert!(reply.body["error"].is_string());
        }
        assert_eq!(order_view(&app, &intent).await["status"], "pending");

        let reply = deliver(&app, "/api/products/webhook", &paid, now).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(
            reply.body,
            json!({"received": true, "event_type": "payment_intent.succeeded"})
        );
        let after = order_view(&app, &intent).await;
        assert_eq!(after["status"], "completed");

        // A late failure and a replay, on either endpoint: acknowledged, nothing moves.
        let failed = event(
            "evt_failed",
            "payment_intent.payment_failed",
            &intent,
            1400,
            metadata.clone(),
        );
        for (path, body) in [
            ("/api/payments/webhook", &failed),
            ("/api/products/webhook", &paid),
            ("/api/payments/webhook", &paid),
        ] {
            let reply = deliver(&app, path, body, now).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            assert_eq!(order_view(&app, &intent).await, after);
        }
    }
);

both!(
    other_shops_intents_and_other_events_are_acknowledged,
    |app: ProductApp| async move {
        let created = checkout(&app, "mystique_intuitive", "client@example.com").await;
        let intent = created["orderId"].as_str().unwrap().to_owned();
        let now = chrono::Utc::now().timestamp();
        let real_order = json!({"orderId": order_id(&app, &intent).await});
        let cases = [
            // No order reference: not this shop's.
            event(
                "evt_a",
                "payment_intent.succeeded",
                &intent,
                1400,
                json!({}),
            ),
            // This shop's order, another intent.
            event(
                "evt_b",
                "payment_intent.succeeded",
                "pi_other",
                1400,
                real_order.clone(),
            ),
            // The right intent for another sum.
            event(
                "evt_c",
                "payment_intent.succeeded",
                &intent,
                1,
                real_order.clone(),
            ),
            // An event this shop does not act on.
            event("evt_d", "customer.created", &intent, 1400, real_order),
        ];
        for body in &cases {
            let reply = deliver(&app, "/api/products/webhook", body, now).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            assert_eq!(reply.body["received"], true);
        }
        assert_eq!(order_view(&app, &intent).await["status"], "pending");
        let junk = deliver(&app, "/api/products/webhook", "not json", now).await;
        assert_eq!(junk.status, StatusCode::BAD_REQUEST);
    }
);

fn charge_refunded(id: &str, intent: &str, refunded: bool) -> String {
    json!({"id": id, "type": "charge.refunded", "data": {"object": {
        "id": format!("ch_{id}"), "object": "charge", "amount": 1400,
        "amount_refunded": if refunded { 1400 } else { 400 },
        "refunded": refunded, "payment_intent": intent, "metadata": {}}}})
    .to_string()
}

both!(
    a_charge_refunded_in_full_refunds_its_order_once,
    |app: ProductApp| async move {
        let created = checkout(&app, "mystique_intuitive", "refund@example.com").await;
        let intent = created["orderId"].as_str().unwrap().to_owned();
        let metadata = json!({"orderId": order_id(&app, &intent).await});
        let now = chrono::Utc::now().timestamp();
        let paid = event(
            "evt_pay",
            "payment_intent.succeeded",
            &intent,
            1400,
            metadata,
        );
        assert_eq!(
            deliver(&app, "/api/payments/webhook", &paid, now)
                .await
                .status,
            StatusCode::OK
        );
        // A partial refund, and a refund of a charge of another shop: acknowledged, ignored.
        for body in [
            charge_refunded("evt_partial", &intent, false),
            charge_refunded("evt_other", "pi_not_ours", true),
        ] {
            let reply = deliver(&app, "/api/payments/webhook", &body, now).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            assert_eq!(reply.body["event_type"], "charge.refunded");
        }
        assert_eq!(order_view(&app, &intent).await["status"], "completed");

        let full = charge_refunded("evt_refund", &intent, true);
        for _ in 0..2 {
            let reply = deliver(&app, "/api/payments/webhook", &full, now).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        }
        assert_eq!(order_view(&app, &intent).await["status"], "refunded");
        // The back office sees the order refunded, by Stripe, and the client's money back.
        let token = super::staff::admin_token(&app).await;
        let id = order_id(&app, &intent).await;
        let order = app
            .get(&format!("/api/orders/{id}"), Some(&token))
            .await
            .body;
        assert_eq!(
            (order["status"].as_str(), order["paymentStatus"].as_str()),
            (Some("refunded"), Some("refunded"))
        );
        let history = order["statusHistory"].as_array().unwrap();
        assert_eq!(history.len(), 2, "paid, then refunded once: {history:?}");
        assert_eq!(history[1]["by"], "stripe");
        let user = order["userId"]["_id"].as_str().unwrap();
        let stats = app
            .get(&format!("/api/users/{user}/stats"), Some(&token))
            .await;
        assert_eq!(stats.body["orderStats"]["totalSpent"], 0);
        assert_eq!(stats.body["orderStats"]["byStatus"]["refunded"], 1);
        // A late success never moves it back.
        let late = event(
            "evt_late",
            "payment_intent.succeeded",
            &intent,
            1400,
            json!({"orderId": id}),
        );
        deliver(&app, "/api/payments/webhook", &late, now).await;
        assert_eq!(order_view(&app, &intent).await["status"], "refunded");
    }
);
