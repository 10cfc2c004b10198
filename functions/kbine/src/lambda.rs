//! What Kbine's Lambda binaries run: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`); the WebSocket
//! function's binary (`kbine-live`) serves the Socket.IO endpoint.

use crate::otp::LoginMode;
use crate::{AppState, KbineConfig};
use messaging::sns::SnsSms;
use std::sync::Arc;

/// Serves the route group of [`crate::LAMBDA`] this function was deployed for.
pub async fn serve() -> Result<(), web::lambda::BoxError> {
    let init = web::lambda::init(&crate::LAMBDA).await?;
    let config = KbineConfig::from_env(&init.env)?;
    // The SNS client is built only where codes are sent: the phone mode's init is unchanged.
    let sms: messaging::DynSms = match config.login_mode {
        LoginMode::Otp => Arc::new(SnsSms::from_lambda_env(init.env.var("SMS_SENDER_ID"))?),
        LoginMode::Phone => Arc::new(messaging::NoSms),
    };
    let live = web::live::lambda::gateway(&init.env)?;
    let state = AppState::new(init.store, config)
        .with_sms(sms)
        .with_live(live);
    web::lambda::run(crate::app(state, init.served)).await
}

/// The Socket.IO endpoint of Kbine's WebSocket API (`kbine-live`).
pub async fn serve_live() -> Result<(), web::lambda::BoxError> {
    let (env, store) = web::lambda::init_table().await?;
    let config = KbineConfig::from_env(&env)?;
    let live = web::live::lambda::live(config.sessions.sessions(store), &env)?;
    web::live::lambda::run(Arc::new(crate::events::endpoint(live))).await
}
