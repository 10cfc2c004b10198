//! What every product's HTTP API shares. Handlers are plain axum handlers; this crate gives
//! them their error type, extractors, authentication, pagination and middleware, and runs a
//! product router either under Lambda ([`lambda::run`]) or on a local socket.

pub mod auth;
pub mod config;
pub mod error;
pub mod extract;
pub mod item;
pub mod lambda;
pub mod layers;
pub mod local;
pub mod money;
pub mod pagination;
pub mod product;
pub mod rate_limit;
pub mod routes;
pub mod time;

pub use error::{ApiError, ApiResult};

/// GET and HEAD: requests whose handlers change nothing, so the middleware may run them
/// beside a check (rate limit, session) and drop their answer if the check refuses.
pub(crate) fn is_read(method: &axum::http::Method) -> bool {
    method == axum::http::Method::GET || method == axum::http::Method::HEAD
}
