//! What CV Builder's Lambda binaries run: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`).
//!
//! Three binaries, split by what their groups link: the export group alone holds the PDF
//! engine and its fonts (`cvbuilder-render`), the payments group alone Stripe's client
//! (`cvbuilder-payments`); the others (`cvbuilder-lambda`) keep no files and take no payments.

use crate::export::{DynPdfs, NoPdfs};
use crate::{AppState, CvConfig};
use blobs::s3::S3Blobs;
use blobs::{DynBlobs, LazyBlobs};
use std::sync::Arc;
use store::dynamodb::DynamoStore;
use web::config::Env;
use web::lambda::BoxError;
use web::routes::Binary;

/// `cvbuilder-lambda`: no files, no PDFs, no payments.
pub async fn serve() -> Result<(), BoxError> {
    run(
        &crate::LAMBDA,
        Arc::new(blobs::NoBlobs),
        Arc::new(NoPdfs),
        false,
    )
    .await
}

/// `cvbuilder-payments`: Stripe, no files.
pub async fn serve_payments() -> Result<(), BoxError> {
    run(
        &crate::PAYMENTS,
        Arc::new(blobs::NoBlobs),
        Arc::new(NoPdfs),
        true,
    )
    .await
}

/// `cvbuilder-render`: the export group, typesetting with `pdfs` into S3.
pub async fn serve_export(pdfs: DynPdfs) -> Result<(), BoxError> {
    let env = Env::lambda();
    let (bucket, prefix) = (env.required("BUCKET_NAME")?, env.required("BLOB_PREFIX")?);
    // Built by the first export, not at init: a cold start pays only for the store.
    let blobs = LazyBlobs::new(move || {
        let store = S3Blobs::from_lambda_env(bucket.clone(), &prefix)?;
        Ok(Arc::new(store) as DynBlobs)
    });
    run(&crate::RENDER, Arc::new(blobs), pdfs, false).await
}

/// Serves `groups`; `takes_payments`: with Stripe's client, as configured.
async fn run(
    binary: &Binary<AppState>,
    blobs: DynBlobs,
    pdfs: DynPdfs,
    takes_payments: bool,
) -> Result<(), BoxError> {
    web::layers::init_tracing();
    let served = web::lambda::served_group(binary)?;
    let env = Env::lambda();
    let config = CvConfig::from_env(&env)?;
    let store = DynamoStore::from_lambda_env(env.required("TABLE_NAME")?)?;
    store.connect_early().await;
    let gateway: payments::DynGateway = if takes_payments {
        config.stripe.gateway()?
    } else {
        Arc::new(payments::NotConfigured)
    };
    let state = AppState::new(Arc::new(store), blobs, config)
        .with_pdfs(pdfs)
        .with_gateway(gateway);
    web::lambda::run(crate::app(state, served)).await
}
