//! Oracle Lumira's API, as documented in `lumira.md`: one module per route group, each with
//! its own `router()`. A Lambda serves one group; the local server serves them all.

pub mod accounts;
pub mod auth;
pub mod catalogue;
pub mod checkout;
pub mod config;
pub mod consultation;
pub mod customers;
pub mod delivery;
pub mod expert;
pub mod health;
pub mod lambda;
pub mod listing;
pub mod notify;
pub mod openapi;
pub mod order_admin;
pub mod orders;
pub mod payments;
pub mod product;
pub mod reading;
pub mod role;
pub mod sanctuaire;
pub mod seed;
pub mod state;
pub mod submission;
pub mod users;
pub mod webhooks;

pub use config::LumiraConfig;
pub use product::Lumira;
pub use state::AppState;

use axum::Router;
use axum::http::Method;
use web::rate_limit::{RateLimit, RateLimits};

/// Every route group of the API, merged.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(expert_group())
        .merge(users_group())
        .merge(products_group())
        .merge(orders_group())
        .merge(delivery::router())
        .merge(payments::router())
}

/// The `users` route group: the clients for admins, and the client's own sanctuaire.
pub fn users_group() -> Router<AppState> {
    Router::new()
        .merge(users::router())
        .merge(sanctuaire::router())
}

/// The `orders` route group: the back office's orders, and the client's submission.
pub fn orders_group() -> Router<AppState> {
    Router::new()
        .merge(order_admin::router())
        .merge(submission::router())
}

/// The `expert` route group: the expert desk.
pub fn expert_group() -> Router<AppState> {
    Router::new()
        .merge(auth::expert_router())
        .merge(expert::router())
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
    let limits = RateLimits::new(global)
        .on(
            Method::POST,
            auth::LOGIN_PATH,
            auth::login_limit(&state.config),
        )
        .on(
            Method::POST,
            auth::EXPERT_LOGIN_PATH,
            auth::login_limit(&state.config),
        )
        .on(
            Method::POST,
            sanctuaire::SIGN_IN_PATH,
            sanctuaire::ip_limit(&state.config),
        )
        .on(
            Method::POST,
            sanctuaire::VERIFY_PATH,
            sanctuaire::ip_limit(&state.config),
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
