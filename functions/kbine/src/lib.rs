//! Kbine's API, as documented in `kbine.md`: one module per route group, each declaring its
//! routes beside their handlers (its `routes()`). A Lambda serves one group; the local server
//! serves them all ([`API`]).
//!
//! Who may call a route is its declaration's access, enforced before its handler runs
//! (`web::access`); a handler that takes `_caller: AuthUser` only needs the caller's session
//! checked, and one that reads `caller.has_role` decides what the caller may see.

pub mod accounts;
pub mod auth;
pub mod config;
pub mod deploy;
pub mod events;
pub mod history;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod openapi;
pub mod operators;
pub mod orders;
pub mod otp;
pub mod payments;
pub mod phone;
pub mod plans;
#[cfg(feature = "harness")]
pub mod product;
pub mod role;
#[cfg(feature = "harness")]
pub mod seed;
pub mod state;
pub mod users;

pub use config::KbineConfig;
#[cfg(feature = "harness")]
pub use product::Kbine;
pub use state::AppState;

use axum::Router;
use web::layers::Edge;
use web::rate_limit::RateLimits;
use web::routes::{Api, Binary, Group, Served};

/// Kbine's one binary: each route group is one of its functions.
pub const LAMBDA: Binary<AppState> = Binary::new(
    "kbine-lambda",
    &[
        Group::new("auth", auth::routes),
        Group::new("users", users::routes),
        Group::new("operators", operators::routes),
        Group::new("plans", plans::routes),
        Group::new("orders", orders::routes),
        Group::new("payments", payments::routes),
    ],
);

/// Every route of the API.
pub static API: Api<AppState> = Api::new(&[LAMBDA]);

/// Wraps route groups in what every Kbine response gets: the rate limits (global, and the
/// login's), session checks beside reads, security headers, CORS and tracing.
pub fn app(state: AppState, served: Served<AppState>) -> Router {
    let config = &state.config.edge;
    let limits = RateLimits::new(config.global_limit(GLOBAL_LIMIT_MESSAGE)).logins(
        config,
        "Trop de tentatives de connexion, veuillez réessayer plus tard",
    );
    let edge = Edge::new(served.routes, &state.sessions, limits, ERROR_STYLE, config);
    web::layers::product_router(served.router, state, edge)
}

/// What the global rate limit answers.
pub const GLOBAL_LIMIT_MESSAGE: &str = "Trop de requêtes, veuillez réessayer plus tard";

/// Kbine's errors: `{"error": "...", "details": ...}`, in French.
pub const ERROR_STYLE: &dyn web::error::ErrorStyle = &web::error::styles::ErrorDetails;
