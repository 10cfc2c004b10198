//! What Lumira's Lambda binaries run: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`).

use crate::reading::{DynReadings, NoReadings};
use crate::{AppState, LumiraConfig};
use blobs::s3::S3Blobs;
use messaging::ses::SesMail;
use payments::{DynGateway, NotConfigured};
use std::sync::Arc;
use store::dynamodb::DynamoStore;
use web::lambda::{BoxError, RouteGroups};

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

/// The delivery function's only group. Its binary is the one with the PDF engine; naming no other
/// group, and taking no payments, it links neither their routes nor Stripe.
pub const DELIVERY_GROUPS: RouteGroups<AppState> =
    RouteGroups(&[("delivery", crate::delivery::router)]);

/// The functions that render nothing: every group but delivery.
pub async fn serve() -> Result<(), BoxError> {
    web::layers::init_tracing();
    let config = LumiraConfig::from_env(&web::config::Env::lambda())?;
    let gateway = config.gateway()?;
    run(GROUPS, config, gateway, Arc::new(NoReadings)).await
}

/// The delivery function, rendering with `readings`.
pub async fn serve_delivery(readings: DynReadings) -> Result<(), BoxError> {
    web::layers::init_tracing();
    let config = LumiraConfig::from_env(&web::config::Env::lambda())?;
    run(DELIVERY_GROUPS, config, Arc::new(NotConfigured), readings).await
}

async fn run(
    groups: RouteGroups<AppState>,
    config: LumiraConfig,
    gateway: DynGateway,
    readings: DynReadings,
) -> Result<(), BoxError> {
    let routes = groups.from_lambda_env()?;
    let env = web::config::Env::lambda();
    let store = DynamoStore::from_lambda_env(env.required("TABLE_NAME")?)?;
    store.connect_early().await;
    let blobs =
        S3Blobs::from_lambda_env(env.required("BUCKET_NAME")?, &env.required("BLOB_PREFIX")?)?;
    let mail = Arc::new(SesMail::from_lambda_env(config.mail_from.clone())?);
    let state = AppState::new(Arc::new(store), Arc::new(blobs), gateway, config)
        .with_mail(mail)
        .with_readings(readings);
    web::lambda::run(crate::app(state, routes)).await
}
