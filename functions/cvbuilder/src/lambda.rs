//! What CV Builder's Lambda binary runs: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`).

use crate::{AppState, CvConfig};
use std::sync::Arc;
use store::dynamodb::DynamoStore;
use web::lambda::RouteGroups;
use web::product::LambdaBinary;

/// CV Builder's route groups, one function each in `template.yaml`.
pub const GROUPS: RouteGroups<AppState> = RouteGroups(&[
    ("auth", crate::auth::router),
    ("templates", crate::templates::router),
    ("resumes", crate::resumes::router),
]);

/// The binaries, for the registry.
pub fn binaries() -> Vec<LambdaBinary> {
    vec![LambdaBinary {
        name: "cvbuilder-lambda",
        groups: GROUPS.names(),
    }]
}

pub async fn serve() -> Result<(), web::lambda::BoxError> {
    web::layers::init_tracing();
    let routes = GROUPS.from_lambda_env()?;
    let env = web::config::Env::lambda();
    let config = CvConfig::from_env(&env)?;
    let store = DynamoStore::from_lambda_env(env.required("TABLE_NAME")?)?;
    store.connect_early().await;
    let state = AppState::new(Arc::new(store), config);
    web::lambda::run(crate::app(state, routes)).await
}
