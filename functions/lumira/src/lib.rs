//! Oracle Lumira's API, as documented in `lumira.md`: one module per route group, each with
//! its own `router()`. A Lambda serves one group; the local server serves them all.

pub mod catalogue;
pub mod checkout;
pub mod config;
pub mod health;
pub mod lambda;
pub mod openapi;
pub mod orders;
pub mod payments;
pub mod product;
pub mod state;
pub mod webhooks;

pub use config::LumiraConfig;
pub use product::Lumira;
pub use state::AppState;

use axum::Router;
use web::rate_limit::{RateLimit, RateLimits};

/// Every route group of the API, merged.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(products_group())
        .merge(payments::router())
}

/// The `products` route group: the catalogue, its checkout and its webhook.
pub fn products_group() -> Router<AppState> {
    Router::new()
        .merge(catalogue::router())
        .merge(checkout::router())
        .merge(webhooks::products_router())
}

/// Lumira's errors, an Express API's: `{"error": "..."}`.
pub const ERROR_STYLE: &dyn web::error::ErrorStyle = &web::error::styles::ExpressError;

/// Wraps route groups in what every Lumira response gets.
pub fn app(state: AppState, routes: Router<AppState>) -> Router {
    let global = RateLimit {
        scope: "global",
        max: state.config.rate_limit_max,
        window_secs: state.config.rate_limit_window_secs,
        message: "Too many requests, please try again later",
    };
    let edge = web::layers::Edge {
        access: web::access::RouteAccess::new(openapi::ROUTES, None),
        store: state.store.clone(),
        limits: RateLimits::new(global),
        style: ERROR_STYLE,
        cors_origins: state.config.cors_origins.clone(),
    };
    web::layers::product_router(routes, state, edge)
}
