//! CV Builder's payments function: the `payments` route group, with Stripe's client. Its own
//! binary, so that the other functions do not carry it.

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    cvbuilder::lambda::serve_payments().await
}
