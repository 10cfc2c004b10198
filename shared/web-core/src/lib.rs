//! The vocabulary every product's HTTP API speaks: its error type and each product's error
//! body ([`error`]), the extractors and typed commands handlers take ([`extract`]),
//! validation in the product's words ([`validate`]), pagination, ids, money, store records
//! and counters, rate-limit counting, and configuration from the environment. The crates
//! above it (`web_routes`, `web_auth`, `web_edge`, `web_webhooks`) build on these.

pub mod analytics;
pub mod config;
pub mod counters;
pub mod error;
pub mod extract;
pub mod gateway;
pub mod idempotency;
pub mod ids;
pub mod item;
pub mod money;
pub mod pagination;
pub mod rate_limit;
pub mod retry;
pub mod text;
pub mod time;
#[cfg(feature = "uploads")]
pub mod upload;
pub mod validate;

pub use error::{ApiError, ApiResult};
