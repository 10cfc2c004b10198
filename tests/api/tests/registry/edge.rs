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

/// The local listener, as a page in a browser or a stalled client meets it: another host
/// name is refused (DNS rebinding), oversized requests and refused file links answer in the
/// product's words, and a request head that never ends is cut off.
pub(crate) async fn the_local_listener_guards_itself(
    product: &'static dyn Product,
    backend: Backend,
) -> Vec<String> {
    let app = ProductApp::spawn(product, backend).await;
    let mut failures = Vec::new();
    let mut expect = |what: &str, reply: api_tests::Reply, status: u16| {
        if reply.status.as_u16() != status || !app.is_error(&reply) {
            failures.push(format!("{what}: {} {}", reply.status, reply.body));
        }
    };
    let get = |path: String, headers: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            app.request_with(Method::GET, &path, None, &headers, None)
                .await
        }
    };
    let rebound = get(
        "/no/such/route".into(),
        vec![("host", "attacker.example:3000".into())],
    );
    expect("another host name", rebound.await, 403);
    let local = get("/no/such/route".into(), vec![("host", "localhost".into())]);
    expect("localhost", local.await, 404);
    let long = format!("/no/such/route?q={}", "a".repeat(web::local::MAX_URI_BYTES));
    expect("a long URI", get(long, Vec::new()).await, 414);
    let big = vec![("x-padding", "b".repeat(web::local::MAX_HEADER_BYTES))];
    expect(
        "large headers",
        get("/no/such/route".into(), big).await,
        431,
    );
    let link = get(
        "/files/kbine/nothing.pdf?expires=1&signature=00".into(),
        Vec::new(),
    )
    .await;
    if !(link.status.is_client_error() && app.is_error(&link)) {
        failures.push(format!(
            "a refused file link: {} {}",
            link.status, link.body
        ));
    }
    // What the HTTP layer answers itself: a request line it cannot parse.
    let (status, body) = raw_exchange(&app, b"NOT AN HTTP REQUEST\r\n\r\n").await;
    let shaped = serde_json::from_slice::<Value>(&body).is_ok_and(|body| {
        let reply = api_tests::Reply {
            status: reqwest::StatusCode::BAD_REQUEST,
            headers: Default::default(),
            body,
        };
        app.is_error(&reply)
    });
    if !status.starts_with("HTTP/1.1 400") || !shaped {
        let body = String::from_utf8_lossy(&body);
        failures.push(format!("an unparseable request: {status} {body}"));
    }
    failures
}

/// Sends `request` as is on a new connection; the answer's status line and body.
async fn raw_exchange(app: &ProductApp, request: &[u8]) -> (String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("a connection");
    stream.write_all(request).await.expect("a write");
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), read).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, body.as_bytes().to_vec())
}

/// A client that never finishes its request head, or stays idle after an answer, is cut
/// off once the listener's head timeout has passed (here one second; the wait for the close
/// is bounded, not slept).
pub(crate) async fn stalled_connections_are_closed(
    product: &'static dyn Product,
    backend: Backend,
) -> Vec<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let timeout = std::time::Duration::from_secs(1);
    let app = ProductApp::spawn_timing_out(product, backend, timeout).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut failures = Vec::new();
    let cases: [(&str, &[u8]); 2] = [
        (
            "a half-sent head",
            b"GET /no/such/route HTTP/1.1\r\nHost: localhost\r\nX-Slow: ",
        ),
        (
            "an idle keep-alive",
            b"GET /no/such/route HTTP/1.1\r\nHost: localhost\r\n\r\n",
        ),
    ];
    for (what, sent) in cases {
        let mut stream = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("a connection");
        stream.write_all(sent).await.expect("a write");
        let started = std::time::Instant::now();
        let mut received = Vec::new();
        let ended = tokio::time::timeout(10 * timeout, stream.read_to_end(&mut received)).await;
        match ended {
            Ok(Ok(_)) => {}
            _ => failures.push(format!("{what}: still open after {:?}", started.elapsed())),
        }
    }
    failures
}
