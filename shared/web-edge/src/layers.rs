//! Middleware every product router wears: security headers, CORS, request ids and traces.

use crate::rate_limits::RateLimits;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing_subscriber::filter::Targets;
use web_core::rate_limit::RateLimit;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The three security headers the documents promise on every response.
pub fn security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_XSS_PROTECTION,
            HeaderValue::from_static("1; mode=block"),
        ))
}

/// Request ids (kept from the client or made) and one trace span per request.
pub fn observability<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            },
        ))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Logs as JSON under Lambda (CloudWatch), as text on a terminal; `RUST_LOG` filters, in
/// the `target=level,...` form (`info`, `kbine=debug,info`). A target filter rather than
/// `EnvFilter`: it needs no regex engine, a megabyte less in every function binary.
pub fn init_tracing() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|spec| spec.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let builder = tracing_subscriber::fmt();
    let result = if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some() {
        builder
            .json()
            .with_current_span(false)
            .without_time()
            .finish()
            .with(filter)
            .try_init()
    } else {
        builder.finish().with(filter).try_init()
    };
    // A subscriber already installed (tests) is fine.
    drop(result);
}

/// What every product's edge reads from the environment: its rate limits and the origins
/// CORS lets in.
#[derive(Debug, Clone)]
pub struct EdgeConfig {
    /// `RATE_LIMIT_MAX` (100) requests per IP per `RATE_LIMIT_WINDOW_SECS` (900), every route.
    pub rate_limit_max: u32,
    pub rate_limit_window_secs: i64,
    /// `LOGIN_RATE_LIMIT_MAX` (5) logins per IP per `LOGIN_RATE_LIMIT_WINDOW_SECS` (900).
    pub login_rate_limit_max: u32,
    pub login_rate_limit_window_secs: i64,
    /// `ACCOUNT_LOGIN_RATE_LIMIT_MAX` (10) failed sign-ins per account, over every address,
    /// per `ACCOUNT_LOGIN_RATE_LIMIT_WINDOW_SECS` (900).
    pub account_login_rate_limit_max: u32,
    pub account_login_rate_limit_window_secs: i64,
    /// `CORS_ORIGINS`: comma-separated, or `*` (the default).
    pub cors_origins: String,
    /// `LOGIN_RATE_LIMIT_BAN_AFTER` (20) refused sign-ins from one address within an hour
    /// ban it for `LOGIN_RATE_LIMIT_BAN_SECS` (3600), in the products that ban addresses on
    /// their own (`web_core::rate_limit::bans`).
    pub ban_after_failed_logins: u64,
    pub ban_secs: i64,
}

impl EdgeConfig {
    pub fn from_env(env: &web_core::config::Env) -> Result<Self, web_core::config::ConfigError> {
        Ok(EdgeConfig {
            rate_limit_max: env.parse_or("RATE_LIMIT_MAX", 100)?,
            rate_limit_window_secs: env.parse_or("RATE_LIMIT_WINDOW_SECS", 900)?,
            login_rate_limit_max: env.parse_or("LOGIN_RATE_LIMIT_MAX", 5)?,
            login_rate_limit_window_secs: env.parse_or("LOGIN_RATE_LIMIT_WINDOW_SECS", 900)?,
            account_login_rate_limit_max: env.parse_or("ACCOUNT_LOGIN_RATE_LIMIT_MAX", 10)?,
            account_login_rate_limit_window_secs: env
                .parse_or("ACCOUNT_LOGIN_RATE_LIMIT_WINDOW_SECS", 900)?,
            cors_origins: env.string_or("CORS_ORIGINS", "*"),
            ban_after_failed_logins: env.parse_or("LOGIN_RATE_LIMIT_BAN_AFTER", 20)?,
            ban_secs: env.parse_or("LOGIN_RATE_LIMIT_BAN_SECS", 3600)?,
        })
    }

    /// The limit on every request, refused with the product's `message`.
    pub fn global_limit(&self, message: &'static str) -> RateLimit {
        RateLimit {
            scope: "global",
            max: self.rate_limit_max,
            window_secs: self.rate_limit_window_secs,
            message,
        }
    }

    /// The limit on failed sign-ins per account, refused with the product's `message`.
    pub fn account_login_limit(&self, message: &'static str) -> RateLimit {
        RateLimit {
            scope: "login-account",
            max: self.account_login_rate_limit_max,
            window_secs: self.account_login_rate_limit_window_secs,
            message,
        }
    }

    /// The limit on logins (every admitted attempt counts, even a malformed one: the edge
    /// counts it before the handler runs), refused with the product's `message`.
    pub fn login_limit(&self, message: &'static str) -> RateLimit {
        RateLimit {
            scope: "login",
            max: self.login_rate_limit_max,
            window_secs: self.login_rate_limit_window_secs,
            message,
        }
    }
}

/// What stands between a product's routes and its clients.
pub struct Edge {
    /// Who may call each route (the product's route table).
    pub access: std::sync::Arc<web_auth::access::RouteAccess>,
    pub store: store::DynStore,
    pub limits: RateLimits,
    pub style: &'static dyn web_core::error::ErrorStyle,
    /// `CORS_ORIGINS`: comma-separated, or `*`.
    pub cors_origins: String,
    /// Whether each request moves its hour's analytics (`web_core::analytics`).
    pub analytics: bool,
}

impl Edge {
    /// The edge of a product with accounts: `routes`' access checked against `sessions`,
    /// counted by `limits` in the sessions' store, errors worded by `style`.
    pub fn new(
        routes: &'static [web_routes::Route],
        sessions: &web_auth::Sessions,
        limits: RateLimits,
        style: &'static dyn web_core::error::ErrorStyle,
        config: &EdgeConfig,
    ) -> Edge {
        for class in limits.unknown_classes(routes) {
            tracing::error!(class, "a route's rate-limit class has no limit");
        }
        Edge {
            access: web_auth::access::RouteAccess::new(routes, Some(sessions.clone())),
            store: sessions.store().clone(),
            limits,
            style,
            cors_origins: config.cors_origins.clone(),
            analytics: false,
        }
    }

    /// Each matched request moves its hour's analytics before its answer leaves.
    pub fn with_analytics(mut self) -> Edge {
        self.analytics = true;
        self
    }
}

/// A product's routes as its clients meet them, in the same order for every product: the
/// rate limits, session checks beside reads, errors rendered in the product's style (the
/// fallback too), then CORS, security headers, request ids and traces; once a route is
/// matched, its access from the route table, before its extractors run.
pub fn product_router<S: Clone + Send + Sync + 'static>(
    routes: Router<S>,
    state: S,
    edge: Edge,
) -> Router {
    let table = edge.access.routes();
    let mut routes = routes.route_layer(axum::middleware::from_fn_with_state(
        edge.access,
        web_auth::access::enforce,
    ));
    if edge.analytics {
        routes = routes.route_layer(axum::middleware::from_fn_with_state(
            edge.store.clone(),
            crate::analytics::record,
        ));
    }
    let router = routes
        .fallback(no_route)
        .layer(axum::middleware::from_fn_with_state(
            (edge.store, edge.limits, table),
            crate::rate_limits::rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            table,
            web_auth::check_sessions_beside_reads,
        ))
        .layer(axum::middleware::map_response_with_state(
            edge.style,
            web_core::error::render_errors,
        ))
        .with_state(state);
    let cors = crate::cors::Policy::of(table).layer(&edge.cors_origins);
    observability(security_headers(router.layer(cors)))
}

async fn no_route() -> web_core::ApiError {
    web_core::ApiError::problem(web_core::error::Problem::NoRoute)
}
