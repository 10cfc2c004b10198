//! Kbine's API, as documented in `kbine.md`: one module per route group, each with its own
//! `router()`. A Lambda serves one group; the local server serves them all.
//!
//! Who may call a route is its entry in [`openapi::ROUTES`], enforced before its handler
//! runs (`web::access`); a handler that takes `_caller: AuthUser` only needs the caller's
//! session checked, and one that reads `caller.has_role` decides what the caller may see.

pub mod auth;
pub mod config;
pub mod events;
pub mod history;
pub mod lambda;
pub mod openapi;
pub mod operators;
pub mod orders;
pub mod otp;
pub mod payments;
pub mod phone;
pub mod plans;
pub mod product;
pub mod role;
pub mod seed;
pub mod state;
pub mod users;

pub use config::KbineConfig;
pub use product::Kbine;
pub use state::AppState;

use axum::Router;
use axum::http::Method;
use web::rate_limit::{RateLimit, RateLimits};

/// Every route group of the API, merged.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(users::router())
        .merge(operators::router())
        .merge(plans::router())
        .merge(orders::router())
        .merge(payments::router())
}

/// Wraps route groups in what every Kbine response gets: the rate limits (global, and the
/// login's), session checks beside reads, security headers, CORS and tracing.
pub fn app(state: AppState, routes: Router<AppState>) -> Router {
    let global = RateLimit {
        scope: "global",
        max: state.config.rate_limit_max,
        window_secs: state.config.rate_limit_window_secs,
        message: "Trop de requêtes, veuillez réessayer plus tard",
    };
    let limits = RateLimits::new(global).on(
        Method::POST,
        auth::LOGIN_PATH,
        auth::login_limit(&state.config),
    );
    let edge = web::layers::Edge {
        access: web::access::RouteAccess::new(openapi::ROUTES, Some(state.sessions.clone())),
        store: state.store.clone(),
        limits,
        style: ERROR_STYLE,
        cors_origins: state.config.cors_origins.clone(),
    };
    web::layers::product_router(routes, state, edge)
}

/// Kbine's errors: `{"error": "...", "details": ...}`, in French.
pub const ERROR_STYLE: &dyn web::error::ErrorStyle = &web::error::styles::ErrorDetails;
