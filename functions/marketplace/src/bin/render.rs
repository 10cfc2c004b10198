//! The marketplace's report function: the `reports` route group, the only one with the PDF
//! engine (`marketplace::RENDER`).

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    marketplace::lambda::serve_render().await
}
