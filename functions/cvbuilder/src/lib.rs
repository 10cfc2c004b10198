//! CV Builder's API, as documented in `cvbuilder.md` (a Django REST Framework API): each
//! module declares its routes beside their handlers (its `routes()`), gathered here into
//! route groups and Lambda binaries. A Lambda serves one group; the local server serves them
//! all ([`API`]).

pub mod auth;
pub mod billing;
pub mod config;
pub mod deploy;
pub mod export;
pub mod forms;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod openapi;
#[cfg(feature = "harness")]
pub mod product;
pub mod resumes;
pub mod role;
#[cfg(feature = "harness")]
pub mod seed;
pub mod state;
pub mod templates;
pub mod users;

pub use config::CvConfig;
#[cfg(feature = "harness")]
pub use product::CvBuilder;
pub use state::AppState;

use axum::Router;
use web::layers::Edge;
use web::rate_limit::RateLimits;
use web::routes::{Api, Binary, Group, Served, joined};

/// The groups of `cvbuilder-lambda`: no files, no PDFs, no payments.
pub const LAMBDA: Binary<AppState> = Binary::new(
    "cvbuilder-lambda",
    &[
        Group::new("auth", auth::routes),
        Group::new("templates", templates::routes),
        Group::new("resumes", || {
            joined([resumes::routes::routes(), resumes::linkedin::routes()])
        }),
    ],
);

/// The group of `cvbuilder-payments`, the binary with Stripe's client.
pub const PAYMENTS: Binary<AppState> = Binary::new(
    "cvbuilder-payments",
    &[Group::new("payments", || {
        joined([billing::checkout::routes(), billing::webhook::routes()])
    })],
);

/// The group of `cvbuilder-render`, the binary with the PDF engine and its fonts.
pub const RENDER: Binary<AppState> =
    Binary::new("cvbuilder-render", &[Group::new("export", export::routes)]);

/// Every route of the API.
pub static API: Api<AppState> = Api::new(&[LAMBDA, PAYMENTS, RENDER]);

/// CV Builder's errors, Django REST Framework's: `{"field": ["..."]}` and `{"detail": "..."}`.
pub const ERROR_STYLE: &dyn web::error::ErrorStyle = &web::error::styles::DjangoRest;

/// Wraps route groups in what every CV Builder response gets.
pub fn app(state: AppState, served: Served<AppState>) -> Router {
    let config = &state.config.edge;
    let limits = RateLimits::new(config.global_limit("Request was throttled."))
        .logins(config, "Request was throttled.");
    let edge = Edge::new(served.routes, &state.sessions, limits, ERROR_STYLE, config);
    web::layers::product_router(served.router, state, edge)
}
