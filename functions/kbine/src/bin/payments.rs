//! The Kbine `payments` route group as one Lambda function.

#[tokio::main]
async fn main() -> Result<(), web::lambda::BoxError> {
    kbine::lambda::serve(kbine::payments::router()).await
}
