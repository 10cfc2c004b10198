//! `/api/payments/` (`cvbuilder.md` 4): Stripe Checkout sessions ([`checkout`]) and the
//! webhook that settles what they sold ([`webhook`]).

pub mod checkout;
pub mod webhook;

pub use checkout::Purchase;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    checkout::router().merge(webhook::router())
}
