//! `POST /api/payments/webhook/`: Checkout sessions paid on the Stripe stand-in, the
//! subscriptions they make in localstripe, and signed events (as Stripe sends them) that
//! unlock a résumé or make a user premium once, whatever their order.

use super::*;
use ::payments::localstripe::LocalStripe;

const WEBHOOK: &str = "/api/payments/webhook/";

fn stripe() -> LocalStripe {
    let base =
        std::env::var("TEST_STRIPE_ENDPOINT").expect("TEST_STRIPE_ENDPOINT: run scripts/test.sh");
    LocalStripe::new(&base, ::payments::stripe::LOCAL_TEST_KEY)
}

fn secret(app: &ProductApp) -> String {
    app.env.own_var("STRIPE_WEBHOOK_SECRET").unwrap()
}

/// Delivers `object` as event `id` of `kind`, signed as Stripe signs.
async fn deliver(app: &ProductApp, id: &str, kind: &str, object: &Value) -> Reply {
    let body =
        json!({"id": id, "object": "event", "type": kind, "data": {"object": object}}).to_string();
    let signature = web::webhook::sign(
        body.as_bytes(),
        &secret(app),
        chrono::Utc::now().timestamp(),
    );
    app.post_bytes(WEBHOOK, &[("stripe-signature", &signature)], &body)
        .await
}

/// Starts a checkout of `payment_type` as `token` and pays it on the stand-in: the session.
async fn paid_checkout(
    app: &ProductApp,
    token: &str,
    payment_type: &str,
    resume: Option<i64>,
) -> Value {
    let mut body = json!({"payment_type": payment_type,
        "success_url": "http://localhost:3000/ok", "cancel_url": "http://localhost:3000/ko"});
    if let Some(id) = resume {
        body["resume_id"] = json!(id);
    }
    let reply = app
        .post("/api/payments/create-checkout/", Some(token), body)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = reply.body["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let mut session = stripe().complete_checkout(&id).await.unwrap();
    // What Stripe's event carries: the stand-in's own notes left out.
    session
        .as_object_mut()
        .unwrap()
        .retain(|k, _| !k.starts_with("x_"));
    session
}

fn event_id() -> String {
    format!("evt_{}", uuid::Uuid::new_v4().simple())
}

both!(
    a_paid_single_checkout_unlocks_its_resume_once,
    |app: ProductApp| async move {
        let token = user(&app, "single").await;
        let created = app.post("/api/resumes/", Some(&token), full(3)).await;
        let id = created.body["id"].as_i64().unwrap();
        assert_eq!(created.body["can_export_without_watermark"], false);
        let session = paid_checkout(&app, &token, "single", Some(id)).await;
        let event = event_id();
        let reply = deliver(&app, &event, "checkout.session.completed", &session).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body, json!({"status": "success"}));
        let path = format!("/api/resumes/{id}/");
        let read = app.get(&path, Some(&token)).await;
        assert_eq!(
            (
                &read.body["is_paid"],
                &read.body["payment_type"],
                &read.body["can_export_without_watermark"]
            ),
            (&json!(true), &json!("single"), &json!(true))
        );
        let key = store::Key::new(format!("RESUME#{}", web::counters::padded(id)), "RESUME");
        let version = |item: Option<store::Item>| item.unwrap()["version"].clone();
        let before = version(app.deps.store.get(&key).await.unwrap());
        // A replay is acknowledged and changes nothing.
        let replay = deliver(&app, &event, "checkout.session.completed", &session).await;
        assert_eq!(replay.status, StatusCode::OK);
        assert_eq!(version(app.deps.store.get(&key).await.unwrap()), before);
        // The export is the paid one.
        let exported = app
            .post(
                &format!("/api/resumes/{id}/export_pdf/"),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(exported.body["has_watermark"], false);
    }
);

both!(
    a_delivery_that_is_not_stripes_is_refused,
    |app: ProductApp| async move {
        let body = json!({"id": "evt_forged", "type": "checkout.session.completed",
                          "data": {"object": {"mode": "payment"}}})
        .to_string();
        let now = chrono::Utc::now().timestamp();
        let forged = web::webhook::sign(body.as_bytes(), "whsec_not_ours", now);
        let stale = web::webhook::sign(body.as_bytes(), &secret(&app), now - 3600);
        for headers in [
            vec![("stripe-signature", forged.as_str())],
            vec![("stripe-signature", stale.as_str())],
            vec![],
        ] {
            let reply = app.post_bytes(WEBHOOK, &headers, &body).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{headers:?}");
            assert!(reply.body["detail"].is_string(), "{}", reply.body);
        }
    }
);

/// The signed-in user's profile, with the subscription's status as stored (the profile
/// shows the documented fields only).
async fn profile(app: &ProductApp, token: &str) -> Value {
    let mut shown = app.get("/api/auth/profile/", Some(token)).await.body;
    let id = shown["id"].as_i64().unwrap();
    let stored = cvbuilder::users::find(&app.deps.store, id)
        .await
        .unwrap()
        .unwrap();
    shown["subscription_status"] = json!(stored.subscription_status);
    shown
}

fn subscription_of(profile: &Value) -> (Value, Value, Value) {
    (
        profile["is_premium"].clone(),
        profile["subscription_status"].clone(),
        profile["subscription_type"].clone(),
    )
}

both!(
    subscription_events_are_settled_by_the_subscriptions_own_state,
    |app: ProductApp| async move {
        let token = user(&app, "subscriber").await;
        let session = paid_checkout(&app, &token, "monthly", None).await;
        let sub_id = session["subscription"].as_str().unwrap().to_owned();
        let sub = stripe().subscription(&sub_id).await.unwrap();
        assert_eq!(sub["status"], "active");
        // The session completes: the subscription, read from Stripe, makes the user premium.
        deliver(&app, &event_id(), "checkout.session.completed", &session).await;
        let premium = profile(&app, &token).await;
        assert_eq!(
            subscription_of(&premium),
            (json!(true), json!("active"), json!("monthly"))
        );
        let end = premium["subscription_end_date"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(end > web::time::format_seconds(chrono::Utc::now()), "{end}");
        let created = app.post("/api/resumes/", Some(&token), full(3)).await;
        assert_eq!(created.body["can_export_without_watermark"], true);
        assert_eq!(created.body["payment_type"], "subscription");

        // A stale `updated` (it says active) arriving after the cancellation changes nothing:
        // the subscription says canceled.
        let stale = json!({"id": sub_id, "object": "subscription", "status": "active"});
        stripe().cancel_subscription(&sub_id).await.unwrap();
        let canceled = stripe().subscription(&sub_id).await.unwrap();
        deliver(
            &app,
            &event_id(),
            "customer.subscription.deleted",
            &canceled,
        )
        .await;
        assert_eq!(
            subscription_of(&profile(&app, &token).await).0,
            json!(false)
        );
        let reply = deliver(&app, &event_id(), "customer.subscription.updated", &stale).await;
        assert_eq!(reply.status, StatusCode::OK);
        let after = profile(&app, &token).await;
        assert_eq!(
            subscription_of(&after),
            (json!(false), json!("canceled"), json!("monthly"))
        );
        let read = app
            .get(
                &format!("/api/resumes/{}/", created.body["id"]),
                Some(&token),
            )
            .await;
        assert_eq!(read.body["can_export_without_watermark"], false);
    }
);

both!(
    a_failed_latest_invoice_takes_premium_away_and_an_old_one_does_not,
    |app: ProductApp| async move {
        let token = user(&app, "invoices").await;
        let session = paid_checkout(&app, &token, "yearly", None).await;
        let sub_id = session["subscription"].as_str().unwrap().to_owned();
        let sub = stripe().subscription(&sub_id).await.unwrap();
        let latest = sub["latest_invoice"].as_str().unwrap().to_owned();
        let invoice = |id: &str| json!({"id": id, "object": "invoice", "subscription": sub_id});
        deliver(
            &app,
            &event_id(),
            "invoice.payment_succeeded",
            &invoice(&latest),
        )
        .await;
        assert_eq!(
            subscription_of(&profile(&app, &token).await),
            (json!(true), json!("active"), json!("yearly"))
        );
        // A failure of an invoice that is not the latest is old news.
        deliver(
            &app,
            &event_id(),
            "invoice.payment_failed",
            &invoice("in_older"),
        )
        .await;
        assert_eq!(subscription_of(&profile(&app, &token).await).0, json!(true));
        // The latest one failing: premium goes, the subscription is past due.
        deliver(
            &app,
            &event_id(),
            "invoice.payment_failed",
            &invoice(&latest),
        )
        .await;
        assert_eq!(
            subscription_of(&profile(&app, &token).await),
            (json!(false), json!("past_due"), json!("yearly"))
        );
    }
);

/// Localstripe's own signed deliveries, end to end. One store only: localstripe sends every
/// event to every endpoint registered, and two servers would each apply the other's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localstripes_signed_deliveries_make_the_user_premium() {
    let app = cvbuilder(api_tests::Backend::Embedded).await;
    let endpoint = format!("cvbuilder-{}", uuid::Uuid::new_v4().simple());
    stripe()
        .register_webhook(&endpoint, &format!("{}{WEBHOOK}", app.base), &secret(&app))
        .await
        .unwrap();
    let token = user(&app, "delivered").await;
    paid_checkout(&app, &token, "monthly", None).await;
    // Nobody delivers by hand here: only localstripe's deliveries can make the user premium.
    let mut seen = Value::Null;
    for _ in 0..100 {
        seen = profile(&app, &token).await["is_premium"].clone();
        if seen == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await; // polls the delivery
    }
    assert_eq!(seen, true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_webhook_secret_the_webhook_answers_503() {
    let app = ProductApp::spawn_with(&cvbuilder::CvBuilder, api_tests::Backend::Embedded, |env| {
        env.with("STRIPE_WEBHOOK_SECRET", "")
    })
    .await;
    let reply = app
        .post_bytes(WEBHOOK, &[("stripe-signature", "t=1,v1=00")], "{}")
        .await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.body, json!({"detail": "Webhooks are not configured"}));
}
