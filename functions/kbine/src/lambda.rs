//! What Kbine's Lambda binary runs: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`).

use crate::otp::LoginMode;
use crate::{AppState, KbineConfig};
use messaging::sns::SnsSms;
use std::sync::Arc;
use store::dynamodb::DynamoStore;

/// Serves the route group of [`crate::LAMBDA`] this function was deployed for.
pub async fn serve() -> Result<(), web::lambda::BoxError> {
    web::layers::init_tracing();
    let served = web::lambda::served_group(&crate::LAMBDA)?;
    let env = web::config::Env::lambda();
    let config = KbineConfig::from_env(&env)?;
    let table = env.required("TABLE_NAME")?;
    let store = DynamoStore::from_lambda_env(table)?;
    store.connect_early().await;
    let store = Arc::new(store);
    // The SNS client is built only where codes are sent: the phone mode's init is unchanged.
    let sms: messaging::DynSms = match config.login_mode {
        LoginMode::Otp => Arc::new(SnsSms::from_lambda_env(env.var("SMS_SENDER_ID"))?),
        LoginMode::Phone => Arc::new(messaging::NoSms),
    };
    let state = AppState::new(store, config).with_sms(sms);
    web::lambda::run(crate::app(state, served)).await
}
