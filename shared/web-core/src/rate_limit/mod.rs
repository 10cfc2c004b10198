//! Counting requests in the product's table, so that every Lambda instance sees the same
//! count (each limit's sliding window: [`window`]), and what the rate-limit layer
//! (`web_edge::rate_limits`) hands a handler: the per-account sign-in limit and the gate a
//! write waits at.

pub mod bans;
mod window;

pub use window::{RateLimit, check, count, hit, hit_at};

use crate::ApiError;
use store::DynStore;

/// An extractor of what the rate-limit layer leaves in a request's extensions, its default
/// (let through) where the layer left nothing.
macro_rules! from_extensions {
    ($ty:ty) => {
        impl<S: Send + Sync> axum::extract::FromRequestParts<S> for $ty {
            type Rejection = std::convert::Infallible;

            async fn from_request_parts(
                parts: &mut axum::http::request::Parts,
                _: &S,
            ) -> Result<Self, Self::Rejection> {
                Ok(parts.extensions.get::<$ty>().cloned().unwrap_or_default())
            }
        }
    };
}

/// The rate-limit class of sign-in routes (`Endpoint::signs_in`): every product limits its
/// logins per address with it.
pub const LOGIN: &str = "login";

/// Failed sign-ins per account, over every address, on the routes of the [`LOGIN`] class
/// (elsewhere, and without the limit, it lets everything through). An attacker spreading
/// guesses over many addresses meets it; the price is that they can also hold a victim's
/// sign-in back for a window (the README says so).
#[derive(Clone, Default)]
pub struct LoginThrottle(Option<(DynStore, RateLimit)>);

impl LoginThrottle {
    /// The throttle of a sign-in route, counting in `store` under `limit`.
    pub fn new(store: DynStore, limit: RateLimit) -> Self {
        LoginThrottle(Some((store, limit)))
    }

    /// 429 when `account` (its normalised login) has failed too often lately.
    pub async fn admit(&self, account: &str) -> Result<(), ApiError> {
        match &self.0 {
            Some((store, limit)) => check(store, limit, account).await,
            None => Ok(()),
        }
    }

    /// Counts one failed sign-in of `account`.
    pub async fn failed(&self, account: &str) -> Result<(), ApiError> {
        match &self.0 {
            Some((store, limit)) => count(store, limit, account).await,
            None => Ok(()),
        }
    }
}

from_extensions!(LoginThrottle);

/// Where a handler of a route with early reads waits, before its first write, for its
/// request's rate-limit counts. Elsewhere it is open.
#[derive(Clone, Debug, Default)]
pub struct WriteGate(Option<tokio::sync::watch::Receiver<bool>>);

impl WriteGate {
    /// A gate that opens when `gate` turns true.
    pub fn new(gate: tokio::sync::watch::Receiver<bool>) -> Self {
        WriteGate(Some(gate))
    }

    /// Returns once the counts have let the request through; a refused request never gets
    /// past this (its handler is dropped).
    pub async fn open(&mut self) -> Result<(), ApiError> {
        match &mut self.0 {
            None => Ok(()),
            Some(gate) => gate
                .wait_for(|open| *open)
                .await
                .map(drop)
                .map_err(|_| ApiError::internal("rate-limit gate closed")),
        }
    }
}

from_extensions!(WriteGate);
