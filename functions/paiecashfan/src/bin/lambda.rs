//! PaieCashFan's Lambda binary: every function of its route groups runs it, each with its
//! group as its `Handler` (a group of `paiecashfan::LAMBDA`).

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    paiecashfan::lambda::serve().await
}
