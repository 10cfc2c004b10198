//! Kbine under a failing store: every route, failed at each store operation in turn,
//! answers 503 and writes nothing half-way (`api_tests::faults`), on both stores.

use api_tests::faults::{self, FaultCase, bookkeeping};
use api_tests::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

const UNAVAILABLE: &str = "Service temporairement indisponible, veuillez réessayer";

fn case(route: (&'static str, &'static str), path: String, token: &str, body: Value) -> FaultCase {
    FaultCase {
        route,
        path,
        token: (!token.is_empty()).then(|| token.to_string()),
        body: Some(body),
    }
}

async fn created_id(app: &TestApp, path: &str, token: &str, body: Value) -> i64 {
    let reply = app.post(path, Some(token), body).await;
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "{path}: {:?}",
        reply.body
    );
    reply.body["id"]
        .as_i64()
        .or_else(|| reply.body["data"]["id"].as_i64())
        .unwrap()
}

async fn every_route_fails_whole(backend: Backend) {
    let (app, faulty) = TestApp::spawn_faulty(backend).await;
    app.seed_catalogue().await;
    let admin = app.admin().await;
    let staff = app.staff().await;
    let client = app.login("0701020304").await;
    // Two sessions, so that logging out without a refresh token revokes more than one.
    let leaver = app.login("0102030405").await;
    app.login("0102030405").await;

    let operator = created_id(
        &app,
        "/api/operators",
        &admin.token,
        json!({"name": "Spare", "code": "SPARE", "prefixes": ["08"]}),
    )
    .await;
    let plan = created_id(
        &app,
        "/api/plans",
        &admin.token,
        json!({"operator_id": operator, "name": "Spare 500", "description": "Crédit",
               "price": 500, "type": "credit", "validity_days": null, "active": true}),
    )
    .await;
    let order_body = json!({"plan_id": 1, "phone_number": "0701020304", "payment_method": "wave"});
    let order = created_id(&app, "/api/orders", &client.token, order_body.clone()).await;
    let unpaid = created_id(&app, "/api/orders", &client.token, order_body.clone()).await;
    let payment = created_id(
        &app,
        "/api/payments",
        &client.token,
        json!({"order_id": order, "amount": 1000, "payment_method": "wave",
               "payment_reference": "FAULT-REF-1"}),
    )
    .await;
    // A paid, assigned order, for the refund.
    let paid = created_id(&app, "/api/orders", &client.token, order_body.clone()).await;
    let refundable = created_id(
        &app,
        "/api/payments",
        &client.token,
        json!({"order_id": paid, "amount": 1000, "payment_method": "wave",
               "payment_reference": "FAULT-REF-3"}),
    )
    .await;
    let assigned = app
        .put(
            &format!("/api/orders/{paid}/assign"),
            Some(&admin.token),
            json!({"staff_id": staff.id}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK);
    let settled = app
        .patch(
            &format!("/api/payments/{refundable}/status"),
            Some(&staff.token),
            json!({"status": "success"}),
        )
        .await;
    assert_eq!(settled.status, StatusCode::OK, "{:?}", settled.body);

    let reads = [
        ("/api/users/profile", "/api/users/profile".to_string()),
        ("/api/users", "/api/users".into()),
        ("/api/operators", "/api/operators".into()),
        ("/api/operators/{id}", format!("/api/operators/{operator}")),
        (
            "/api/operators/detect",
            "/api/operators/detect?phone=0701020304".into(),
        ),
        ("/api/plans", "/api/plans".into()),
        ("/api/plans/{id}", format!("/api/plans/{plan}")),
        ("/api/orders", "/api/orders".into()),
        (
            "/api/orders",
            "/api/orders?assigned_to=me&sort=oldest".into(),
        ),
        ("/api/orders/counts", "/api/orders/counts".into()),
        ("/api/orders/{id}", format!("/api/orders/{order}")),
        ("/api/payments/methods", "/api/payments/methods".into()),
        ("/api/payments/statuses", "/api/payments/statuses".into()),
        ("/api/payments", "/api/payments".into()),
        ("/api/payments/{id}", format!("/api/payments/{payment}")),
    ];
    let mut cases: Vec<FaultCase> = reads
        .into_iter()
        .map(|(route, path)| FaultCase {
            route: ("GET", route),
            path,
            token: Some(admin.token.clone()),
            body: None,
        })
        .collect();
    cases.extend([
        case(
            ("POST", "/api/auth/login"),
            "/api/auth/login".into(),
            "",
            json!({"phoneNumber": "0709090909"}),
        ),
        case(
            ("POST", "/api/auth/refresh"),
            "/api/auth/refresh".into(),
            "",
            json!({"refreshToken": client.refresh_token}),
        ),
        case(
            ("POST", "/api/operators"),
            "/api/operators".into(),
            &admin.token,
            json!({"name": "Telecel", "code": "TELECEL", "prefixes": ["09"]}),
        ),
        case(
            ("PUT", "/api/operators/{id}"),
            format!("/api/operators/{operator}"),
            &admin.token,
            json!({"name": "Spare Télécom"}),
        ),
        case(
            ("POST", "/api/plans"),
            "/api/plans".into(),
            &admin.token,
            json!({"operator_id": 1, "name": "Recharge 5000 FCFA", "description": "Crédit",
                   "price": 5000, "type": "credit", "validity_days": null, "active": true}),
        ),
        case(
            ("PUT", "/api/plans/{id}"),
            format!("/api/plans/{plan}"),
            &admin.token,
            json!({"price": 600}),
        ),
        case(
            ("DELETE", "/api/plans/{id}"),
            format!("/api/plans/{plan}"),
            &admin.token,
            json!({}),
        ),
        case(
            ("DELETE", "/api/operators/{id}"),
            format!("/api/operators/{operator}"),
            &admin.token,
            json!({}),
        ),
        case(
            ("POST", "/api/orders"),
            "/api/orders".into(),
            &client.token,
            order_body,
        ),
        case(
            ("PUT", "/api/orders/{id}/assign"),
            format!("/api/orders/{unpaid}/assign"),
            &admin.token,
            json!({"staff_id": staff.id}),
        ),
        case(
            ("PUT", "/api/orders/{id}/status"),
            format!("/api/orders/{order}/status"),
            &staff.token,
            json!({"status": "processing"}),
        ),
        case(
            ("POST", "/api/payments"),
            "/api/payments".into(),
            &client.token,
            json!({"order_id": unpaid, "amount": 1000, "payment_method": "wave",
                   "payment_reference": "FAULT-REF-2"}),
        ),
        // A refund moves the order too (status, totals, assignee's copy, two histories).
        case(
            ("PATCH", "/api/payments/{id}/status"),
            format!("/api/payments/{refundable}/status"),
            &admin.token,
            json!({"status": "refunded", "notes": "client remboursé"}),
        ),
        case(
            ("PUT", "/api/payments/{id}"),
            format!("/api/payments/{payment}"),
            &admin.token,
            json!({"callback_data": {"note": "vérifié"}}),
        ),
        case(
            ("PATCH", "/api/payments/{id}/status"),
            format!("/api/payments/{payment}/status"),
            &staff.token,
            json!({"status": "success"}),
        ),
        case(
            ("DELETE", "/api/payments/{id}"),
            format!("/api/payments/{payment}"),
            &admin.token,
            json!({}),
        ),
        case(
            ("POST", "/api/auth/logout"),
            "/api/auth/logout".into(),
            &leaver.token,
            json!({}),
        ),
    ]);

    let mut failures = faults::uncovered_routes(kbine::API.routes(), &cases);
    for case in &cases {
        failures.extend(
            faults::sweep(&app, &faulty, case, bookkeeping, &|reply| {
                reply.body["error"] == UNAVAILABLE
            })
            .await,
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_fails_whole_on_the_embedded_store() {
    every_route_fails_whole(Backend::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_fails_whole_on_dynamodb() {
    every_route_fails_whole(Backend::DynamoDb).await;
}
