//! What Kbine's Lambda binary runs: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`).

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
    let state = AppState::new(init.store, config).with_sms(sms);
    web::lambda::run(crate::app(state, init.served)).await
}
