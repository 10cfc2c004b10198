//! The floor of the cold-start benchmark: the least a Rust Lambda function can do. It
//! answers every event with an empty 200, so what it costs is the runtime's own start.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(|_: LambdaEvent<Value>| async {
        Ok::<Value, Error>(json!({"statusCode": 200, "body": ""}))
    }))
    .await
}
