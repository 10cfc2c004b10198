//! The Kbine `orders` route group as one Lambda function.

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    kbine::lambda::serve(kbine::orders::router()).await
}
