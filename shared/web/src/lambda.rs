//! The Lambda entry point: a route group's binary builds its router and hands it here.

use axum::Router;

/// Serves `router` to API Gateway (HttpApi, payload v2) until the runtime stops.
pub async fn run(router: Router) -> Result<(), lambda_http::Error> {
    lambda_http::run(router).await
}

/// What a Lambda `main` returns on failure.
pub type BoxError = lambda_http::Error;
