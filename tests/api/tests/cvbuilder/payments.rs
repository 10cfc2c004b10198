//! `POST /api/payments/create-checkout/`: Stripe Checkout sessions with the documented
//! prices, their metadata naming what is paid for, and the documented errors. The sessions
//! are read back from the Stripe stand-in the test command started.

use super::*;

const PATH: &str = "/api/payments/create-checkout/";

fn asked(payment_type: &str, resume_id: Option<Value>) -> Value {
    let mut body = json!({
        "payment_type": payment_type,
        "success_url": "http://localhost:3000/payment/success",
        "cancel_url": "http://localhost:3000/payment/cancel",
    });
    if let Some(id) = resume_id {
        body["resume_id"] = id;
    }
    body
}

/// The session behind a checkout URL, as the stand-in keeps it.
async fn session(url: &str) -> Value {
    let id = url.rsplit('/').next().unwrap();
    assert!(id.starts_with("cs_test_"), "{url}");
    let base = std::env::var("TEST_STRIPE_ENDPOINT").unwrap();
    reqwest::Client::new()
        .get(format!("{base}/v1/checkout/sessions/{id}"))
        .basic_auth(::payments::stripe::LOCAL_TEST_KEY, Some(""))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

both!(
    a_single_payment_is_for_the_callers_resume,
    |app: ProductApp| async move {
        let token = user(&app, "payer").await;
        let created = app.post("/api/resumes/", Some(&token), full(2)).await;
        let id = created.body["id"].as_i64().unwrap();
        let reply = app
            .post(PATH, Some(&token), asked("single", Some(json!(id))))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let url = reply.body["url"].as_str().unwrap().to_owned();
        assert!(url.starts_with("https://checkout.stripe.com/"), "{url}");
        let stripe = session(&url).await;
        assert_eq!(stripe["mode"], "payment");
        assert_eq!(
            (&stripe["amount_total"], &stripe["currency"]),
            (&json!(499), &json!("eur"))
        );
        assert_eq!(stripe["metadata"]["payment_type"], "single");
        assert_eq!(stripe["metadata"]["resume_id"], id.to_string());
        assert!(stripe["metadata"]["user_id"].is_string());
        assert_eq!(stripe["customer_email"], "payer@example.com");
        assert_eq!(
            stripe["success_url"],
            "http://localhost:3000/payment/success"
        );
        // Asked again (a double click), the same page.
        let again = app
            .post(PATH, Some(&token), asked("single", Some(json!(id))))
            .await;
        assert_eq!(again.body["url"], url.as_str());

        // An anonymous visitor pays for their session's résumé.
        let anonymous = app.post("/api/resumes/", None, full(3)).await;
        let key = session_cookie(&anonymous).unwrap();
        let theirs = anonymous.body["id"].as_i64().unwrap();
        let body = asked("single", Some(json!(theirs)));
        let reply = with_session(&app, Method::POST, PATH, &key, Some(body)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let stripe = session(reply.body["url"].as_str().unwrap()).await;
        assert_eq!(stripe["metadata"]["resume_id"], theirs.to_string());
        assert!(stripe["metadata"].get("user_id").is_none(), "{stripe}");
    }
);

both!(
    a_subscription_is_the_signed_in_users,
    |app: ProductApp| async move {
        let registered = register(&app, "subscriber").await;
        let user_id = registered.body["user"]["id"].as_i64().unwrap().to_string();
        let token = log_in(&app, "subscriber").await.0;
        for (payment_type, cents, interval) in [("monthly", 999, "month"), ("yearly", 9999, "year")]
        {
            let reply = app
                .post(PATH, Some(&token), asked(payment_type, None))
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let stripe = session(reply.body["url"].as_str().unwrap()).await;
            assert_eq!(stripe["mode"], "subscription");
            assert_eq!(stripe["amount_total"], cents);
            let item = &stripe["x_line_items"][0]["price_data"];
            assert_eq!(item["recurring"]["interval"], interval);
            assert_eq!(stripe["metadata"]["user_id"], user_id.as_str());
            // The subscription's own events carry who it is for.
            assert_eq!(
                stripe["x_subscription_data"]["metadata"]["user_id"],
                user_id.as_str()
            );
            assert_eq!(stripe["metadata"]["payment_type"], payment_type);
        }
        // Nobody to make premium: 401.
        let anonymous = app.post(PATH, None, asked("monthly", None)).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            anonymous.body,
            json!({"detail": "Authentication credentials were not provided."})
        );
    }
);

both!(
    a_checkout_names_every_failing_field,
    |app: ProductApp| async move {
        let empty = app.post(PATH, None, json!({})).await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        let required = json!(["This field is required."]);
        assert_eq!(
            empty.body,
            json!({"payment_type": required, "success_url": required, "cancel_url": required})
        );
        let no_resume = app.post(PATH, None, asked("single", None)).await;
        assert_eq!(no_resume.body, json!({"resume_id": required}));
        let weekly = app.post(PATH, None, asked("weekly", None)).await;
        assert_eq!(
            weekly.body,
            json!({"payment_type": ["\"weekly\" is not a valid choice."]})
        );
        // Missing, or another's: the documented words, for both.
        let owner = user(&app, "owner").await;
        let created = app.post("/api/resumes/", Some(&owner), full(2)).await;
        let id = created.body["id"].as_i64().unwrap();
        let stranger = user(&app, "stranger").await;
        for (token, id) in [(&owner, 999_999), (&stranger, id)] {
            let reply = app
                .post(PATH, Some(token), asked("single", Some(json!(id))))
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
            assert_eq!(
                reply.body,
                json!({"resume_id": [format!("Resume with id {id} does not exist.")]})
            );
        }
        let mut bad_url = asked("single", Some(json!(id)));
        bad_url["success_url"] = json!("javascript:alert(1)");
        let reply = app.post(PATH, Some(&owner), bad_url).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(reply.body["success_url"].is_array(), "{}", reply.body);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_stripe_key_a_checkout_answers_503() {
    let app = ProductApp::spawn_with(&cvbuilder::CvBuilder, api_tests::Backend::Embedded, |env| {
        env.with("STRIPE_API_BASE", "")
    })
    .await;
    let token = user(&app, "nostripe").await;
    let reply = app.post(PATH, Some(&token), asked("monthly", None)).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.body, json!({"detail": "Payments are not configured"}));
}
