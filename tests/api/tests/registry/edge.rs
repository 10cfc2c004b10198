//! Every product's edge as a browser on another origin meets it: the request headers its
//! document says a route takes pass CORS, the headers a client must read are exposed, and
//! credentials go with a listed origin.

use api_tests::{Backend, ProductApp};
use reqwest::Method;
use serde_json::Value;
use web::product::Product;
use web::routes::Access;

const ORIGIN: &str = "https://front.example.test";

/// The header parameters the document gives `method path`, lower case.
fn documented_headers(doc: &Value, method: &str, path: &str) -> Vec<String> {
    let operation = &doc["paths"][path][method.to_lowercase()];
    let parameters = operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    parameters
        .iter()
        .filter_map(|parameter| {
            let parameter = match parameter["$ref"].as_str() {
                Some(reference) => doc.pointer(&reference[1..])?,
                None => parameter,
            };
            (parameter["in"] == "header").then(|| parameter["name"].as_str())?
        })
        .map(str::to_ascii_lowercase)
        .collect()
}

fn header(reply: &api_tests::Reply, name: &str) -> String {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

pub(crate) async fn cors_lets_the_routes_headers_through(
    product: &'static dyn Product,
    backend: Backend,
) -> Vec<String> {
    let app =
        ProductApp::spawn_with(product, backend, |env| env.with("CORS_ORIGINS", ORIGIN)).await;
    let doc: Value = serde_json::from_str(product.openapi_json()).expect("a JSON document");
    let mut failures = Vec::new();
    for route in product
        .routes()
        .iter()
        .filter(|r| r.access != Access::Signed)
    {
        let mut wanted = documented_headers(&doc, route.method, route.path);
        wanted.push("content-type".into());
        if !route.access.is_public() {
            wanted.push("authorization".into());
        }
        if route.access == Access::Optional {
            wanted.push(web::auth::SESSION_HEADER.into());
        }
        let asked = wanted.join(",");
        let preflight = [
            ("origin", ORIGIN),
            ("access-control-request-method", route.method),
            ("access-control-request-headers", asked.as_str()),
        ];
        let path = route.concrete_uri(product.absent_id());
        let reply = app
            .request_with(Method::OPTIONS, &path, None, &preflight, None)
            .await;
        let allowed = header(&reply, "access-control-allow-headers");
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|h| !allowed.split(',').any(|a| a.trim() == h.as_str()))
            .collect();
        if !reply.status.is_success()
            || header(&reply, "access-control-allow-origin") != ORIGIN
            || header(&reply, "access-control-allow-credentials") != "true"
            || !missing.is_empty()
        {
            failures.push(format!(
                "preflight of {} {}: {} allows [{allowed}], missing {missing:?}",
                route.method, route.path, reply.status
            ));
        }
    }
    // What a client script must read of an answer.
    let reply = app
        .request_with(
            Method::GET,
            "/no/such/route",
            None,
            &[("origin", ORIGIN)],
            None,
        )
        .await;
    let exposed = header(&reply, "access-control-expose-headers");
    for needed in ["retry-after", "x-request-id"] {
        if !exposed.split(',').any(|e| e.trim() == needed) {
            failures.push(format!("{needed} not exposed: [{exposed}]"));
        }
    }
    failures
}
