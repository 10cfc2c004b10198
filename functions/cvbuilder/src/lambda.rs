//! What CV Builder's Lambda binaries run: build the state from the environment once, at init,
//! then serve the route group its function was deployed for (its `Handler`).
//!
//! Two binaries, split by what their groups link: the export group alone holds the PDF
//! engine and its fonts (`cvbuilder-render`); the others (`cvbuilder-lambda`) keep no files.

use crate::export::{DynPdfs, NoPdfs};
use crate::{AppState, CvConfig};
use blobs::s3::S3Blobs;
use blobs::{DynBlobs, LazyBlobs};
use std::sync::Arc;
use store::dynamodb::DynamoStore;
use web::config::Env;
use web::lambda::{BoxError, RouteGroups};
use web::product::LambdaBinary;

/// The groups of `cvbuilder-lambda`, one function each in `template.yaml`.
pub const GROUPS: RouteGroups<AppState> = RouteGroups(&[
    ("auth", crate::auth::router),
    ("templates", crate::templates::router),
    ("resumes", crate::resumes::router),
]);

/// The group of `cvbuilder-render`, the binary with the PDF engine.
pub const EXPORT_GROUPS: RouteGroups<AppState> = RouteGroups(&[("export", crate::export::router)]);

/// The binaries, for the registry (`template.yaml` runs each group with its binary).
pub fn binaries() -> Vec<LambdaBinary> {
    [
        ("cvbuilder-lambda", &GROUPS),
        ("cvbuilder-render", &EXPORT_GROUPS),
    ]
    .into_iter()
    .map(|(name, groups)| LambdaBinary {
        name,
        groups: groups.names(),
    })
    .collect()
}

/// `cvbuilder-lambda`: no files, no PDFs.
pub async fn serve() -> Result<(), BoxError> {
    run(GROUPS, Arc::new(blobs::NoBlobs), Arc::new(NoPdfs)).await
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
    run(EXPORT_GROUPS, Arc::new(blobs), pdfs).await
}

async fn run(
    groups: RouteGroups<AppState>,
    blobs: DynBlobs,
    pdfs: DynPdfs,
) -> Result<(), BoxError> {
    web::layers::init_tracing();
    let routes = groups.from_lambda_env()?;
    let env = Env::lambda();
    let config = CvConfig::from_env(&env)?;
    let store = DynamoStore::from_lambda_env(env.required("TABLE_NAME")?)?;
    store.connect_early().await;
    let state = AppState::new(Arc::new(store), blobs, config).with_pdfs(pdfs);
    web::lambda::run(crate::app(state, routes)).await
}
