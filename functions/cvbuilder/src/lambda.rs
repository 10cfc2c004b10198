//! What CV Builder's Lambda binaries run: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`).
//!
//! Three binaries, split by what their groups link: the export group alone holds the PDF
//! engine and its fonts (`cvbuilder-render`), the payments group alone Stripe's client
//! (`cvbuilder-payments`); the others (`cvbuilder-lambda`) keep no files and take no payments.

use crate::export::{DynPdfs, NoPdfs};
use crate::{AppState, CvConfig};
use blobs::DynBlobs;
use blobs::s3::S3Blobs;
use std::sync::Arc;
use web::lambda::{BoxError, Init};

/// `cvbuilder-lambda`: no files, no PDFs, no payments.
pub async fn serve() -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::LAMBDA).await?;
    run(init, Arc::new(blobs::NoBlobs), Arc::new(NoPdfs), false).await
}

/// `cvbuilder-payments`: Stripe, no files.
pub async fn serve_payments() -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::PAYMENTS).await?;
    run(init, Arc::new(blobs::NoBlobs), Arc::new(NoPdfs), true).await
}

/// `cvbuilder-render`: the export group, typesetting with `pdfs` into S3 (its client built
/// by the first export, not at init).
pub async fn serve_export(pdfs: DynPdfs) -> Result<(), BoxError> {
    let init = web::lambda::init(&crate::RENDER).await?;
    run(init, S3Blobs::lazy_from_lambda_env()?, pdfs, false).await
}

/// Serves the function's group; `takes_payments`: with Stripe's client, as configured.
async fn run(
    init: Init<AppState>,
    blobs: DynBlobs,
    pdfs: DynPdfs,
    takes_payments: bool,
) -> Result<(), BoxError> {
    let config = CvConfig::from_env(&init.env)?;
    let gateway: payments::DynGateway = if takes_payments {
        config.stripe.gateway()?
    } else {
        Arc::new(payments::NotConfigured)
    };
    let state = AppState::new(init.store, blobs, config)
        .with_pdfs(pdfs)
        .with_gateway(gateway);
    web::lambda::run(crate::app(state, init.served)).await
}
