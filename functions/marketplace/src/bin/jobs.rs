//! The marketplace's scheduled jobs: each function runs the job its `Handler` names
//! (`marketplace::jobs`), once per invocation of its schedule.

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    marketplace::lambda::serve_jobs().await
}
