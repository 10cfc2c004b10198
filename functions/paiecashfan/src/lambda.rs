//! What PaieCashFan's Lambda binary runs: build the state from the environment once, at
//! init, then serve the route group its function was deployed for (its `Handler`).

use crate::{AppState, PaieCashFanConfig};
use std::sync::Arc;

/// `paiecashfan-lambda`: no payments; or, for the WebSocket function (`live`), the live
/// messages' endpoint.
pub async fn serve() -> Result<(), web::lambda::BoxError> {
    if web::lambda::is_live_function() {
        return serve_live().await;
    }
    let init = web::lambda::init(&crate::LAMBDA).await?;
    let config = PaieCashFanConfig::from_env(&init.env)?;
    let live = web::live::lambda::gateway(&init.env)?;
    let state =
        AppState::new(init.store, Arc::new(payments::NotConfigured), config).with_live(live);
    web::lambda::run(crate::app(state, init.served)).await
}

/// The endpoint of PaieCashFan's WebSocket API.
async fn serve_live() -> Result<(), web::lambda::BoxError> {
    let (env, store) = web::lambda::init_table().await?;
    let config = PaieCashFanConfig::from_env(&env)?;
    let live = web::live::lambda::live(config.sessions.sessions(store), &env)?;
    web::live::lambda::run(Arc::new(crate::social::live::endpoint(live))).await
}

/// `paiecashfan-payments`: the deposits, with Stripe.
pub async fn serve_payments() -> Result<(), web::lambda::BoxError> {
    let init = web::lambda::init(&crate::PAYMENTS).await?;
    let config = PaieCashFanConfig::from_env(&init.env)?;
    let gateway = config.stripe.gateway()?;
    let state = AppState::new(init.store, gateway, config);
    web::lambda::run(crate::app(state, init.served)).await
}
