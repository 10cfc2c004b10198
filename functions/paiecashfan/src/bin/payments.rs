//! PaieCashFan's deposits function: the one binary with Stripe's client.

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    paiecashfan::lambda::serve_payments().await
}
