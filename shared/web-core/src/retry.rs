//! Writes that lose a race are tried again on the state that won: another request changed
//! the item first (the write's condition on what it read failed), or held one of the items
//! its transaction writes (DynamoDB's TransactionConflict, which the shared totals make
//! common under load). Nothing was written either way. A client sees a 409 only if the item
//! keeps changing under every attempt.

use store::{DynStore, StoreError, StoreResult, TxOp};

/// Tries of a write before the race is reported.
pub const ATTEMPTS: u32 = 5;

/// Whether `e` is a lost race: the condition labelled `read_as` failed, or a conflict.
pub fn lost_race(e: &StoreError, read_as: &str) -> bool {
    e.failed(read_as) || matches!(e, StoreError::Conflict)
}

/// A short pause before the next try, longer each time and jittered, so that the requests
/// that collided do not collide again in step.
pub async fn back_off(attempt: u32) {
    let jitter = u64::try_from(uuid::Uuid::new_v4().as_u128() % 10).unwrap_or(0);
    let millis = 10 * u64::from(attempt) + jitter;
    tokio::time::sleep(std::time::Duration::from_millis(millis)).await;
}

/// Writes the transaction `ops`, trying it again while DynamoDB refuses it for a concurrent
/// transaction on one of its items (`TransactionConflict`: a hot item, a shared total).
/// Nothing was written then, so the same operations go again unchanged: for writes whose
/// conditions do not depend on a read, where a lost race is not one to re-read.
pub async fn transact_through_conflicts(
    store: &DynStore,
    ops: Vec<(&'static str, TxOp)>,
) -> StoreResult<()> {
    let mut attempt = 1;
    loop {
        match store.transact_named(ops.clone()).await {
            Err(StoreError::Conflict) if attempt < ATTEMPTS => {
                back_off(attempt).await;
                attempt += 1;
            }
            done => return done,
        }
    }
}
