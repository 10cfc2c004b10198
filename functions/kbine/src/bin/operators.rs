//! The Kbine `operators` route group as one Lambda function.

#[tokio::main]
async fn main() -> Result<(), web::lambda::BoxError> {
    kbine::lambda::serve(kbine::operators::router()).await
}
