//! CV Builder's export function: the `export` route group, with résumés typeset by
//! `shared/pdf`. Its own binary, so that the other functions do not carry the PDF engine.

use std::sync::Arc;

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    cvbuilder::lambda::serve_export(Arc::new(cvbuilder::export::TypesetResumes)).await
}
