//! The marketplace's payments function: the `payments` route group, the only one with
//! Stripe's client (`marketplace::PAYMENTS`).

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    marketplace::lambda::serve_payments().await
}
