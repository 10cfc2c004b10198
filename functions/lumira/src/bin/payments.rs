//! Lumira's payment functions: the `products` and `payments` route groups, the only ones
//! with Stripe's client (`lumira::PAYMENTS`).

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    lumira::lambda::serve_payments().await
}
