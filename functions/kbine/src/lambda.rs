//! What every Kbine Lambda binary runs: build the state from the environment once, at init,
//! then serve one route group.

use crate::{AppState, KbineConfig};
use axum::Router;
use std::sync::Arc;
use store::dynamodb::DynamoStore;

pub async fn serve(routes: Router<AppState>) -> Result<(), web::lambda::BoxError> {
    web::layers::init_tracing();
    let env = web::config::Env::lambda();
    let config = KbineConfig::from_env(&env)?;
    let table = env.required("TABLE_NAME")?;
    let store = DynamoStore::from_lambda_env(table)?;
    store.connect_early().await;
    let store = Arc::new(store);
    let state = AppState::new(store, config);
    web::lambda::run(crate::app(state, routes)).await
}
