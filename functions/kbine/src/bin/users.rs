//! The Kbine `users` route group as one Lambda function.

#[tokio::main]
async fn main() -> Result<(), web::lambda::BoxError> {
    kbine::lambda::serve(kbine::users::router()).await
}
