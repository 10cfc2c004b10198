//! What Lumira's Lambda binary runs: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`).

use crate::reading::{DynReadings, NoReadings};
use crate::{AppState, LumiraConfig};
use blobs::s3::S3Blobs;
use messaging::ses::SesMail;
use std::sync::Arc;
use store::dynamodb::DynamoStore;
use web::lambda::RouteGroups;

/// Lumira's route groups, one function each in `template.yaml`.
pub const GROUPS: RouteGroups<AppState> = RouteGroups(&[
    ("health", crate::health::router),
    ("auth", crate::auth::router),
    ("expert", crate::expert_group),
    ("users", crate::users_group),
    ("orders", crate::orders_group),
    ("delivery", crate::delivery::router),
    ("products", crate::products_group),
    ("payments", crate::payments::router),
]);

/// The functions that render nothing: every group but delivery.
pub async fn serve() -> Result<(), web::lambda::BoxError> {
    serve_with(Arc::new(NoReadings)).await
}

/// The function of the route group given as its `Handler`, rendering with `readings`.
pub async fn serve_with(readings: DynReadings) -> Result<(), web::lambda::BoxError> {
    web::layers::init_tracing();
    let routes = GROUPS.from_lambda_env()?;
    let env = web::config::Env::lambda();
    let config = LumiraConfig::from_env(&env)?;
    let store = DynamoStore::from_lambda_env(env.required("TABLE_NAME")?)?;
    store.connect_early().await;
    let blobs =
        S3Blobs::from_lambda_env(env.required("BUCKET_NAME")?, &env.required("BLOB_PREFIX")?)?;
    let gateway = config.gateway()?;
    let mail = Arc::new(SesMail::from_lambda_env(config.mail_from.clone())?);
    let state = AppState::new(Arc::new(store), Arc::new(blobs), gateway, config)
        .with_mail(mail)
        .with_readings(readings);
    web::lambda::run(crate::app(state, routes)).await
}
