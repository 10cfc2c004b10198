//! What PaieCashFan's Lambda binary runs: build the state from the environment once, at
//! init, then serve the route group its function was deployed for (its `Handler`).

use crate::{AppState, PaieCashFanConfig};
use std::sync::Arc;

/// `paiecashfan-lambda`: no payments.
pub async fn serve() -> Result<(), web::lambda::BoxError> {
    let init = web::lambda::init(&crate::LAMBDA).await?;
    let config = PaieCashFanConfig::from_env(&init.env)?;
    let live = web::live::lambda::gateway(&init.env)?;
    let state =
        AppState::new(init.store, Arc::new(payments::NotConfigured), config).with_live(live);
    web::lambda::run(crate::app(state, init.served)).await
}

/// `paiecashfan-live`: the endpoint of PaieCashFan's WebSocket API.
pub async fn serve_live() -> Result<(), web::lambda::BoxError> {
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
