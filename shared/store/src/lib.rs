//! The storage port: DynamoDB's own data model (items keyed by `pk`/`sk`, three generic GSIs,
//! conditional writes, transactions, TTL), so that product code is written once and runs on
//! DynamoDB in AWS and on an embedded database on a laptop.
//!
//! Product code talks only to [`Store`]. The adapters live behind features: `dynamodb`
//! (aws-sdk-dynamodb) and `embedded` (SQLite on disk). Both are pinned to the same semantics by
//! the conformance suite (feature `conformance`).

mod cursor;
mod error;
pub mod eval;
mod model;
mod placement;

#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(feature = "dynamodb")]
pub mod dynamodb;
#[cfg(feature = "embedded")]
pub mod embedded;

pub use cursor::Cursor;
pub use error::StoreError;
pub use model::*;
pub use placement::{IndexEntry, Placement};

use async_trait::async_trait;
use std::sync::Arc;

pub type StoreResult<T> = Result<T, StoreError>;

/// A shared handle to a store, as held by application state.
pub type DynStore = Arc<dyn Store>;

/// Most items a transaction may hold (DynamoDB's limit, enforced by both adapters).
pub const MAX_TRANSACTION_ITEMS: usize = 100;
/// Largest item, in bytes of its JSON form (DynamoDB's limit is 400 KB of its own encoding).
pub const MAX_ITEM_BYTES: usize = 400 * 1024;
/// Items returned by a query when the caller gives no limit.
pub const DEFAULT_QUERY_LIMIT: u32 = 100;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Reads one item. An item whose TTL has passed is treated as absent.
    async fn get(&self, key: &Key) -> StoreResult<Option<Item>>;

    /// Reads several items, in the order of `keys` (`None` for each absent one). One round
    /// trip on DynamoDB (BatchGetItem, 100 keys a request), and on the embedded store the
    /// reads run beside each other, shared by its reader connections (reading them all in
    /// one snapshot on one connection measured slower: bench/results/README.md, 3 December).
    async fn get_many(&self, keys: &[Key]) -> StoreResult<Vec<Option<Item>>> {
        futures_util::future::try_join_all(keys.iter().map(|key| self.get(key))).await
    }

    /// Writes a whole item (replacing any item with the same key) if `cond` holds on the
    /// current item (an absent item has no attributes).
    async fn put(&self, item: Item, cond: Option<Cond>) -> StoreResult<()>;

    /// Applies `update` to the item (creating it if absent, as DynamoDB does) if `cond` holds,
    /// and returns the item as it is after the update.
    async fn update(&self, key: &Key, update: Update, cond: Option<Cond>) -> StoreResult<Item>;

    /// Deletes the item if `cond` holds, returning what was deleted.
    async fn delete(&self, key: &Key, cond: Option<Cond>) -> StoreResult<Option<Item>>;

    /// Reads items of one partition (of the table or of a GSI) in sort-key order.
    async fn query(&self, query: Query) -> StoreResult<Page>;

    /// Applies every operation or none. When a condition fails the error says which one.
    async fn transact(&self, ops: Vec<TxOp>) -> StoreResult<()>;

    /// [`Store::transact`] with each operation named: a failed condition is matched by its
    /// name (`e.failed("phone_guard")`), never by its position.
    async fn transact_named(&self, ops: Vec<(&'static str, TxOp)>) -> StoreResult<()> {
        let (labels, ops): (Vec<&'static str>, Vec<TxOp>) = ops.into_iter().unzip();
        self.transact(ops).await.map_err(|e| match e {
            StoreError::ConditionFailed { op: Some(i), .. } => StoreError::ConditionFailed {
                op: Some(i),
                label: labels.get(i).copied(),
            },
            other => other,
        })
    }
}
