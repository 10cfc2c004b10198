//! What every route shares: security headers, the global rate limit, JSON errors for unknown
//! routes and malformed requests.

use api_tests::{TestApp, both};
use reqwest::StatusCode;
use serde_json::json;

both!(
    every_response_has_the_security_headers,
    |app: TestApp| async move {
        for reply in [
            app.get("/api/operators", None).await,
            app.get("/api/users/profile", None).await,
            app.get("/api/nothing-here", None).await,
            app.post("/api/auth/login", None, json!({"phoneNumber": "1"}))
                .await,
        ] {
            assert_eq!(reply.headers["x-content-type-options"], "nosniff");
            assert_eq!(reply.headers["x-frame-options"], "DENY");
            assert_eq!(reply.headers["x-xss-protection"], "1; mode=block");
            assert!(reply.headers.contains_key("x-request-id"));
        }
    }
);

both!(unknown_route_is_a_json_404, |app: TestApp| async move {
    let reply = app.get("/api/nothing-here", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body, json!({"error": "Route non trouvée"}));
});

fn strict_global_limit() -> api_tests::KbineConfig {
    let mut config = api_tests::test_config();
    config.edge.rate_limit_max = 3;
    config
}

both!(
    global_limit_answers_429_in_json,
    config = strict_global_limit(),
    |app: TestApp| async move {
        for _ in 0..3 {
            assert_eq!(app.get("/api/operators", None).await.status, StatusCode::OK);
        }
        let limited = app.get("/api/plans", None).await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            limited.body["error"],
            "Trop de requêtes, veuillez réessayer plus tard"
        );
        assert_eq!(limited.headers["x-frame-options"], "DENY");
    }
);

both!(
    malformed_bodies_and_tokens_get_documented_errors,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let wrong_type = app
            .post(
                "/api/operators",
                Some(&admin.token),
                json!({"name": 12, "code": "X", "prefixes": ["09"]}),
            )
            .await;
        assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
        assert_eq!(wrong_type.body["error"], "Données invalides");
        let not_json = app
            .raw(
                reqwest::Method::POST,
                "/api/operators",
                Some(&admin.token),
                "name=x",
            )
            .await;
        assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
        for token in ["garbage", "a.b.c", ""] {
            let reply = app.get("/api/users/profile", Some(token)).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token:?}");
            assert!(reply.body["error"].is_string());
        }
        let unicode = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "０７０１０２０３０４\u{202e}"}),
            )
            .await;
        assert_eq!(unicode.status, StatusCode::BAD_REQUEST);
        // Last: the server closes the connection after refusing an oversized body.
        let huge = "x".repeat(3 * 1024 * 1024);
        let too_big = app
            .raw(
                reqwest::Method::POST,
                "/api/auth/login",
                None,
                &format!("{{\"phoneNumber\":\"{huge}\"}}"),
            )
            .await;
        assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(too_big.body["error"], "Requête trop volumineuse");
    }
);
