//! PaieCashFan's WebSocket function: the one binary with the live endpoint's runner (API Gateway's
//! WebSocket events, and the asynchronous self-invocation after `$connect`).

// One event at a time: a single-threaded runtime starts faster and uses less memory.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), web::lambda::BoxError> {
    paiecashfan::lambda::serve_live().await
}
