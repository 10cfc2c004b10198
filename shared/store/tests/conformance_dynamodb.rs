#![cfg(all(feature = "dynamodb", feature = "conformance"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The conformance suite on the DynamoDB adapter, against DynamoDB Local at the URL in
//! `TEST_DYNAMODB_ENDPOINT` (`infra/scripts/dynamodb-local.sh start` prints it). Each test gets
//! a table of its own, created as the SAM template creates it.

use std::sync::Arc;
use store::DynStore;
use store::dynamodb::DynamoStore;

async fn fresh_store() -> DynStore {
    let endpoint = std::env::var("TEST_DYNAMODB_ENDPOINT").unwrap_or_else(|_| {
        panic!(
            "TEST_DYNAMODB_ENDPOINT is not set: run `infra/scripts/dynamodb-local.sh start` and \
             export the URL it prints as TEST_DYNAMODB_ENDPOINT (scripts/test.sh does both)"
        )
    });
    let store = DynamoStore::local(&endpoint, format!("conformance-{}", uuid::Uuid::new_v4()));
    store.create_table_if_missing().await.unwrap();
    Arc::new(store)
}

store::conformance_suite!(fresh_store());
