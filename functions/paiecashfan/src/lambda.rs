//! What PaieCashFan's Lambda binary runs: build the state from the environment once, at
//! init, then serve the route group its function was deployed for (its `Handler`).

use crate::{AppState, PaieCashFanConfig};

/// Serves the route group of [`crate::LAMBDA`] this function was deployed for.
pub async fn serve() -> Result<(), web::lambda::BoxError> {
    let init = web::lambda::init(&crate::LAMBDA).await?;
    let config = PaieCashFanConfig::from_env(&init.env)?;
    let state = AppState::new(init.store, config);
    web::lambda::run(crate::app(state, init.served)).await
}
