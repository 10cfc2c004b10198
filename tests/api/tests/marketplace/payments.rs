//! `marketplace-admin.md` §6 and issue 24's payments: a provider buys through a Stripe
//! PaymentIntent in XAF; only Stripe's signed word settles a payment and gives what it
//! bought, once; the admin reads every payment with the totals.

use super::*;
use ::payments::localstripe::{CARD_OK, LocalStripe};

fn stripe_client() -> LocalStripe {
    LocalStripe::new(
        &std::env::var("TEST_STRIPE_ENDPOINT").expect("TEST_STRIPE_ENDPOINT: run scripts/test.sh"),
        ::payments::stripe::LOCAL_TEST_KEY,
    )
}

/// An approved, verified provider: the admin's token, the provider's token and its id.
pub async fn provider(app: &ProductApp, email: &str) -> (String, String, String) {
    let (admin, _) = admin(app).await;
    let id = super::providers::approved(app, &admin, email).await;
    let verify = format!("/api/admin/providers/{id}/verify");
    let verified = app
        .put(&verify, Some(&admin), json!({"isVerified": true}))
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{:?}", verified.body);
    let signed = login(app, email, PASSWORD).await;
    let token = signed.body["data"]["token"].as_str().unwrap().to_owned();
    (admin, token, id)
}

/// Buys `kind` as `token`; the answer's data (payment, clientSecret).
pub async fn buy(app: &ProductApp, token: &str, kind: &str) -> Value {
    let reply = app
        .post("/api/payments", Some(token), json!({"type": kind}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["data"].clone()
}

fn secret(app: &ProductApp) -> String {
    app.env.own_var("STRIPE_WEBHOOK_SECRET").unwrap()
}

/// Delivers a signed event of `kind` for `payment`'s intent (its amount unless said).
pub async fn deliver(
    app: &ProductApp,
    event: &str,
    kind: &str,
    payment: &Value,
    amount: Option<u64>,
) -> api_tests::Reply {
    let body = json!({"id": event, "type": kind, "data": {"object": {
        "id": payment["stripePaymentIntentId"], "object": "payment_intent",
        "amount": amount.unwrap_or(payment["amount"].as_u64().unwrap()), "currency": "xaf",
        "metadata": {"paymentId": payment["id"]}}}})
    .to_string();
    let signature = web::webhook::sign(
        body.as_bytes(),
        &secret(app),
        chrono::Utc::now().timestamp(),
    );
    app.post_bytes(
        "/api/payments/webhook",
        &[("stripe-signature", &signature)],
        &body,
    )
    .await
}

async fn my_payments(app: &ProductApp, token: &str) -> Vec<Value> {
    let reply = app.get("/api/payments/mine", Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]["payments"].as_array().unwrap().clone()
}

/// The provider `id` as stored.
async fn stored_provider(app: &ProductApp, id: &str) -> Value {
    let key = store::Key::new(format!("PROVIDER#{id}"), "PROVIDER");
    let item = app.deps.store.get(&key).await.unwrap().unwrap();
    serde_json::to_value(item).unwrap()
}

both!(
    a_provider_pays_through_stripe_and_gets_its_month,
    |app: ProductApp| async move {
        let offers = app.get("/api/payments/offers", None).await;
        assert_eq!(offers.status, StatusCode::OK);
        let prices: Vec<(&str, u64)> = offers.body["data"]["offers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["type"].as_str().unwrap(), o["amount"].as_u64().unwrap()))
            .collect();
        assert_eq!(
            prices,
            [("subscription", 5000), ("boost", 2000), ("featured", 10000)]
        );

        let (admin, token, id) = provider(&app, "salon@example.com").await;
        let client = stripe_client();
        let endpoint = format!("marketplace-{}", uuid::Uuid::new_v4().simple());
        let url = format!("{}/api/payments/webhook", app.base);
        client
            .register_webhook(&endpoint, &url, &secret(&app))
            .await
            .unwrap();

        let key = store::Key::new(format!("SUBSCRIPTION#{id}"), "SUBSCRIPTION");
        let trial = app.deps.store.get(&key).await.unwrap().unwrap();
        let started = buy(&app, &token, "subscription").await;
        let payment = &started["payment"];
        assert!(
            payment["id"].as_str().unwrap().starts_with("AELI"),
            "{payment}"
        );
        assert_eq!(payment["status"], "PENDING");
        assert_eq!(
            (payment["amount"].as_u64(), payment["currency"].as_str()),
            (Some(5000), Some("XAF"))
        );
        assert_eq!(payment["provider"]["id"], id.as_str());
        assert!(
            started["clientSecret"]
                .as_str()
                .unwrap()
                .contains("_secret_")
        );

        let intent = payment["stripePaymentIntentId"].as_str().unwrap();
        assert_eq!(client.pay(intent, CARD_OK).await.unwrap(), "succeeded");
        // Only localstripe's signed delivery can settle it.
        let mut mine = Vec::new();
        for _ in 0..100 {
            mine = my_payments(&app, &token).await;
            if mine[0]["status"] == "ACCEPTED" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await; // polls the delivery
        }
        assert_eq!(mine[0]["status"], "ACCEPTED");
        assert!(mine[0]["paidAt"].is_string());
        let month = app.deps.store.get(&key).await.unwrap().unwrap();
        assert_eq!(month["plan"], "monthly");
        let (was, now) = (
            trial["endsAt"].as_str().unwrap(),
            month["endsAt"].as_str().unwrap(),
        );
        let days =
            (web::time::parse_date(now).unwrap() - web::time::parse_date(was).unwrap()).num_days();
        assert_eq!(days, 30, "a paid month follows the trial: {was} then {now}");

        let stats = app.get("/api/admin/stats", Some(&admin)).await;
        assert_eq!(stats.body["data"]["payments"]["totalAmount"], 5000);
        assert_eq!(stats.body["data"]["payments"]["accepted"], 1);
    }
);

both!(
    only_a_provider_buys_and_only_what_is_offered,
    |app: ProductApp| async move {
        let client = register(&app, "fatou@example.com", "Fatou", "Kamga").await;
        let client = client["token"].as_str().unwrap();
        let refused = app
            .post("/api/payments", Some(client), json!({"type": "boost"}))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let (_, token, _) = provider(&app, "salon@example.com").await;
        for body in [
            json!({"type": "gold"}),
            json!({}),
            json!({"type": "boost", "amount": 1}),
        ] {
            let bad = app.post("/api/payments", Some(&token), body.clone()).await;
            if body.get("amount").is_some() {
                // The amount is the offer's, whatever the client says.
                assert_eq!(bad.status, StatusCode::CREATED, "{:?}", bad.body);
                assert_eq!(bad.body["data"]["payment"]["amount"], 2000);
            } else {
                assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{body}");
                assert!(bad.body["errors"]["type"].is_array(), "{:?}", bad.body);
            }
        }
    }
);

both!(
    signed_events_settle_a_payment_once_with_its_effect,
    |app: ProductApp| async move {
        let (admin, token, id) = provider(&app, "salon@example.com").await;
        let boost = buy(&app, &token, "boost").await["payment"].clone();

        let forged = app
            .post_bytes(
                "/api/payments/webhook",
                &[("stripe-signature", "t=1,v1=00")],
                "{}",
            )
            .await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST);
        assert_eq!(forged.body["success"], false);
        let wrong_amount = deliver(
            &app,
            "evt_cheap",
            "payment_intent.succeeded",
            &boost,
            Some(1),
        )
        .await;
        assert_eq!(wrong_amount.status, StatusCode::OK);
        assert_eq!(my_payments(&app, &token).await[0]["status"], "PENDING");

        let refused = deliver(
            &app,
            "evt_declined",
            "payment_intent.payment_failed",
            &boost,
            None,
        )
        .await;
        assert_eq!(refused.status, StatusCode::OK, "{:?}", refused.body);
        assert_eq!(my_payments(&app, &token).await[0]["status"], "REFUSED");
        // Another card pays: the refused payment is accepted, and the boost given once.
        for _ in 0..2 {
            let paid = deliver(&app, "evt_paid", "payment_intent.succeeded", &boost, None).await;
            assert_eq!(paid.status, StatusCode::OK);
        }
        assert_eq!(my_payments(&app, &token).await[0]["status"], "ACCEPTED");
        let provider = stored_provider(&app, &id).await;
        let until = web::time::parse_date(provider["boostedUntil"].as_str().unwrap()).unwrap();
        let days = (until - chrono::Utc::now()).num_hours();
        assert!(
            (7 * 24 - 1..=7 * 24).contains(&days),
            "one week of boost: {days} h"
        );
        let late = deliver(&app, "evt_late", "payment_intent.canceled", &boost, None).await;
        assert_eq!(late.status, StatusCode::OK);
        assert_eq!(my_payments(&app, &token).await[0]["status"], "ACCEPTED");

        let featured = buy(&app, &token, "featured").await["payment"].clone();
        deliver(
            &app,
            "evt_featured",
            "payment_intent.succeeded",
            &featured,
            None,
        )
        .await;
        let featured_list = app.get("/api/admin/providers/featured", Some(&admin)).await;
        let listed = &featured_list.body["data"]["providers"][0];
        assert_eq!(listed["id"], id.as_str());
        assert!(listed["featuredUntil"].is_string());
        let cancelled = buy(&app, &token, "subscription").await["payment"].clone();
        deliver(
            &app,
            "evt_cancel",
            "payment_intent.canceled",
            &cancelled,
            None,
        )
        .await;

        let all = app.get("/api/admin/payments", Some(&admin)).await;
        assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
        let data = &all.body["data"];
        let statuses: Vec<&str> = data["payments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses,
            ["CANCELLED", "ACCEPTED", "ACCEPTED"],
            "newest first"
        );
        assert_eq!(data["pagination"]["total"], 3);
        let totals = &data["totals"];
        assert_eq!(totals["totalAccepted"], 12000);
        assert_eq!(totals["totalPending"], 0);
        assert_eq!(totals["transactions"], 3);
        assert_eq!(
            totals["byStatus"]["CANCELLED"],
            json!({"count": 1, "amount": 5000})
        );
        assert_eq!(
            totals["byType"]["boost"],
            json!({"count": 1, "amount": 2000})
        );
        assert_eq!(
            totals["byType"]["subscription"],
            json!({"count": 0, "amount": 0})
        );
        let accepted_boosts = app
            .get(
                "/api/admin/payments?status=ACCEPTED&type=boost",
                Some(&admin),
            )
            .await;
        let found = accepted_boosts.body["data"]["payments"].as_array().unwrap();
        assert_eq!((found.len(), &found[0]["id"]), (1, &boost["id"]));
        assert_eq!(accepted_boosts.body["data"]["pagination"]["total"], 1);
        let subscriptions = app
            .get("/api/admin/payments?type=subscription", Some(&admin))
            .await;
        assert_eq!(subscriptions.body["data"]["pagination"]["total"], 1);
        let bad = app
            .get("/api/admin/payments?status=PAID", Some(&admin))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let not_admin = app.get("/api/admin/payments", Some(&token)).await;
        assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_stripe_payments_answer_503_and_nothing_is_written() {
    let app = ProductApp::spawn_with(
        &marketplace::Marketplace,
        api_tests::Backend::Embedded,
        |env| {
            env.with("STRIPE_API_BASE", "")
                .with("STRIPE_WEBHOOK_SECRET", "")
        },
    )
    .await;
    let (admin, token, _) = provider(&app, "salon@example.com").await;
    let refused = app
        .post("/api/payments", Some(&token), json!({"type": "boost"}))
        .await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        refused.body,
        json!({"success": false, "message": "Les paiements ne sont pas configurés"})
    );
    let webhook = app
        .post_bytes(
            "/api/payments/webhook",
            &[("stripe-signature", "t=1,v1=00")],
            "{}",
        )
        .await;
    assert_eq!(webhook.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(my_payments(&app, &token).await.is_empty());
    let all = app.get("/api/admin/payments", Some(&admin)).await;
    assert_eq!(all.body["data"]["totals"]["transactions"], 0);
}
