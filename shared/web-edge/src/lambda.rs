//! The Lambda entry point. A product ships one binary for its route groups: each function of
//! the template runs it with its group as its `Handler`, which Lambda hands the process as
//! `_HANDLER`. One link per product instead of one per function keeps `sam build` of every
//! product within minutes (README, Deploy); the group picked builds only its own router.

use axum::Router;
use std::sync::Arc;
use store::DynStore;
use store::dynamodb::DynamoStore;
use web_core::config::Env;
use web_routes::{Binary, Served};

/// Serves `router` to API Gateway (HttpApi, payload v2) until the runtime stops.
pub async fn run(router: Router) -> Result<(), lambda_http::Error> {
    lambda_http::run(router).await
}

/// What a Lambda `main` returns on failure.
pub type BoxError = lambda_http::Error;

/// What every function sets up at init before its product's own adapters: tracing, the
/// route group its `Handler` names, its environment, and its table (`TABLE_NAME`), whose
/// connection is opened now so that the first request does not pay for the TLS handshake.
pub struct Init<S: 'static> {
    pub served: Served<S>,
    pub env: Env,
    pub store: DynStore,
}

/// The [`Init`] of a function of `binary`.
pub async fn init<S: Clone + Send + Sync + 'static>(
    binary: &Binary<S>,
) -> Result<Init<S>, BoxError> {
    let served = served_group(binary)?;
    let (env, store) = init_table().await?;
    Ok(Init { served, env, store })
}

/// What a function that serves no route group sets up at init: tracing, its environment,
/// and its table (`TABLE_NAME`), connected early.
pub async fn init_table() -> Result<(Env, DynStore), BoxError> {
    crate::layers::init_tracing();
    let env = Env::lambda();
    let store = DynamoStore::from_lambda_env(env.required("TABLE_NAME")?)?;
    store.connect_early().await;
    Ok((env, Arc::new(store)))
}

/// What this function was deployed to serve: the route group of `binary` its `Handler`
/// names.
fn served_group<S: Clone + Send + Sync + 'static>(
    binary: &web_routes::Binary<S>,
) -> Result<web_routes::Served<S>, BoxError> {
    let handler = std::env::var("_HANDLER").map_err(|_| "_HANDLER is not set")?;
    Ok(binary.group(&handler)?)
}

/// What a scheduled job does, given its table and environment: a summary to log, or why it
/// failed (the invocation then fails, and EventBridge Scheduler retries it).
pub type JobRun =
    fn(DynStore, Env) -> std::pin::Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send>>;

/// Runs the job its `Handler` names among `jobs`, once per invocation of the schedule, until
/// the runtime stops. A job must be safe to run twice: a retried invocation runs it again.
pub async fn run_job(jobs: &[(&'static str, JobRun)]) -> Result<(), BoxError> {
    crate::layers::init_tracing();
    let handler = std::env::var("_HANDLER").map_err(|_| "_HANDLER is not set")?;
    let job = jobs
        .iter()
        .find(|(name, _)| *name == handler)
        .map(|(_, job)| *job)
        .ok_or_else(|| format!("no job named {handler}"))?;
    let env = Env::lambda();
    let store: DynStore = Arc::new(DynamoStore::from_lambda_env(env.required("TABLE_NAME")?)?);
    let service =
        lambda_http::service_fn(move |_event: lambda_http::LambdaEvent<serde_json::Value>| {
            let (store, env, handler) = (store.clone(), env.clone(), handler.clone());
            async move {
                let summary = job(store, env).await?;
                tracing::info!(job = %handler, %summary, "job done");
                Ok::<_, BoxError>(serde_json::json!({ "done": summary }))
            }
        });
    lambda_http::lambda_runtime::run(service).await
}
