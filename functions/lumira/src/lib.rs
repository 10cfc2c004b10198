//! Oracle Lumira's API, as documented in `lumira.md`: each module declares its routes beside
//! their handlers (its `routes()`), gathered here into route groups and Lambda binaries. A
//! Lambda serves one group; the local server serves them all ([`API`]).

pub mod accounts;
pub mod auth;
pub mod catalogue;
pub mod checkout;
pub mod config;
pub mod consultation;
pub mod customers;
pub mod delivery;
pub mod deploy;
pub mod expert;
pub mod health;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod listing;
pub mod notify;
pub mod openapi;
pub mod order_admin;
pub mod orders;
pub mod payments;
#[cfg(feature = "harness")]
pub mod product;
pub mod reading;
pub mod role;
pub mod sanctuaire;
#[cfg(feature = "harness")]
pub mod seed;
pub mod state;
pub mod submission;
pub mod users;
pub mod webhooks;

pub use config::LumiraConfig;
#[cfg(feature = "harness")]
pub use product::Lumira;
pub use state::AppState;

use axum::Router;
use web::layers::Edge;
use web::rate_limit::RateLimits;
use web::routes::{Api, Binary, Group, Served, joined};

/// The groups of `lumira-lambda`: the back office, the experts, the clients' sanctuaire.
pub const LAMBDA: Binary<AppState> = Binary::new(
    "lumira-lambda",
    &[
        Group::new("health", health::routes),
        Group::new("auth", auth::routes),
        Group::new("expert", || {
            joined([auth::expert_routes(), expert::routes()])
        }),
        // The clients for admins, and the client's own sanctuaire.
        Group::new("users", || joined([users::routes(), sanctuaire::routes()])),
        // The back office's orders, and the client's submission.
        Group::new("orders", || {
            joined([order_admin::routes(), submission::routes()])
        }),
    ],
);

/// The groups of `lumira-payments`, the binary with Stripe's client: the catalogue's
/// checkout, the consultations, and the webhooks. They keep no files and send no mail.
pub const PAYMENTS: Binary<AppState> = Binary::new(
    "lumira-payments",
    &[
        Group::new("products", || {
            joined([
                catalogue::routes(),
                checkout::routes(),
                webhooks::products_routes(),
            ])
        }),
        Group::new("payments", || {
            joined([
                payments::routes(),
                consultation::routes(),
                webhooks::payments_routes(),
            ])
        }),
    ],
);

/// The group of `lumira-render`, the binary with the PDF engine. It takes no payments.
pub const RENDER: Binary<AppState> =
    Binary::new("lumira-render", &[Group::new("delivery", delivery::routes)]);

/// Every route of the API.
pub static API: Api<AppState> = Api::new(&[LAMBDA, PAYMENTS, RENDER]);

/// What the global rate limit answers.
pub const GLOBAL_LIMIT_MESSAGE: &str = "Too many requests, please try again later";

/// Lumira's errors, an Express API's: `{"error": "..."}`.
pub const ERROR_STYLE: &dyn web::error::ErrorStyle = &web::error::styles::ExpressError;

/// Wraps route groups in what every Lumira response gets.
pub fn app(state: AppState, served: Served<AppState>) -> Router {
    let config = &state.config.edge;
    let limits = RateLimits::new(config.global_limit(GLOBAL_LIMIT_MESSAGE))
        .logins(config, "Too many login attempts, please try again later")
        .class(
            sanctuaire::SIGN_IN_LIMIT,
            state.config.sanctuaire.ip_limit(),
        );
    let edge = Edge::new(served.routes, &state.sessions, limits, ERROR_STYLE, config);
    web::layers::product_router(served.router, state, edge)
}
