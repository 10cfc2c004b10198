//! The Kbine `orders` route group as one Lambda function.

#[tokio::main]
async fn main() -> Result<(), web::lambda::BoxError> {
    kbine::lambda::serve(kbine::orders::router()).await
}
