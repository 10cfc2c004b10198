//! What Lumira's Lambda binaries run: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`).
//!
//! Three binaries, split by what their groups link: the payment groups alone hold Stripe's
//! client, the delivery group alone the PDF engine, and the others the file store and SES.
//! A binary names only its own groups and builds only its own adapters, so the linker leaves
//! the rest out (bench/results: each binary's size and cold start).

use crate::reading::{DynReadings, NoReadings};
use crate::{AppState, LumiraConfig};
use blobs::s3::S3Blobs;
use messaging::ses::SesMail;
use std::sync::Arc;
use web::lambda::{BoxError, Init};

/// `lumira-lambda`: files and mail, no payments.
pub async fn serve() -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::LAMBDA).await?;
    with_files_and_mail(init, Arc::new(NoReadings)).await
}

/// `lumira-payments`: Stripe, no files and no mail.
pub async fn serve_payments() -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::PAYMENTS).await?;
    let config = LumiraConfig::from_env(&init.env)?;
    let gateway = config.stripe.gateway()?;
    let state = AppState::new(init.store, Arc::new(blobs::NoBlobs), gateway, config);
    web::lambda::run(crate::app(state, init.served)).await
}

/// `lumira-render`: the delivery group, rendering with `readings`.
pub async fn serve_delivery(readings: DynReadings) -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::RENDER).await?;
    with_files_and_mail(init, readings).await
}

/// S3 and SES, no payments. Their clients are built by the first request that needs them:
/// a login or a listing served by the same binary never pays for them.
async fn with_files_and_mail(init: Init<AppState>, readings: DynReadings) -> Result<(), BoxError> {
    let config = LumiraConfig::from_env(&init.env)?;
    let mail = SesMail::lazy_from_lambda_env(config.mail_from.clone());
    let blobs = S3Blobs::lazy_from_lambda_env()?;
    let gateway = Arc::new(payments::NotConfigured);
    let state = AppState::new(init.store, blobs, gateway, config)
        .with_mail(mail)
        .with_readings(readings);
    web::lambda::run(crate::app(state, init.served)).await
}
