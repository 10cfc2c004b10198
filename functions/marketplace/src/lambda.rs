//! What the marketplace's Lambda binaries run: build the state from the environment once, at
//! init, then serve the route group its function was deployed for (its `Handler`). The
//! payments group has a binary of its own, the only one that links Stripe's client.

use crate::{AppState, MarketplaceConfig};
use std::sync::Arc;
use web::lambda::BoxError;

/// `marketplace-lambda`: files, no payments.
pub async fn serve() -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::LAMBDA).await?;
    let config = MarketplaceConfig::from_env(&init.env)?;
    // Its client is built by the first request that needs a file.
    let blobs = blobs::s3::S3Blobs::lazy_from_lambda_env()?;
    let gateway = Arc::new(payments::NotConfigured);
    // SES's client too, by the first request that sends an email.
    let mail = messaging::ses::SesMail::lazy_from_lambda_env(config.mail_from.clone());
    let state = AppState::new(init.store, blobs, gateway, config).with_mail(mail);
    web::lambda::run(crate::app(state, init.served)).await
}

/// `marketplace-render`: the report, with the PDF engine and files.
pub async fn serve_render() -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::RENDER).await?;
    let config = MarketplaceConfig::from_env(&init.env)?;
    let blobs = blobs::s3::S3Blobs::lazy_from_lambda_env()?;
    let gateway = Arc::new(payments::NotConfigured);
    let state = AppState::new(init.store, blobs, gateway, config)
        .with_reports(Arc::new(crate::reports::PdfReports));
    web::lambda::run(crate::app(state, init.served)).await
}

/// `marketplace-jobs`: the scheduled jobs, no routes.
pub async fn serve_jobs() -> Result<(), BoxError> {
    web::lambda::run_job(&[
        (crate::jobs::EXPIRE_FEATURING, |store, _env| {
            Box::pin(async move { Ok(crate::jobs::run(&store).await?) })
        }),
        (crate::jobs::FINISH_DELETIONS, |store, env| {
            Box::pin(async move {
                let config = MarketplaceConfig::from_env(&env)?;
                let blobs = blobs::s3::S3Blobs::lazy_from_lambda_env()?;
                let gateway = Arc::new(payments::NotConfigured);
                let state = AppState::new(store, blobs, gateway, config);
                Ok(crate::jobs::finish_deletions(&state).await?)
            })
        }),
    ])
    .await
}

/// `marketplace-payments`: Stripe, no files.
pub async fn serve_payments() -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::PAYMENTS).await?;
    let config = MarketplaceConfig::from_env(&init.env)?;
    let gateway = config.stripe.gateway()?;
    let state = AppState::new(init.store, Arc::new(blobs::NoBlobs), gateway, config);
    web::lambda::run(crate::app(state, init.served)).await
}
