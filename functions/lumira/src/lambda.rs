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
use blobs::{DynBlobs, LazyBlobs};
use messaging::ses::SesMail;
use messaging::{DynMail, LazyMail, MessageError, NoMail};
use payments::{DynGateway, NotConfigured};
use std::sync::Arc;
use store::dynamodb::DynamoStore;
use web::config::Env;
use web::lambda::BoxError;
use web::routes::Binary;

/// What a function is given beside its table.
struct Adapters {
    gateway: DynGateway,
    blobs: DynBlobs,
    mail: DynMail,
    readings: DynReadings,
}

/// `lumira-lambda`: files and mail, no payments.
pub async fn serve() -> Result<(), BoxError> {
    let (env, config) = start()?;
    let adapters = files_and_mail(&env, &config, Arc::new(NoReadings))?;
    run(&crate::LAMBDA, &env, config, adapters).await
}

/// `lumira-payments`: Stripe, no files and no mail.
pub async fn serve_payments() -> Result<(), BoxError> {
    let (env, config) = start()?;
    let adapters = Adapters {
        gateway: config.stripe.gateway()?,
        blobs: Arc::new(blobs::NoBlobs),
        mail: Arc::new(NoMail),
        readings: Arc::new(NoReadings),
    };
    run(&crate::PAYMENTS, &env, config, adapters).await
}

/// `lumira-render`: the delivery group, rendering with `readings`.
pub async fn serve_delivery(readings: DynReadings) -> Result<(), BoxError> {
    let (env, config) = start()?;
    let adapters = files_and_mail(&env, &config, readings)?;
    run(&crate::RENDER, &env, config, adapters).await
}

fn start() -> Result<(Env, LumiraConfig), BoxError> {
    web::layers::init_tracing();
    let env = Env::lambda();
    let config = LumiraConfig::from_env(&env)?;
    Ok((env, config))
}

/// S3 and SES, no payments. Their clients are built by the first request that needs them:
/// a login or a listing served by the same binary never pays for them.
fn files_and_mail(
    env: &Env,
    config: &LumiraConfig,
    readings: DynReadings,
) -> Result<Adapters, BoxError> {
    let (bucket, prefix) = (env.required("BUCKET_NAME")?, env.required("BLOB_PREFIX")?);
    let blobs = LazyBlobs::new(move || {
        let store = S3Blobs::from_lambda_env(bucket.clone(), &prefix)?;
        Ok(Arc::new(store) as DynBlobs)
    });
    let from = config.mail_from.clone();
    let mail = LazyMail::new(move || {
        let sender = SesMail::from_lambda_env(from.clone()).map_err(MessageError::Unavailable)?;
        Ok(Arc::new(sender) as DynMail)
    });
    Ok(Adapters {
        gateway: Arc::new(NotConfigured),
        blobs: Arc::new(blobs),
        mail: Arc::new(mail),
        readings,
    })
}

async fn run(
    binary: &Binary<AppState>,
    env: &Env,
    config: LumiraConfig,
    adapters: Adapters,
) -> Result<(), BoxError> {
    let served = web::lambda::served_group(binary)?;
    let store = DynamoStore::from_lambda_env(env.required("TABLE_NAME")?)?;
    store.connect_early().await;
    let state = AppState::new(Arc::new(store), adapters.blobs, adapters.gateway, config)
        .with_mail(adapters.mail)
        .with_readings(adapters.readings);
    web::lambda::run(crate::app(state, served)).await
}
