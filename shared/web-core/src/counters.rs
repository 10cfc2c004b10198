//! Integer ids, sequences and totals, kept in counter items updated atomically: never
//! computed by scanning.

use crate::ApiResult;
use serde_json::Value;
use store::{DynStore, Key, TxOp, Update};

fn id_key(entity: &str) -> Key {
    Key::new("COUNTER", entity)
}

fn total_key(name: &str) -> Key {
    Key::new("TOTAL", name)
}

/// The next id of `entity` (`user`, `order`, ...): 1, 2, 3... An id taken by a request that
/// then fails is not reused.
pub async fn next_id(store: &DynStore, entity: &str) -> ApiResult<i64> {
    let item = store
        .update(&id_key(entity), Update::new().add("value", 1), None)
        .await?;
    item.get("value")
        .and_then(Value::as_i64)
        .ok_or_else(|| crate::ApiError::internal(format!("counter {entity} has no value")))
}

/// `count` new ids of `entity` at once, in one write: the ids of a list's new entries.
pub async fn next_ids(store: &DynStore, entity: &str, count: usize) -> ApiResult<Vec<i64>> {
    let count = i64::try_from(count).map_err(crate::ApiError::internal)?;
    if count == 0 {
        return Ok(Vec::new());
    }
    let item = store
        .update(&id_key(entity), Update::new().add("value", count), None)
        .await?;
    let last = item
        .get("value")
        .and_then(Value::as_i64)
        .ok_or_else(|| crate::ApiError::internal(format!("counter {entity} has no value")))?;
    Ok((last - count + 1..=last).collect())
}

/// A transaction step that moves the total `name` by `by`.
pub fn bump(name: impl AsRef<str>, by: i64) -> TxOp {
    TxOp::Update {
        key: total_key(name.as_ref()),
        update: Update::new().add("value", by),
        cond: None,
    }
}

/// A transaction step that moves several fields of the tally `name` at once: totals read
/// together (a count and an amount per status and type) kept in one item, read in one get.
/// Field names are letters, digits and `_`.
pub fn bump_fields(name: impl AsRef<str>, moves: &[(String, i64)]) -> TxOp {
    let update = moves
        .iter()
        .fold(Update::new(), |update, (field, by)| update.add(field, *by));
    TxOp::Update {
        key: total_key(name.as_ref()),
        update,
        cond: None,
    }
}

/// The fields of the tally `name` (empty when nothing was ever counted).
pub async fn fields(
    store: &DynStore,
    name: impl AsRef<str>,
) -> ApiResult<std::collections::BTreeMap<String, i64>> {
    let item = store.get(&total_key(name.as_ref())).await?;
    Ok(item
        .into_iter()
        .flatten()
        .filter_map(|(field, value)| value.as_i64().map(|v| (field, v)))
        .collect())
}

/// The current value of the total `name` (0 when nothing was ever counted).
pub async fn total(store: &DynStore, name: impl AsRef<str>) -> ApiResult<u64> {
    let item = store.get(&total_key(name.as_ref())).await?;
    let value = item
        .and_then(|i| i.get("value").and_then(Value::as_i64))
        .unwrap_or(0);
    Ok(u64::try_from(value).unwrap_or(0))
}

/// The current values of the totals `names`, in their order, read at once.
pub async fn totals(store: &DynStore, names: &[String]) -> ApiResult<Vec<u64>> {
    let keys: Vec<Key> = names.iter().map(|name| total_key(name)).collect();
    let items = store.get_many(&keys).await?;
    Ok(items
        .into_iter()
        .map(|item| {
            let value = item.and_then(|i| i.get("value").and_then(Value::as_i64));
            u64::try_from(value.unwrap_or(0)).unwrap_or(0)
        })
        .collect())
}

/// How many items a sharded total is spread over.
pub const SHARDS: u32 = 8;

/// [`bump_fields`] for a tally that many concurrent writes move (every transfer, every
/// sale): the move lands on one of [`SHARDS`] items picked at random, so that transactions
/// do not queue on one item; [`sharded_fields`] sums them.
pub fn bump_fields_sharded(name: impl AsRef<str>, moves: &[(String, i64)]) -> TxOp {
    let shard = (uuid::Uuid::new_v4().as_u128() % u128::from(SHARDS)) as u32;
    bump_fields(shard_name(name.as_ref(), shard), moves)
}

fn shard_name(name: &str, shard: u32) -> String {
    format!("{name}#shard{shard}")
}

/// The fields of the sharded tally `name`, each summed over its shards (read at once).
pub async fn sharded_fields(
    store: &DynStore,
    name: impl AsRef<str>,
) -> ApiResult<std::collections::BTreeMap<String, i64>> {
    let keys: Vec<Key> = (0..SHARDS)
        .map(|s| total_key(&shard_name(name.as_ref(), s)))
        .collect();
    let mut summed = std::collections::BTreeMap::new();
    for item in store.get_many(&keys).await?.into_iter().flatten() {
        for (field, value) in item {
            if let Some(value) = value.as_i64() {
                *summed.entry(field).or_insert(0) += value;
            }
        }
    }
    Ok(summed)
}

/// An id padded so that string order is numeric order in sort keys.
pub fn padded(id: i64) -> String {
    format!("{id:012}")
}

/// The sort key of list indexes: creation time, then id, so that equal times stay in order.
pub fn list_sort_key(created_at: &str, id: i64) -> String {
    format!("{created_at}#{}", padded(id))
}
