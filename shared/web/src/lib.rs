//! What a product crate depends on. The shared HTTP code lives in narrow crates, each in its
//! own folder under `shared/`:
//!
//! - `web_core`: the vocabulary (errors and each product's error body, extractors, typed
//!   commands, validation, pagination, ids, money, store records and counters);
//! - `web_routes`: route declarations and what comes from them (router, Lambda groups,
//!   deployment, OpenAPI document);
//! - `web_auth`: tokens, sessions, access checks, accounts and passwords;
//! - `web_edge`: headers, tracing, CORS, rate limits, and serving under Lambda or locally;
//! - `web_webhooks`: signed webhooks processed once, and Stripe's settings;
//! - `live`: live events through API Gateway WebSocket APIs (Socket.IO, plain JSON).
//!
//! This crate names them as a product's code does (`web::auth`, `web::routes`, ...), and
//! holds the product as the local server and the harnesses see it ([`product`], only with
//! the `harness` feature).

pub use live;
#[cfg(feature = "passwords")]
pub use web_auth::password;
pub use web_auth::{access, one_time};
pub use web_core::choice;
#[cfg(feature = "uploads")]
pub use web_core::upload;
pub use web_core::{
    ApiError, ApiResult, analytics, config, counters, error, extract, gateway, idempotency, ids,
    item, money, pagination, retry, text, time, validate,
};
#[cfg(feature = "lambda")]
pub use web_edge::lambda;
#[cfg(feature = "local-server")]
pub use web_edge::local;
pub use web_edge::{cors, layers};
pub use web_routes::{not_empty_schema, response_refs, route};
#[cfg(feature = "stripe")]
pub use web_webhooks::stripe;
pub use {web_auth as auth, web_routes as routes, web_webhooks as webhook};

/// Counting requests (`web_core::rate_limit`) and the limits and layer of the edge
/// (`web_edge::rate_limits`), under the one name products use.
pub mod rate_limit {
    pub use web_core::rate_limit::*;
    pub use web_edge::rate_limits::*;
}

#[cfg(feature = "harness")]
pub mod product;

// What `generated_openapi!` expands to names this, so a product crate needs no dependency
// of its own.
#[doc(hidden)]
pub use serde_json as __serde_json;
