//! PaieCashFan's API (`paiecashfan.md`): a football fan's wallet, and what it pays for. Each
//! module declares its routes beside their handlers (its `routes()`), gathered here into
//! route groups and the Lambda binary. A Lambda serves one group; the local server serves
//! them all ([`API`]).

pub mod accounts;
pub mod amount;
pub mod auth;
pub mod clubs;
pub mod config;
pub mod deploy;
pub mod deposits;
pub mod esim;
pub mod insights;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod ledger;
pub mod openapi;
#[cfg(feature = "harness")]
pub mod product;
pub mod qr;
pub mod role;
#[cfg(feature = "harness")]
pub mod seed;
pub mod shop;
pub mod social;
pub mod state;
pub mod system;
pub mod tickets;
pub mod wallet;

pub use config::PaieCashFanConfig;
#[cfg(feature = "harness")]
pub use product::PaieCashFan;
pub use state::AppState;

use axum::Router;
use web::layers::Edge;
use web::rate_limit::RateLimits;
use web::routes::{Api, Binary, Group, Served};

/// PaieCashFan's binary: each route group is one of its functions.
pub const LAMBDA: Binary<AppState> = Binary::new(
    "paiecashfan-lambda",
    &[
        Group::new("auth", auth::routes),
        Group::new("wallet", wallet::routes),
        Group::new("esim", esim::routes),
        Group::new("shop", shop::routes),
        Group::new("tickets", tickets::routes),
        Group::new("social", social::routes),
        Group::new("ai", insights::routes),
        Group::new("system", system::routes),
    ],
);

/// The deposits' binary: the one with Stripe's client.
pub const PAYMENTS: Binary<AppState> = Binary::new(
    "paiecashfan-payments",
    &[Group::new("deposits", deposits::routes)],
);

/// Every route of the API.
pub static API: Api<AppState> = Api::new(&[LAMBDA, PAYMENTS]);

/// What the global rate limit answers.
pub const GLOBAL_LIMIT_MESSAGE: &str = "Trop de requêtes, réessayez plus tard";

/// PaieCashFan's errors: `{"error": {"code": "...", "message": "..."}}`, in French.
pub const ERROR_STYLE: &dyn web::error::ErrorStyle = &web::error::styles::CodedError;

/// Wraps route groups in what every response gets: the rate limits (global, and the
/// login's), session checks beside reads, security headers, CORS and tracing.
pub fn app(state: AppState, served: Served<AppState>) -> Router {
    let config = &state.config.edge;
    let limits = RateLimits::new(config.global_limit(GLOBAL_LIMIT_MESSAGE)).logins(
        config,
        "Trop de tentatives de connexion, réessayez plus tard",
    );
    let edge = Edge::new(served.routes, &state.sessions, limits, ERROR_STYLE, config);
    web::layers::product_router(served.router, state, edge)
}
