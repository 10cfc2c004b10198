//! The black-box test harness: each test gets its own server on 127.0.0.1 over a fresh store
//! (a temporary SQLite file, or its own table in DynamoDB Local), and talks to it over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: failing loudly is the point

use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use store::DynStore;
use store::dynamodb::DynamoStore;
use store::embedded::EmbeddedStore;
use web::error::ErrorStyle;
use web::product::Product;

pub mod authz;
pub mod faults;
pub mod live;
mod product_app;

pub use product_app::ProductApp;

/// Fails with every line of `failures` at once, so a test reports a whole matrix.
pub fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// GETs an absolute URL (a presigned link the API answered): its status and body.
pub async fn download(url: &str) -> (u16, Vec<u8>) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

pub use kbine::KbineConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Embedded,
    DynamoDb,
}

/// Runs one scenario against both stores: `both!(name, |app| async move { ... })` makes the
/// tests `name::embedded` and `name::dynamodb`; `both!(name, config = expr, ...)` starts the
/// server with other settings.
#[macro_export]
macro_rules! both {
    ($name:ident, $scenario:expr) => {
        $crate::both!($name, config = $crate::test_config(), $scenario);
    };
    ($name:ident, config = $config:expr, $scenario:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                let app = $crate::TestApp::spawn_with($crate::Backend::Embedded, $config).await;
                ($scenario)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn dynamodb() {
                let app = $crate::TestApp::spawn_with($crate::Backend::DynamoDb, $config).await;
                ($scenario)(app).await;
            }
        }
    };
}

/// Records the order events handlers publish.
#[derive(Default)]
pub struct RecordedEvents(pub Mutex<Vec<kbine::events::OrderEvent>>);

#[async_trait::async_trait]
impl kbine::events::Events for RecordedEvents {
    async fn publish(&self, event: kbine::events::OrderEvent) {
        self.0.lock().unwrap().push(event);
    }
}

/// A product's API on 127.0.0.1, as a client calls it, and the dialect its errors speak.
pub struct Server {
    pub base: String,
    pub client: reqwest::Client,
    pub style: &'static dyn ErrorStyle,
}

/// Kbine's API on a fresh store, with its events recorded and its settings at hand.
pub struct TestApp {
    pub server: Server,
    pub store: DynStore,
    pub events: Arc<RecordedEvents>,
    /// Every SMS the API sent (login codes).
    pub outbox: Arc<messaging::Outbox>,
    pub config: KbineConfig,
    _dir: Option<tempfile::TempDir>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// A file as a client downloads it.
#[derive(Debug)]
pub struct Download {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

/// A reply as a client sees it.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

/// The password the helpers give the staff and admin accounts they make.
pub const STAFF_PASSWORD: &str = "test-staff-password";

/// A logged-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub token: String,
    pub refresh_token: String,
    pub phone: String,
}

/// Kbine's settings for tests: its registration's (`Product::test_env`: known secrets, rate
/// limits out of reach, windows that never roll over during a test), as the registry-wide
/// tests and the benchmarks use them.
pub fn test_config() -> KbineConfig {
    KbineConfig::from_env(&kbine::Kbine.test_env()).expect("Kbine's test settings are valid")
}

pub async fn fresh_store(backend: Backend) -> (DynStore, Option<tempfile::TempDir>) {
    fresh_store_of("kbine", backend).await
}

/// A store of `product`'s own on `backend`: a new SQLite file, or a new DynamoDB Local table.
pub async fn fresh_store_of(
    product: &str,
    backend: Backend,
) -> (DynStore, Option<tempfile::TempDir>) {
    match backend {
        Backend::Embedded => {
            let dir = tempfile::tempdir().unwrap();
            let store =
                EmbeddedStore::open(&dir.path().join(format!("{product}.sqlite3"))).unwrap();
            (Arc::new(store), Some(dir))
        }
        Backend::DynamoDb => {
            let endpoint = std::env::var("TEST_DYNAMODB_ENDPOINT").expect(
                "TEST_DYNAMODB_ENDPOINT is not set: run the tests with scripts/test.sh, \
                 which starts DynamoDB Local",
            );
            let table = format!("{product}-test-{}", uuid::Uuid::new_v4().simple());
            let store = DynamoStore::local(&endpoint, table);
            store.create_table_if_missing().await.unwrap();
            (Arc::new(store), None)
        }
    }
}

impl Server {
    /// Serves `router` on `listener` until the returned sender is dropped.
    pub fn serve(
        listener: tokio::net::TcpListener,
        router: axum::Router,
        style: &'static dyn ErrorStyle,
    ) -> (Server, tokio::sync::oneshot::Sender<()>) {
        Self::serve_guarded(listener, router, web::local::Guard::loopback(style))
    }

    /// [`Server::serve`] behind `guard` (shorter timeouts).
    pub fn serve_guarded(
        listener: tokio::net::TcpListener,
        router: axum::Router,
        guard: web::local::Guard,
    ) -> (Server, tokio::sync::oneshot::Sender<()>) {
        let addr = listener.local_addr().unwrap();
        let style = guard.style;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(web::local::serve(listener, router, guard, async {
            let _ = stopped.await;
        }));
        let server = Server {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            style,
        };
        (server, stop)
    }

    /// Whether `reply` is an error in the product's dialect.
    pub fn is_error(&self, reply: &Reply) -> bool {
        self.style.is_error_body(&reply.body)
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let authorization = token.map(|token| format!("Bearer {token}"));
        self.send(method, path, authorization.as_deref(), body)
            .await
    }

    /// Like [`TestApp::call`], with any `Authorization` header value (or none).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        authorization: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(authorization) = authorization {
            request = request.header(reqwest::header::AUTHORIZATION, authorization);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        Self::reply(response).await
    }

    /// A POST of a JSON body with more headers (`Idempotency-Key`...).
    pub async fn post_with(
        &self,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Value,
    ) -> Reply {
        self.request_with(Method::POST, path, token, headers, Some(body))
            .await
    }

    /// Any request, with more headers (a session's `Cookie`...) and a JSON body if given.
    pub async fn request_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::reply(request.send().await.unwrap()).await
    }

    /// Calls a route of a route table: every path parameter `id`, the given `Authorization`
    /// header, and `body`, or an empty JSON object for a write without one.
    pub async fn call_route(
        &self,
        route: &web::routes::Route,
        id: &str,
        authorization: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let method = Method::from_bytes(route.method.as_bytes()).expect("a valid method");
        let body = match body {
            Some(body) => Some(body.clone()),
            None => route.writes().then(|| json!({})),
        };
        self.send(method, &route.concrete_uri(id), authorization, body)
            .await
    }

    /// POSTs `body` as it is, with `headers` (a webhook delivery and its signature).
    pub async fn post_bytes(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::reply(request.send().await.unwrap()).await
    }

    /// POSTs a `multipart/form-data` body: text parts `(name, value)` and file parts
    /// `(name, file name, declared type, bytes)`.
    pub async fn post_multipart(
        &self,
        path: &str,
        texts: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Reply {
        self.post_multipart_as(path, None, texts, files).await
    }

    /// [`Self::post_multipart`], with a bearer token.
    pub async fn post_multipart_as(
        &self,
        path: &str,
        token: Option<&str>,
        texts: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Reply {
        self.multipart(Method::POST, path, token, texts, files)
            .await
    }

    /// A multipart form sent with `method`, with a bearer token.
    pub async fn multipart(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        texts: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Reply {
        const BOUNDARY: &str = "ApiTestsBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in texts {
            body.extend(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, file_name, declared, bytes) in files {
            body.extend(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {declared}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend(*bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::reply(request.send().await.unwrap()).await
    }

    /// Sends a raw body with the given content type (malformed JSON, wrong types...).
    pub async fn raw(&self, method: Method, path: &str, token: Option<&str>, body: &str) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::reply(request.send().await.unwrap()).await
    }

    async fn reply(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let is_json = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| v.starts_with("application/json"));
        let body = if text.is_empty() {
            Value::Null
        } else if is_json {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("body is not JSON: {text}"))
        } else {
            // A file (a CSV export): its text, for the harnesses that only read statuses.
            Value::String(text)
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    /// A GET of a file (not JSON): its status, headers and bytes.
    pub async fn get_raw(&self, path: &str, token: Option<&str>) -> Download {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        Download {
            status: response.status(),
            headers: response.headers().clone(),
            bytes: response.bytes().await.unwrap().to_vec(),
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }
    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PUT, path, token, Some(body)).await
    }
    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PATCH, path, token, Some(body)).await
    }
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::DELETE, path, token, None).await
    }
}

impl std::ops::Deref for TestApp {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.server
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, test_config()).await
    }

    pub async fn spawn_with(backend: Backend, config: KbineConfig) -> TestApp {
        let (store, dir) = fresh_store(backend).await;
        Self::spawn_on(store, dir, config).await
    }

    /// A server whose store can be made to fail mid-request (see [`faults`]).
    pub async fn spawn_faulty(backend: Backend) -> (TestApp, Arc<faults::FaultyStore>) {
        let (store, dir) = fresh_store(backend).await;
        let faulty = faults::FaultyStore::new(store);
        let app = Self::spawn_on(faulty.clone(), dir, test_config()).await;
        (app, faulty)
    }

    async fn spawn_on(
        store: DynStore,
        dir: Option<tempfile::TempDir>,
        config: KbineConfig,
    ) -> TestApp {
        let events = Arc::new(RecordedEvents::default());
        let outbox = messaging::Outbox::new();
        let state = kbine::AppState::new(store.clone(), config.clone())
            .with_events(events.clone())
            .with_sms(outbox.clone());
        let router = kbine::app(state, kbine::API.served());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (server, stop) = Server::serve(listener, router, kbine::ERROR_STYLE);
        TestApp {
            server,
            store,
            events,
            outbox,
            config,
            _dir: dir,
            _stop: stop,
        }
    }

    /// Places an order of `plan_id` for `phone`, to be paid by `method`, as the caller of
    /// `token`; returns its id.
    pub async fn place_order(&self, token: &str, plan_id: i64, phone: &str, method: &str) -> i64 {
        let body = json!({"plan_id": plan_id, "phone_number": phone, "payment_method": method});
        let reply = self.post("/api/orders", Some(token), body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply.body["id"].as_i64().unwrap()
    }

    /// Records a payment of `amount` by `method` for order `order_id`; returns the reply.
    pub async fn pay_order(
        &self,
        token: &str,
        order_id: i64,
        amount: f64,
        reference: &str,
        method: &str,
    ) -> Reply {
        let body = json!({"order_id": order_id, "amount": amount, "payment_method": method,
                          "payment_reference": reference});
        self.post("/api/payments", Some(token), body).await
    }

    /// Logs in (creating the account on first login) and returns the session.
    pub async fn login(&self, phone: &str) -> Session {
        self.login_with(json!({"phoneNumber": phone})).await
    }

    /// Logs a staff or admin account in with its password.
    pub async fn login_with_password(&self, phone: &str, password: &str) -> Session {
        self.login_with(json!({"phoneNumber": phone, "password": password}))
            .await
    }

    async fn login_with(&self, body: Value) -> Session {
        let phone = body["phoneNumber"].clone();
        let reply = self.post("/api/auth/login", None, body).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login {phone}: {:?}",
            reply.body
        );
        Session {
            id: reply.body["user"]["id"].as_i64().unwrap(),
            token: reply.body["token"].as_str().unwrap().to_string(),
            refresh_token: reply.body["refreshToken"].as_str().unwrap().to_string(),
            phone: reply.body["user"]["phoneNumber"]
                .as_str()
                .unwrap()
                .to_string(),
        }
    }

    /// A user of `role`, made the way an operator would (the admin command's code path).
    pub async fn user_with_role(&self, phone: &str, role: &str) -> Session {
        if self.change_role(phone, role).await {
            self.login_with_password(phone, STAFF_PASSWORD).await
        } else {
            self.login(phone).await
        }
    }

    /// Gives `phone`'s account `role` as the admin command does, without logging in; a
    /// staff or admin account without a password gets [`STAFF_PASSWORD`] (a password set
    /// again would end its sessions). Answers whether it needs it to log in.
    pub async fn change_role(&self, phone: &str, role: &str) -> bool {
        let parsed = kbine::phone::PhoneNumber::parse(phone).unwrap();
        let role = <kbine::role::Role as web::validate::Choice>::parse(role).unwrap();
        let has_password = kbine::users::find_account(&self.store, &parsed)
            .await
            .unwrap()
            .is_some_and(|account| account.password_hash.is_some());
        let needs_password = role.signs_in_with_password();
        let password = (needs_password && !has_password).then_some(STAFF_PASSWORD);
        kbine::accounts::ensure_user(&self.store, &parsed, role, password)
            .await
            .unwrap();
        needs_password
    }

    pub async fn admin(&self) -> Session {
        self.user_with_role("0700000001", "admin").await
    }

    pub async fn staff(&self) -> Session {
        self.user_with_role("0500000002", "staff").await
    }

    /// Creates the three documented operators and their demo plans.
    pub async fn seed_catalogue(&self) {
        kbine::seed::demo_catalogue(&self.store).await.unwrap();
    }
}
