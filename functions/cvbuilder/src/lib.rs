//! CV Builder's API, as documented in `cvbuilder.md` (a Django REST Framework API): one module
//! per route group, each with its own `router()`. A Lambda serves one group; the local server
//! serves them all.

pub mod auth;
pub mod billing;
pub mod config;
pub mod export;
pub mod forms;
pub mod lambda;
pub mod openapi;
pub mod product;
pub mod resumes;
pub mod role;
pub mod seed;
pub mod state;
pub mod templates;
pub mod users;

pub use config::CvConfig;
pub use product::CvBuilder;
pub use state::AppState;

use axum::Router;
use axum::http::Method;
use web::rate_limit::{RateLimit, RateLimits};

/// Every route group of the API, merged.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(templates::router())
        .merge(resumes::router())
        .merge(export::router())
        .merge(billing::router())
}

/// CV Builder's errors, Django REST Framework's: `{"field": ["..."]}` and `{"detail": "..."}`.
pub const ERROR_STYLE: &dyn web::error::ErrorStyle = &web::error::styles::DjangoRest;

/// Wraps route groups in what every CV Builder response gets.
pub fn app(state: AppState, routes: Router<AppState>) -> Router {
    let global = RateLimit {
        scope: "global",
        max: state.config.rate_limit_max,
        window_secs: state.config.rate_limit_window_secs,
        message: "Request was throttled.",
    };
    let limits = RateLimits::new(global)
        .on(
            Method::POST,
            auth::LOGIN_PATH,
            auth::login_limit(&state.config),
        )
        .on(
            Method::POST,
            auth::REGISTER_PATH,
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
