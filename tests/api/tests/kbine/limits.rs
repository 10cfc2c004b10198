//! Rate limits as a client meets them: per IP, per scope, and on a sliding window.
use api_tests::{KbineConfig, TestApp, both};
use reqwest::StatusCode;
use serde_json::json;

fn strict_login_limit() -> api_tests::KbineConfig {
    let mut config = api_tests::test_config();
    config.edge.login_rate_limit_max = 5;
    config
}

both!(
    login_is_limited_to_five_attempts_per_ip,
    config = strict_login_limit(),
    |app: TestApp| async move {
        for i in 0..5 {
            // Refused attempts count too.
            let phone = if i % 2 == 0 { "0701020304" } else { "123" };
            let reply = app
                .post("/api/auth/login", None, json!({"phoneNumber": phone}))
                .await;
            assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS, "attempt {i}");
        }
        let sixth = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "0701020304"}),
            )
            .await;
        assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            sixth.body["error"],
            "Trop de tentatives de connexion, veuillez réessayer plus tard"
        );
        assert!(sixth.headers.contains_key("retry-after"));
        // Other routes are not held by the login limit.
        let plans = app.get("/api/plans", None).await;
        assert_eq!(plans.status, StatusCode::OK);
    }
);

fn strict_global_and_login_limits() -> api_tests::KbineConfig {
    let mut config = api_tests::test_config();
    config.edge.rate_limit_max = 2;
    config.edge.login_rate_limit_max = 2;
    config
}

// Both limits are counted at once on a login; when both refuse, the global one answers.
both!(
    login_over_both_limits_gets_the_global_message,
    config = strict_global_and_login_limits(),
    |app: TestApp| async move {
        for i in 0..2 {
            let reply = app
                .post(
                    "/api/auth/login",
                    None,
                    json!({"phoneNumber": "0701020304"}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "attempt {i}");
        }
        let third = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "0701020304"}),
            )
            .await;
        assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            third.body["error"],
            "Trop de requêtes, veuillez réessayer plus tard"
        );
    }
);

fn login_limit_of_a_minute() -> KbineConfig {
    let mut config = api_tests::test_config();
    config.edge.login_rate_limit_max = 5;
    config.edge.login_rate_limit_window_secs = 60;
    config
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

// A fixed window forgets the attempts of the one that just ended: a burst across the
// boundary got twice the limit. The sliding count weighs them by how much of the last
// minute they still cover.
both!(
    attempts_of_the_window_that_just_ended_still_count,
    config = login_limit_of_a_minute(),
    |app: TestApp| async move {
        // The message is the product's; the window and the key are the edge's.
        let limit = app.config.edge.login_limit("");
        let attempt = || {
            app.post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "0701020304"}),
            )
        };
        let (previous, refused) = loop {
            let start = limit.window_start(now());
            let previous = limit.window_key("127.0.0.1", start - limit.window_secs);
            // Enough attempts that even their last second's weight passes the max.
            let burst = i64::from(limit.max) * limit.window_secs;
            let mut item = previous.to_item();
            item.insert("hits".into(), json!(burst));
            item.insert("ttl".into(), json!(now() + 600));
            app.store.put(item, None).await.unwrap();
            let reply = attempt().await;
            // The window rolled over meanwhile: the burst is two windows old. Again.
            if limit.window_start(now()) == start {
                break (previous, reply);
            }
        };
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            refused.body["error"],
            "Trop de tentatives de connexion, veuillez réessayer plus tard"
        );
        assert!(refused.headers.contains_key("retry-after"));

        // Without the last window's attempts, this one's own count admits the next.
        app.store.delete(&previous, None).await.unwrap();
        let admitted = attempt().await;
        assert_eq!(admitted.status, StatusCode::OK, "{:?}", admitted.body);
    }
);
