//! The Kbine router under Lambda: API Gateway HttpApi (payload v2, `$default` stage) events go
//! through lambda_http's conversion into the same router the local server serves.

use api_tests::{Backend, fresh_store, test_config};
use axum::body::to_bytes;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tower::ServiceExt;

fn v2_event(
    method: &str,
    path: &str,
    source_ip: &str,
    body: Option<Value>,
) -> lambda_http::Request {
    let event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json", "host": "abc.execute-api.eu-west-1.amazonaws.com"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc",
            "domainName": "abc.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abc",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": source_ip, "userAgent": "test"},
            "requestId": "id",
            "routeKey": "$default",
            "stage": "$default",
            "time": "22/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1795327200000u64
        },
        "body": body.map(|b| b.to_string()),
        "isBase64Encoded": false
    });
    lambda_http::request::from_str(&event.to_string()).unwrap()
}

async fn call(router: &axum::Router, request: lambda_http::Request) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn v2_events_reach_the_routes_and_rate_limits_use_the_source_ip() {
    let (store, _dir) = fresh_store(Backend::Embedded).await;
    kbine::seed::demo_catalogue(&store).await.unwrap();
    let mut config = test_config();
    config.edge.login_rate_limit_max = 1;
    let router = kbine::app(kbine::AppState::new(store, config), kbine::API.served());

    let (status, plan) = call(
        &router,
        v2_event("GET", "/api/plans/2", "203.0.113.9", None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(plan["name"], "Forfait Yango 1Go");

    let login = || json!({"phoneNumber": "0701020304"});
    let (status, body) = call(
        &router,
        v2_event("POST", "/api/auth/login", "203.0.113.9", Some(login())),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["user"]["phoneNumber"], "0701020304");
    let (status, _) = call(
        &router,
        v2_event("POST", "/api/auth/login", "203.0.113.9", Some(login())),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "same sourceIp, over the limit"
    );
    let (status, _) = call(
        &router,
        v2_event("POST", "/api/auth/login", "198.51.100.4", Some(login())),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "another sourceIp has its own count");
}
