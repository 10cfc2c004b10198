//! `get_many` as BatchGetItem: up to 100 keys in one request, strongly consistent like `get`.
//! Parallel GetItems were one round trip in sequence too, but each in flight needs a
//! connection of its own, and over TLS a cold function paid one handshake per key (a
//! dashboard reading a dozen counters opened a dozen connections). DynamoDB refuses a
//! request naming a key twice, so each key is asked once and its answer shared; keys it
//! leaves unprocessed (throttling, 16 MB answers) are asked again after a short pause.

use super::{DynamoStore, attributes_to_item, check_key, sdk_error};
use crate::eval::{self, now_epoch};
use crate::{Item, Key, PK, SK, StoreError, StoreResult};
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use std::collections::HashMap;
use std::time::Duration;

/// Most keys DynamoDB takes in one BatchGetItem.
const BATCH_KEYS: usize = 100;
/// How many times keys left unprocessed are asked again before the read fails.
const UNPROCESSED_ATTEMPTS: u64 = 6;

pub async fn get_many(store: &DynamoStore, keys: &[Key]) -> StoreResult<Vec<Option<Item>>> {
    let mut distinct: Vec<&Key> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for key in keys {
        check_key(key)?;
        if seen.insert(key) {
            distinct.push(key);
        }
    }
    let batches = distinct.chunks(BATCH_KEYS).map(|batch| read(store, batch));
    let mut found: HashMap<Key, Item> = HashMap::new();
    for items in futures_util::future::try_join_all(batches).await? {
        found.extend(items);
    }
    let now = now_epoch();
    Ok(keys
        .iter()
        .map(|key| {
            found
                .get(key)
                .filter(|item| !eval::is_expired(item, now))
                .cloned()
        })
        .collect())
}

/// The items of at most [`BATCH_KEYS`] distinct keys, by key.
async fn read(store: &DynamoStore, batch: &[&Key]) -> StoreResult<Vec<(Key, Item)>> {
    let mut pending: Vec<_> = batch.iter().map(|key| store.key_attributes(key)).collect();
    let mut found = Vec::with_capacity(batch.len());
    let mut attempt: u64 = 0;
    while !pending.is_empty() {
        if attempt == UNPROCESSED_ATTEMPTS {
            return Err(StoreError::Unavailable(format!(
                "BatchGetItem: {} keys still unprocessed",
                pending.len()
            )));
        }
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(20 << attempt)).await;
        }
        attempt += 1;
        let request = KeysAndAttributes::builder()
            .set_keys(Some(std::mem::take(&mut pending)))
            .consistent_read(true)
            .build()
            .map_err(super::build_error)?;
        let out = store
            .client
            .batch_get_item()
            .request_items(&store.table, request)
            .send()
            .await
            .map_err(|e| sdk_error("BatchGetItem", e))?;
        let answered = out.responses.and_then(|mut r| r.remove(&store.table));
        for item in answered.into_iter().flatten() {
            let key = key_of(&item)?;
            found.push((key, attributes_to_item(item)?));
        }
        pending = out
            .unprocessed_keys
            .and_then(|mut left| left.remove(&store.table))
            .map(|left| left.keys)
            .unwrap_or_default();
    }
    Ok(found)
}

fn key_of(item: &HashMap<String, AttributeValue>) -> StoreResult<Key> {
    let text = |name: &str| match item.get(name) {
        Some(AttributeValue::S(value)) => Ok(value.clone()),
        _ => Err(StoreError::Internal(format!(
            "BatchGetItem: an item without its `{name}`"
        ))),
    };
    Ok(Key::new(text(PK)?, text(SK)?))
}
