//! The Lumira `health` route group (`/api/health`, `/api/ready`) as one Lambda function.

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    lumira::lambda::serve(lumira::health::router()).await
}
