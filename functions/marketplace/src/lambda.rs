//! What the marketplace's Lambda binary runs: build the state from the environment once, at
//! init, then serve the route group its function was deployed for (its `Handler`).

use crate::{AppState, MarketplaceConfig};
use web::lambda::BoxError;

pub async fn serve() -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::LAMBDA).await?;
    let config = MarketplaceConfig::from_env(&init.env)?;
    let state = AppState::new(init.store, config);
    web::lambda::run(crate::app(state, init.served)).await
}
