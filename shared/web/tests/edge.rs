//! The edge every product router wears (`web::layers::product_router`), over a small route
//! table: access enforced from the table before extractors, 405 for undeclared methods, and
//! reads with side effects kept from running beside their checks.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: failing loudly is the point

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use store::DynStore;
use store::embedded::EmbeddedStore;
use tower::ServiceExt;
use web::access::RouteAccess;
use web::auth::{AuthConfig, AuthState, AuthUser, Principal, Sessions, Tokens};
use web::config::Secret;
use web::extract::Json;
use web::layers::{Edge, product_router};
use web::rate_limit::{RateLimit, RateLimits, WriteGate};
use web::routes::{Access, Route};

static ROUTES: &[Route] = &[
    Route::new("GET", "/open", Access::Public),
    Route::new("GET", "/maybe", Access::Optional),
    Route::new("POST", "/admin", Access::Roles(&["admin"])),
    Route::new("GET", "/read", Access::AnyUser),
    Route::new("GET", "/counted", Access::AnyUser).with_side_effects(),
    Route::new("POST", "/early", Access::Public).with_early_reads(),
];

#[derive(Clone)]
struct TestState {
    sessions: Sessions,
    reads: Arc<AtomicUsize>,
    counted: Arc<AtomicUsize>,
}

impl AuthState for TestState {
    fn sessions(&self) -> &Sessions {
        &self.sessions
    }
}

async fn read(State(state): State<TestState>, _caller: AuthUser) -> &'static str {
    state.reads.fetch_add(1, Ordering::SeqCst);
    "read"
}

async fn counted(State(state): State<TestState>, _caller: AuthUser) -> &'static str {
    state.counted.fetch_add(1, Ordering::SeqCst);
    "counted"
}

/// Reads (counted in `reads`), waits at its gate, then "writes" (counted in `counted`).
async fn early(
    State(state): State<TestState>,
    mut gate: WriteGate,
) -> Result<&'static str, web::ApiError> {
    state.reads.fetch_add(1, Ordering::SeqCst);
    gate.open().await?;
    state.counted.fetch_add(1, Ordering::SeqCst);
    Ok("written")
}

async fn maybe(caller: Principal) -> String {
    match caller {
        Principal::User(user) => format!("user {}", user.id),
        Principal::Anonymous(Some(key)) => format!("anonymous {}", key.as_str()),
        Principal::Anonymous(None) => "anonymous".into(),
    }
}

async fn admin(_caller: AuthUser, Json(body): Json<Value>) -> axum::Json<Value> {
    axum::Json(body)
}

struct Edged {
    router: Router,
    state: TestState,
}

fn edged() -> Edged {
    edged_with_limit(1000)
}

fn edged_with_limit(max: u32) -> Edged {
    let store: DynStore = Arc::new(EmbeddedStore::in_memory().unwrap());
    let tokens = Tokens::new(AuthConfig {
        access_secret: Secret::new("edge-access-secret-0123456789abcdef0123"),
        refresh_secret: Secret::new("edge-refresh-secret-0123456789abcdef012"),
        issuer: "edge".into(),
        audience: "edge-clients".into(),
        access_ttl_secs: 3600,
        refresh_ttl_secs: 3600,
        refresh_reuse_grace_secs: 10,
        claims: web::auth::ClaimNames::CAMEL,
    });
    let state = TestState {
        sessions: Sessions::new(store.clone(), tokens),
        reads: Arc::default(),
        counted: Arc::default(),
    };
    let routes = Router::new()
        .route("/open", get(|| async { "open" }))
        .route("/maybe", get(maybe))
        .route("/admin", post(admin))
        .route("/read", get(read))
        .route("/counted", get(counted))
        .route("/early", post(early));
    let limit = RateLimit {
        scope: "global",
        max,
        window_secs: 1_000_000_000,
        message: "slow down",
    };
    let edge = Edge {
        access: RouteAccess::new(ROUTES, Some(state.sessions.clone())),
        store,
        limits: RateLimits::new(limit),
        style: &web::error::styles::ExpressError,
        cors_origins: "*".into(),
        analytics: false,
    };
    Edged {
        router: product_router(routes, state.clone(), edge),
        state,
    }
}

impl Edged {
    /// A token of `role` whose session is open (or already revoked).
    async fn token(&self, role: &str, revoked: bool) -> String {
        let session = self.state.sessions.start(1.into()).await.unwrap();
        if revoked {
            self.state.sessions.revoke(&session.sid).await.unwrap();
        }
        self.state
            .sessions
            .tokens()
            .issue_access(1.into(), role, &session.sid)
            .unwrap()
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> (StatusCode, String, Option<String>) {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let allow = response
            .headers()
            .get(header::ALLOW)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned(), allow)
    }
}

#[tokio::test]
async fn a_role_wall_answers_403_before_the_body_is_read() {
    let edged = edged();
    let client = edged.token("client", false).await;
    let admin = edged.token("admin", false).await;
    let (status, body, _) = edged
        .send("POST", "/admin", Some(&client), "{not json")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body, r#"{"error":"Insufficient permissions"}"#);
    let (status, _, _) = edged
        .send("POST", "/admin", Some(&admin), "{not json")
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "the admin gets as far as the body"
    );
    let (status, body, _) = edged
        .send("POST", "/admin", Some(&admin), r#"{"a":1}"#)
        .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, r#"{"a":1}"#));
    let (status, _, _) = edged.send("POST", "/admin", None, "{}").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_revoked_session_below_the_wall_is_401_not_403() {
    let edged = edged();
    let revoked = edged.token("client", true).await;
    let (status, _, _) = edged.send("POST", "/admin", Some(&revoked), "{}").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn optional_access_takes_no_token_but_refuses_a_bad_one() {
    let edged = edged();
    assert_eq!(
        edged.send("GET", "/maybe", None, "").await.0,
        StatusCode::OK
    );
    let client = edged.token("client", false).await;
    assert_eq!(
        edged.send("GET", "/maybe", Some(&client), "").await.0,
        StatusCode::OK
    );
    assert_eq!(
        edged.send("GET", "/maybe", Some("garbage"), "").await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_undeclared_method_is_405_with_the_declared_ones() {
    let edged = edged();
    let (status, _, allow) = edged.send("DELETE", "/open", None, "").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allow.as_deref(), Some("GET,HEAD"));
}

#[tokio::test]
async fn a_read_with_side_effects_waits_for_its_session_check() {
    let edged = edged();
    let revoked = edged.token("client", true).await;
    // A plain read runs beside the check: its answer is replaced by the 401, but it ran.
    assert_eq!(
        edged.send("GET", "/read", Some(&revoked), "").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(edged.state.reads.load(Ordering::SeqCst), 1);
    // A read that changes something does not run for a caller the check refuses.
    assert_eq!(
        edged.send("GET", "/counted", Some(&revoked), "").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(edged.state.counted.load(Ordering::SeqCst), 0);
    let open = edged.token("client", false).await;
    assert_eq!(
        edged.send("GET", "/counted", Some(&open), "").await.0,
        StatusCode::OK
    );
    assert_eq!(edged.state.counted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_write_with_early_reads_writes_only_once_its_counts_let_it_through() {
    let refused = edged_with_limit(0);
    let (status, body, _) = refused.send("POST", "/early", None, "{}").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(
        refused.state.counted.load(Ordering::SeqCst),
        0,
        "no write when refused"
    );
    let allowed = edged();
    let (status, body, _) = allowed.send("POST", "/early", None, "{}").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "written"));
    assert_eq!(allowed.state.reads.load(Ordering::SeqCst), 1);
    assert_eq!(allowed.state.counted.load(Ordering::SeqCst), 1);
}
