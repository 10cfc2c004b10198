//! The services marketplace's API: the admin API of `marketplace-admin.md` and the public and
//! provider side it administers. Each module declares its routes beside their handlers (its
//! `routes()`), gathered here into route groups and the Lambda binary. A Lambda serves one
//! group; the local server serves them all ([`API`]).

pub mod admin;
pub mod answers;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod banners;
pub mod config;
pub mod contacts;
pub mod deletion;
pub mod deploy;
pub mod exports;
pub mod favorites;
pub mod jobs;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod mails;
pub mod openapi;
pub mod paging;
pub mod payments;
#[cfg(feature = "harness")]
pub mod product;
pub mod providers;
pub mod reports;
pub mod reviews;
pub mod role;
pub mod security;
#[cfg(feature = "harness")]
pub mod seed;
pub mod services;
pub mod state;
pub mod trends;
pub mod users;

pub use config::MarketplaceConfig;
#[cfg(feature = "harness")]
pub use product::Marketplace;
pub use state::AppState;

use axum::Router;
use web::layers::Edge;
use web::rate_limit::RateLimits;
use web::routes::{Api, Binary, Group, Served, joined};

/// The marketplace's one binary: each route group is one of its functions.
pub const LAMBDA: Binary<AppState> = Binary::new(
    "marketplace-lambda",
    &[
        Group::new("auth", auth::routes),
        Group::new("providers", || {
            joined([
                applications::routes::routes(),
                providers::listing::routes(),
                providers::own::routes(),
                reviews::routes::routes(),
                contacts::routes(),
                favorites::routes(),
                services::routes(),
            ])
        }),
        Group::new("banners", banners::routes::routes),
        Group::new("admin", admin::routes),
    ],
);

/// The payments group's binary: the one with Stripe's client.
pub const PAYMENTS: Binary<AppState> = Binary::new(
    "marketplace-payments",
    &[Group::new("payments", || {
        joined([payments::routes::routes(), payments::webhook::routes()])
    })],
);

/// The report's binary: the one with the PDF engine.
pub const RENDER: Binary<AppState> = Binary::new(
    "marketplace-render",
    &[Group::new("reports", reports::routes)],
);

/// Every route of the API.
pub static API: Api<AppState> = Api::new(&[LAMBDA, PAYMENTS, RENDER]);

/// What the global rate limit answers.
pub const GLOBAL_LIMIT_MESSAGE: &str = "Trop de requêtes, veuillez réessayer plus tard";

/// The marketplace's errors: `{"success": false, "message": "..."}`, in French.
pub const ERROR_STYLE: &dyn web::error::ErrorStyle = &web::error::styles::SuccessEnvelope;

/// Wraps route groups in what every response gets: the rate limits (global, and the
/// login's) and banned addresses, session checks beside reads, each request's analytics,
/// security headers, CORS and tracing.
pub fn app(state: AppState, served: Served<AppState>) -> Router {
    let config = &state.config.edge;
    let limits = RateLimits::new(config.global_limit(GLOBAL_LIMIT_MESSAGE))
        .logins(
            config,
            "Trop de tentatives de connexion, veuillez réessayer plus tard",
        )
        .with_bans();
    let edge =
        Edge::new(served.routes, &state.sessions, limits, ERROR_STYLE, config).with_analytics();
    web::layers::product_router(served.router, state, edge)
}
