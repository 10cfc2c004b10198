//! `/api/payments/` (`cvbuilder.md` 4): Stripe Checkout sessions ([`checkout`]) and the
//! webhook that settles what they sold ([`webhook`]).

pub mod checkout;
pub mod webhook;

pub use checkout::Purchase;
