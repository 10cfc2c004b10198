//! What the marketplace's Lambda binary runs: build the state from the environment once, at
//! init, then serve the route group its function was deployed for (its `Handler`).

use crate::{AppState, MarketplaceConfig};
use web::lambda::BoxError;

pub async fn serve() -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::LAMBDA).await?;
    let config = MarketplaceConfig::from_env(&init.env)?;
    // Its client is built by the first request that needs a file.
    let blobs = blobs::s3::S3Blobs::lazy_from_lambda_env()?;
    let state = AppState::new(init.store, blobs, config);
    web::lambda::run(crate::app(state, init.served)).await
}
