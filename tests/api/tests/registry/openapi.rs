//! Each product's OpenAPI document (`Product::openapi_json`) against its router: it describes
//! exactly the routes served (`Product::routes`), with the same access, and each of them is
//! really routed.

use api_tests::{Backend, ProductApp, Reply};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use web::ApiError;
use web::error::Problem;
use web::product::Product;
use web::routes::{Access, Route};

/// The operations an OpenAPI path item may hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn document(product: &dyn Product) -> Value {
    serde_json::from_str(product.openapi_json()).expect("openapi.json is not valid JSON")
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
fn every_document_describes_exactly_the_served_routes() {
    for product in products::ALL {
        let doc = document(*product);
        let routes = product.routes();
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["servers"], json!([{"url": "/"}]));
        assert!(
            doc["components"]["schemas"]["Error"].is_object(),
            "{}: the fuzzing checks error bodies against components.schemas.Error",
            product.name()
        );
        let served: BTreeSet<(String, String)> = routes
            .iter()
            .map(|route| (route.method.to_string(), route.path.to_string()))
            .collect();
        assert_eq!(
            served.len(),
            routes.len(),
            "{}: a route twice",
            product.name()
        );
        let documented = documented_routes(&doc);
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty() && unserved.is_empty(),
            "{}: served but not documented: {undocumented:?}; documented but not served: \
             {unserved:?}",
            product.name()
        );
    }
}

/// Calls `route` (every path parameter 1) with no token, and an empty JSON object as the
/// body of writes.
async fn call(app: &ProductApp, route: &Route) -> Reply {
    app.call_route(route, "1", None, None).await
}

/// Whether the router answered as it does for a request no route takes.
fn unrouted(app: &ProductApp, reply: &Reply) -> bool {
    let (status, body) = app
        .product
        .error_style()
        .render(&ApiError::problem(Problem::NoRoute));
    reply.status == StatusCode::METHOD_NOT_ALLOWED || (reply.status == status && reply.body == body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_route_is_routed() {
    for product in products::ALL.iter().copied() {
        let failures = routed_failures(&ProductApp::spawn(product, Backend::Embedded).await).await;
        assert!(
            failures.is_empty(),
            "{}: {}",
            product.name(),
            failures.join("\n")
        );
    }
}

async fn routed_failures(app: &ProductApp) -> Vec<String> {
    let routes = app.product.routes();
    // The check tells an unrouted request apart: an unknown path, an unserved method.
    let unknown = Route::new("GET", "/api/nothing/{id}", Access::Public);
    let unserved = Route::new("TRACE", routes[0].path, Access::Public);
    assert!(unrouted(app, &call(app, &unknown).await));
    assert!(unrouted(app, &call(app, &unserved).await));
    let mut failures = Vec::new();
    for route in routes {
        let reply = call(app, route).await;
        if unrouted(app, &reply) && !allowed_on_its_path(app, route).await {
            let Route { method, path, .. } = route;
            failures.push(format!(
                "{method} {path}: not routed ({} {})",
                reply.status, reply.body
            ));
        }
    }
    failures
}

/// Whether the router lists `route`'s method in the `Allow` of its path: what tells a
/// routed request from an unrouted one where both answer the same 404 (Django REST
/// Framework's `{"detail": "Not found."}` is a missing object's and an unknown URL's).
async fn allowed_on_its_path(app: &ProductApp, route: &Route) -> bool {
    let probe = Route::new("TRACE", route.path, route.access);
    let reply = app.call_route(&probe, "1", None, None).await;
    let allow = reply
        .headers
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    reply.status == StatusCode::METHOD_NOT_ALLOWED
        && allow.split(',').any(|m| m.trim() == route.method)
}

/// Without a token, protected routes answer 401 and public ones do not; whatever a route
/// answers is one of its documented responses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_without_a_token_are_documented() {
    for product in products::ALL.iter().copied() {
        let app = ProductApp::spawn(product, Backend::Embedded).await;
        let failures = undocumented_answers(&app).await;
        assert!(
            failures.is_empty(),
            "{}: {}",
            product.name(),
            failures.join("\n")
        );
    }
}

async fn undocumented_answers(app: &ProductApp) -> Vec<String> {
    let doc = document(app.product);
    let mut failures = Vec::new();
    for route in app.product.routes() {
        let Route { method, path, .. } = route;
        let operation = &doc["paths"][*path][method.to_lowercase()];
        if operation.is_null() {
            failures.push(format!("{method} {path}: not documented"));
            continue;
        }
        let reply = call(app, route).await;
        if unrouted(app, &reply) {
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
        // A token is optional where the security list holds an empty requirement (`{}`).
        let schemes = operation["security"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let optional = schemes
            .iter()
            .any(|s| s.as_object().is_some_and(|o| o.is_empty()));
        let protected = !schemes.is_empty() && !optional;
        let as_documented = match route.access {
            Access::Optional => optional && schemes.len() > 1,
            access => protected != access.is_public(),
        };
        if !as_documented {
            failures.push(format!(
                "{method} {path}: the route table says {:?}, the document says {}",
                route.access,
                if protected {
                    "protected"
                } else if optional {
                    "optional"
                } else {
                    "public"
                }
            ));
        }
        if protected != (status == StatusCode::UNAUTHORIZED) {
            failures.push(format!(
                "{method} {path}: documented {}, answered {status} without a token",
                if protected { "protected" } else { "public" }
            ));
        }
        if status.is_client_error() && !app.is_error(&reply) {
            failures.push(format!(
                "{method} {path}: error {status} without the error JSON: {}",
                reply.body
            ));
        }
    }
    failures
}
