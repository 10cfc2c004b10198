//! Deposits: a Stripe PaymentIntent in euros; only Stripe's signed word credits the wallet,
//! once.

use super::*;
use ::payments::localstripe::{CARD_OK, LocalStripe};

fn stripe_client() -> LocalStripe {
    LocalStripe::new(
        &std::env::var("TEST_STRIPE_ENDPOINT").expect("TEST_STRIPE_ENDPOINT: run scripts/test.sh"),
        ::payments::stripe::LOCAL_TEST_KEY,
    )
}

fn secret(app: &ProductApp) -> String {
    app.env.own_var("STRIPE_WEBHOOK_SECRET").unwrap()
}

async fn start(app: &ProductApp, fan: &Fan, amount: Value) -> Value {
    let reply = app
        .post(
            "/api/wallet/deposit",
            Some(&fan.token),
            json!({"amount": amount}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

/// Delivers a signed `payment_intent.succeeded` event `event` for `deposit`.
async fn deliver(app: &ProductApp, event: &str, deposit: &Value, cents: i64) -> api_tests::Reply {
    let body = json!({"id": event, "type": "payment_intent.succeeded", "data": {"object": {
        "id": deposit["paymentIntentId"], "object": "payment_intent",
        "amount": cents, "currency": "eur",
        "metadata": {"depositId": deposit["id"]}}}})
    .to_string();
    let signature = web::webhook::sign(
        body.as_bytes(),
        &secret(app),
        chrono::Utc::now().timestamp(),
    );
    app.post_bytes(
        "/api/wallet/webhook",
        &[("stripe-signature", &signature)],
        &body,
    )
    .await
}

both!(
    a_card_deposit_is_credited_by_stripes_signed_word,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "om").await;
        let client = stripe_client();
        let endpoint = format!("paiecashfan-{}", uuid::Uuid::new_v4().simple());
        let url = format!("{}/api/wallet/webhook", app.base);
        client
            .register_webhook(&endpoint, &url, &secret(&app))
            .await
            .unwrap();

        let deposit = start(&app, &awa, json!(50)).await;
        assert_eq!(deposit["status"], "pending");
        assert_eq!(deposit["amount"], 50.0);
        assert_eq!(deposit["currency"], "EUR");
        assert!(
            deposit["clientSecret"]
                .as_str()
                .unwrap()
                .contains("_secret_")
        );
        // Nothing is credited before Stripe says so.
        assert_eq!(balance(&app, &awa).await, 0.0);

        let intent = deposit["paymentIntentId"].as_str().unwrap();
        assert_eq!(client.pay(intent, CARD_OK).await.unwrap(), "succeeded");
        let mut held = 0.0;
        for _ in 0..100 {
            held = balance(&app, &awa).await;
            if held > 0.0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await; // polls the delivery
        }
        assert_eq!(held, 50.0);
        let history = app.get("/api/wallet/transactions", Some(&awa.token)).await;
        assert_eq!(history.body["transactions"][0]["kind"], "deposit");
        let report = ledger_holds(&app).await;
        assert_eq!(report.deposited, 5000);
    }
);

both!(
    a_forged_or_replayed_webhook_credits_nothing_more,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "om").await;
        let deposit = start(&app, &awa, json!(20.5)).await;

        // Forged: signed with another secret, or not signed.
        let body =
            json!({"id": "evt_forged", "type": "payment_intent.succeeded", "data": {"object": {
        "id": deposit["paymentIntentId"], "amount": 2050, "currency": "eur",
        "metadata": {"depositId": deposit["id"]}}}})
            .to_string();
        let forged = web::webhook::sign(
            body.as_bytes(),
            "whsec_not_ours",
            chrono::Utc::now().timestamp(),
        );
        for signature in [forged.as_str(), "t=1,v1=00"] {
            let reply = app
                .post_bytes(
                    "/api/wallet/webhook",
                    &[("stripe-signature", signature)],
                    &body,
                )
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);
        }
        assert_eq!(balance(&app, &awa).await, 0.0);

        // Another amount than the deposit's is not its payment.
        assert_eq!(
            deliver(&app, "evt_other", &deposit, 9999).await.status,
            StatusCode::OK
        );
        assert_eq!(balance(&app, &awa).await, 0.0);

        let first = deliver(&app, "evt_1", &deposit, 2050).await;
        assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
        assert_eq!(first.body, json!({"received": true}));
        assert_eq!(balance(&app, &awa).await, 20.5);
        // The same event again, and another event of the same payment.
        for event in ["evt_1", "evt_2"] {
            let again = deliver(&app, event, &deposit, 2050).await;
            assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
        }
        assert_eq!(balance(&app, &awa).await, 20.5);
        let report = ledger_holds(&app).await;
        assert_eq!((report.deposited, report.wallets), (2050, 2050));
    }
);

both!(
    a_deposit_amount_is_checked_first,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "om").await;
        for amount in [json!("50"), json!(10.001), json!(0), json!(-1)] {
            let reply = app
                .post(
                    "/api/wallet/deposit",
                    Some(&awa.token),
                    json!({"amount": amount}),
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{amount}: {:?}",
                reply.body
            );
            assert!(reply.body["error"]["fields"]["amount"].is_array());
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_stripe_deposits_answer_503_and_credit_nothing() {
    let app = ProductApp::spawn_with(&paiecashfan::PaieCashFan, Backend::Embedded, |env| {
        env.with("STRIPE_API_BASE", "")
            .with("STRIPE_WEBHOOK_SECRET", "")
    })
    .await;
    paiecashfan::seed::demo_catalogue(&app.deps.store)
        .await
        .unwrap();
    let awa = fan(&app, "awa@example.com", "om").await;
    // A bad amount is still a 400: it is read before Stripe's configuration.
    let bad = app
        .post(
            "/api/wallet/deposit",
            Some(&awa.token),
            json!({"amount": "50"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let refused = app
        .post(
            "/api/wallet/deposit",
            Some(&awa.token),
            json!({"amount": 50}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        refused.body,
        json!({"error": {"code": "unavailable", "message": "Les paiements ne sont pas configurés"}})
    );
    let webhook = app
        .post_bytes(
            "/api/wallet/webhook",
            &[("stripe-signature", "t=1,v1=00")],
            "{}",
        )
        .await;
    assert_eq!(webhook.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(balance(&app, &awa).await, 0.0);
}
