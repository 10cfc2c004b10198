//! Lumira's main Lambda binary: the functions of the back office, the expert desk and the
//! sanctuaire run it, each with its group as its `Handler` (`lumira::LAMBDA`).

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    lumira::lambda::serve().await
}
