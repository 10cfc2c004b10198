//! Black-box tests of the Kbine API (`kbine.md`), over HTTP, each scenario on both stores.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: failing loudly is the point

mod auth;
mod authz;
mod catalogue;
mod faults;
mod idempotency;
mod lambda;
mod lifecycle;
mod limits;
mod live;
mod orders;
mod otp;
mod payments;
mod platform;
mod queue;
mod races;
mod users;
