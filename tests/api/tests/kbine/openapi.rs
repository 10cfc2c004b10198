//! The OpenAPI document (`kbine::openapi::OPENAPI_JSON`) against the router: it describes
//! exactly the routes served (`kbine::openapi::ROUTES`), and each of them is really routed.

use api_tests::{Backend, Reply, TestApp};
use kbine::openapi::{OPENAPI_JSON, ROUTES};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use web::routes::{Access, Route};

/// The operations an OpenAPI path item may hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn document() -> Value {
    serde_json::from_str(OPENAPI_JSON).expect("openapi.json is not valid JSON")
}

fn documented_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let paths = doc["paths"].as_object().expect("the document has no paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|method| item.get(**method).is_some())
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect()
}

#[test]
fn the_document_describes_exactly_the_served_routes() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["servers"], json!([{"url": "/"}]));
    let served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|route| (route.method.to_string(), route.path.to_string()))
        .collect();
    assert_eq!(served.len(), ROUTES.len(), "ROUTES lists a route twice");
    let documented = documented_routes(&doc);
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && unserved.is_empty(),
        "served but not documented: {undocumented:?}; documented but not served: {unserved:?}"
    );
}

/// Calls `route` (every path parameter 1) with no token, and an empty JSON object as the
/// body of writes.
async fn call(app: &TestApp, route: &Route) -> Reply {
    app.call_route(route, "1", None, None).await
}

/// Whether the router answered as it does for a request no route takes.
fn unrouted(reply: &Reply) -> bool {
    reply.status == StatusCode::METHOD_NOT_ALLOWED
        || (reply.status == StatusCode::NOT_FOUND
            && reply.body == json!({"error": "Route non trouvée"}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_route_is_routed() {
    let app = TestApp::spawn(Backend::Embedded).await;
    // The check tells an unrouted request apart: an unknown path, an unserved method.
    let unknown = Route::new("GET", "/api/nothing/{id}", Access::Public);
    let unserved = Route::new("PATCH", "/api/plans/{id}", Access::Public);
    assert!(unrouted(&call(&app, &unknown).await));
    assert!(unrouted(&call(&app, &unserved).await));
    let mut failures = Vec::new();
    for route in ROUTES {
        let reply = call(&app, route).await;
        if unrouted(&reply) {
            let Route { method, path, .. } = route;
            failures.push(format!(
                "{method} {path}: not routed ({} {})",
                reply.status, reply.body
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Without a token, protected routes answer 401 and public ones do not; whatever a route
/// answers is one of its documented responses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_without_a_token_are_documented() {
    let app = TestApp::spawn(Backend::Embedded).await;
    let doc = document();
    let mut failures = Vec::new();
    for route in ROUTES {
        let Route { method, path, .. } = route;
        let operation = &doc["paths"][*path][method.to_lowercase()];
        if operation.is_null() {
            failures.push(format!("{method} {path}: not documented"));
            continue;
        }
        let reply = call(&app, route).await;
        if unrouted(&reply) {
            // `every_documented_route_is_routed` reports it.
            continue;
        }
        let status = reply.status;
        if operation["responses"].get(status.as_str()).is_none() {
            failures.push(format!(
                "{method} {path}: answered {status} {}, which is not documented",
                reply.body
            ));
        }
        let protected = operation["security"]
            .as_array()
            .is_some_and(|schemes| !schemes.is_empty());
        if protected == route.access.is_public() {
            failures.push(format!(
                "{method} {path}: the route table says {:?}, the document says {}",
                route.access,
                if protected { "protected" } else { "public" }
            ));
        }
        if protected != (status == StatusCode::UNAUTHORIZED) {
            failures.push(format!(
                "{method} {path}: documented {}, answered {status} without a token",
                if protected { "protected" } else { "public" }
            ));
        }
        if status.is_client_error() && !reply.body["error"].is_string() {
            failures.push(format!(
                "{method} {path}: error {status} without the error JSON: {}",
                reply.body
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
