//! The checkout: a free product's order at once, a paid one's Stripe intent (localstripe),
//! the order followed by its intent id on both documented paths, and confirm-payment
//! asking Stripe rather than the client.

use super::*;
use payments::localstripe::{CARD_OK, LocalStripe};
use serde_json::{Value, json};

pub fn stripe_client() -> LocalStripe {
    LocalStripe::new(
        &std::env::var("TEST_STRIPE_ENDPOINT").expect("TEST_STRIPE_ENDPOINT: run scripts/test.sh"),
        payments::stripe::LOCAL_TEST_KEY,
    )
}

/// Checks out `product` for `email`; returns the answer's body.
pub async fn checkout(app: &ProductApp, product: &str, email: &str) -> Value {
    let reply = app
        .post(
            "/api/products/create-payment-intent",
            None,
            json!({"productId": product, "customerEmail": email,
                   "metadata": {"source": "spa-checkout"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

both!(
    a_free_product_is_ordered_without_stripe,
    |app: ProductApp| async move {
        let created = checkout(&app, "initie_simple", " John.Doe@Example.com").await;
        let id = created["orderId"].as_str().unwrap().to_owned();
        assert!(id.starts_with("free_"), "{created}");
        assert_eq!(created["clientSecret"], Value::Null);
        assert_eq!(created["amount"], 0);
        assert_eq!(created["currency"], "eur");
        assert_eq!(created["productName"], "Lecture Initiatique Simple");

        for path in ["order", "orders"] {
            let reply = app.get(&format!("/api/products/{path}/{id}"), None).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            let order = &reply.body["order"];
            assert_eq!(order["id"], id.as_str());
            assert_eq!(order["paymentIntentId"], id.as_str());
            assert_eq!(order["customerEmail"], "john.doe@example.com");
            assert_eq!(order["status"], "completed");
            assert!(order["completedAt"].is_string());
            assert_eq!(
                order["metadata"]["productName"],
                "Lecture Initiatique Simple"
            );
            assert_eq!(order["metadata"]["level"], "initie");
            assert_eq!(order["metadata"]["source"], "spa-checkout");
            assert_eq!(
                reply.body["product"],
                json!({"id": "initie_simple", "name": "Lecture Initiatique Simple", "level": "Simple"})
            );
            assert_eq!(reply.body["accessGranted"], true);
            assert_eq!(reply.body["sanctuaryUrl"], "/sanctuaire");
        }
    }
);

both!(
    a_paid_product_gets_an_intent_and_waits_for_its_payment,
    |app: ProductApp| async move {
        let created = checkout(&app, "mystique_intuitive", "client@example.com").await;
        let id = created["orderId"].as_str().unwrap();
        assert!(id.starts_with("pi_"), "{created}");
        assert!(created["clientSecret"].as_str().unwrap().starts_with(id));
        assert_eq!(created["amount"], 1400);

        let status = app.get(&format!("/api/products/order/{id}"), None).await;
        assert_eq!(status.body["order"]["status"], "pending");
        assert_eq!(status.body["order"]["amount"], 1400);
        assert_eq!(status.body["order"]["completedAt"], Value::Null);
        assert_eq!(status.body["accessGranted"], false);
        assert_eq!(status.body["product"]["level"], "Intuitive");

        // Numbered from the day's counter, one after the other.
        let second = checkout(&app, "profond_transformation", "client@example.com").await;
        let mut numbers = Vec::new();
        for intent in [id, second["orderId"].as_str().unwrap()] {
            let link = store::Key::new(format!("INTENT#{intent}"), "INTENT");
            let link = app.deps.store.get(&link).await.unwrap().unwrap();
            let order_id = link["orderId"].as_str().unwrap();
            let key = store::Key::new(format!("ORDER#{order_id}"), "ORDER");
            let order = app.deps.store.get(&key).await.unwrap().unwrap();
            numbers.push(order["orderNumber"].as_str().unwrap().to_owned());
        }
        let day = chrono::Utc::now().format("%y%m%d").to_string();
        assert_eq!(numbers, [format!("LU{day}001"), format!("LU{day}002")]);
    }
);

both!(confirm_payment_asks_stripe, |app: ProductApp| async move {
    let created = checkout(&app, "mystique_intuitive", "client@example.com").await;
    let intent = created["orderId"].as_str().unwrap();
    let confirm = || {
        app.post(
            "/api/payments/confirm-payment",
            None,
            json!({"paymentIntentId": intent}),
        )
    };

    // Not paid yet: the client saying so changes nothing.
    let early = confirm().await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST, "{:?}", early.body);
    assert_eq!(early.body["error"], "Payment not completed");

    assert_eq!(
        stripe_client().pay(intent, CARD_OK).await.unwrap(),
        "succeeded"
    );
    let paid = confirm().await;
    assert_eq!(paid.status, StatusCode::OK, "{:?}", paid.body);
    assert_eq!(paid.body["success"], true);
    let order = &paid.body["order"];
    assert_eq!(
        (order["status"].as_str(), order["paymentStatus"].as_str()),
        (Some("paid"), Some("succeeded"))
    );
    assert_eq!(
        (order["amount"].as_i64(), order["service"].as_str()),
        (Some(1400), Some("reading"))
    );
    assert_eq!(order["id"].as_str().unwrap().len(), 24);
    // Again: the same answer, nothing moved.
    assert_eq!(confirm().await.body, paid.body);
    let status = app
        .get(&format!("/api/products/order/{intent}"), None)
        .await;
    assert_eq!(status.body["order"]["status"], "completed");
    assert_eq!(status.body["accessGranted"], true);
});

both!(checkout_refusals, |app: ProductApp| async move {
    let post = |body: Value| app.post("/api/products/create-payment-intent", None, body);
    let empty = post(json!({})).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.body["error"], "Validation failed");
    assert!(
        empty.body["details"]["productId"].is_array()
            && empty.body["details"]["customerEmail"].is_array()
    );
    let bad_email = post(json!({"productId": "initie_simple", "customerEmail": "nope"})).await;
    assert_eq!(bad_email.status, StatusCode::BAD_REQUEST);
    assert!(bad_email.body["details"]["customerEmail"].is_array());
    let bad_metadata = post(
        json!({"productId": "initie_simple", "customerEmail": "a@b.fr", "metadata": {"n": 1}}),
    )
    .await;
    assert_eq!(bad_metadata.status, StatusCode::BAD_REQUEST);
    let unknown = post(json!({"productId": "inconnu", "customerEmail": "a@b.fr"})).await;
    assert_eq!(
        (unknown.status, unknown.body.clone()),
        (StatusCode::NOT_FOUND, json!({"error": "Product not found"}))
    );

    for path in [
        "/api/products/order/pi_unknown",
        "/api/products/orders/free_0",
    ] {
        let reply = app.get(path, None).await;
        assert_eq!(
            (reply.status, reply.body.clone()),
            (StatusCode::NOT_FOUND, json!({"error": "Order not found"}))
        );
    }
    // Not an intent id at all: the style's malformed-id answer.
    assert_eq!(
        app.get("/api/products/order/ch_1", None).await.status,
        StatusCode::BAD_REQUEST
    );
    let confirm = app
        .post(
            "/api/payments/confirm-payment",
            None,
            json!({"paymentIntentId": "pi_unknown"}),
        )
        .await;
    assert_eq!(confirm.status, StatusCode::NOT_FOUND);
    let confirm = app
        .post(
            "/api/payments/confirm-payment",
            None,
            json!({"paymentIntentId": 3}),
        )
        .await;
    assert_eq!(confirm.status, StatusCode::BAD_REQUEST);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_stripe_key_payments_answer_503_and_free_products_still_work() {
    let app = ProductApp::spawn_with(&lumira::Lumira, Backend::Embedded, |env| {
        env.with("STRIPE_API_BASE", "")
            .with("STRIPE_WEBHOOK_SECRET", "")
    })
    .await;
    let paid = pay_for_a_paid_product(&app).await;
    assert_eq!(paid.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(paid.body, json!({"error": "Payments are not configured"}));
    let webhook = app
        .post_bytes(
            "/api/products/webhook",
            &[("stripe-signature", "t=1,v1=00")],
            "{}",
        )
        .await;
    assert_eq!(webhook.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        app.get("/api/health", None).await.body["services"]["stripe"],
        "not_configured"
    );
    checkout(&app, "initie_simple", "a@b.fr").await;

    // The health function holds no key: the template tells it whether the payment
    // functions have one.
    let told = ProductApp::spawn_with(&lumira::Lumira, Backend::Embedded, |env| {
        env.with("STRIPE_API_BASE", "")
            .with("STRIPE_CONFIGURED", "true")
    })
    .await;
    let health = told.get("/api/health", None).await;
    assert_eq!(health.body["services"]["stripe"], "configured");
    let paid = pay_for_a_paid_product(&told).await;
    assert_eq!(paid.status, StatusCode::SERVICE_UNAVAILABLE);
}

/// Asks to pay for a product that is not free.
async fn pay_for_a_paid_product(app: &ProductApp) -> api_tests::Reply {
    app.post(
        "/api/products/create-payment-intent",
        None,
        json!({"productId": "mystique_intuitive", "customerEmail": "a@b.fr"}),
    )
    .await
}
