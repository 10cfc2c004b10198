//! What every product's HTTP API shares. Handlers are plain axum handlers; this crate gives
//! them their error type, extractors, authentication, pagination and middleware, and runs a
//! product router either under Lambda ([`lambda::run`]) or on a local socket.

pub mod access;
pub mod auth;
pub mod config;
pub mod cors;
pub mod counters;
pub mod error;
pub mod extract;
pub mod gateway;
pub mod idempotency;
pub mod ids;
pub mod item;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod layers;
#[cfg(feature = "local-server")]
pub mod local;
pub mod money;
pub mod one_time;
pub mod pagination;
#[cfg(feature = "passwords")]
pub mod password;
#[cfg(feature = "harness")]
pub mod product;
pub mod rate_limit;
pub mod retry;
pub mod routes;
#[cfg(feature = "stripe")]
pub mod stripe;
pub mod text;
pub mod time;
#[cfg(feature = "uploads")]
pub mod upload;
pub mod validate;
pub mod webhook;

pub use error::{ApiError, ApiResult};

// What `route!` expands to names these, so a product crate needs no dependency of its own.
#[doc(hidden)]
pub use {
    axum as __axum, pastey::paste as __paste, serde_json as __serde_json, utoipa as __utoipa,
};

/// GET and HEAD: requests whose handlers change nothing, so the middleware may run them
/// beside a check (rate limit, session) and drop their answer if the check refuses.
pub(crate) fn is_read(method: &axum::http::Method) -> bool {
    method == axum::http::Method::GET || method == axum::http::Method::HEAD
}

/// Whether a request may run beside its checks: a read, unless its route declares side
/// effects (`Route::with_side_effects`), which must not happen for a caller the checks
/// refuse.
pub(crate) fn runs_beside_checks(
    routes: &[routes::Route],
    method: &axum::http::Method,
    path: &str,
) -> bool {
    is_read(method)
        && !routes::lookup(routes, method.as_str(), path).is_some_and(|r| r.side_effects)
}
