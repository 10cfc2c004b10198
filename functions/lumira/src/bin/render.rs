//! Lumira's delivery function: the `delivery` route group, with the readings typeset by
//! `shared/pdf`. Its own binary, so that the other functions do not carry the PDF engine.

use std::sync::Arc;

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    lumira::lambda::serve_delivery(Arc::new(lumira::reading::TypesetReadings)).await
}
