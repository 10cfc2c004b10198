//! What every Lumira Lambda binary runs: build the state from the environment once, at init,
//! then serve one route group.

use crate::{AppState, LumiraConfig};
use axum::Router;
use blobs::s3::S3Blobs;
use std::sync::Arc;
use store::dynamodb::DynamoStore;

pub async fn serve(routes: Router<AppState>) -> Result<(), web::lambda::BoxError> {
    web::layers::init_tracing();
    let env = web::config::Env::lambda();
    let config = LumiraConfig::from_env(&env)?;
    let store = DynamoStore::from_lambda_env(env.required("TABLE_NAME")?)?;
    store.connect_early().await;
    let blobs =
        S3Blobs::from_lambda_env(env.required("BUCKET_NAME")?, &env.required("BLOB_PREFIX")?)?;
    let state = AppState::new(Arc::new(store), Arc::new(blobs), config);
    web::lambda::run(crate::app(state, routes)).await
}
