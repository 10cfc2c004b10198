//! The Lambda entry point. A product ships one binary for its route groups: each function of
//! the template runs it with its group as its `Handler`, which Lambda hands the process as
//! `_HANDLER`. One link per product instead of one per function keeps `sam build` of every
//! product within minutes (README, Deploy); the group picked builds only its own router.

use axum::Router;

/// Serves `router` to API Gateway (HttpApi, payload v2) until the runtime stops.
pub async fn run(router: Router) -> Result<(), lambda_http::Error> {
    lambda_http::run(router).await
}

/// What a Lambda `main` returns on failure.
pub type BoxError = lambda_http::Error;

/// What this function was deployed to serve: the route group of `binary` its `Handler`
/// names.
pub fn served_group<S: Clone + Send + Sync + 'static>(
    binary: &web_routes::Binary<S>,
) -> Result<web_routes::Served<S>, BoxError> {
    let handler = std::env::var("_HANDLER").map_err(|_| "_HANDLER is not set")?;
    Ok(binary.group(&handler)?)
}
