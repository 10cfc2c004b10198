//! In-memory evaluation of conditions and updates with DynamoDB's semantics. The embedded
//! adapter is built on it; the conformance suite checks that DynamoDB agrees.

use crate::{Cond, Item, StoreError, TTL, Update};
use serde_json::{Number, Value};
use std::cmp::Ordering;

/// Whether `cond` holds on `item` (`None` when the item does not exist).
pub fn holds(cond: &Cond, item: Option<&Item>) -> bool {
    let attr = |name: &str| item.and_then(|i| i.get(name));
    match cond {
        Cond::Exists => item.is_some(),
        Cond::NotExists => item.is_none(),
        Cond::AttrExists(a) => attr(a).is_some(),
        Cond::AttrNotExists(a) => attr(a).is_none(),
        Cond::Eq(a, v) => attr(a).is_some_and(|x| equal(x, v)),
        // As in DynamoDB, `<>` holds when the attribute is absent.
        Cond::Ne(a, v) => !attr(a).is_some_and(|x| equal(x, v)),
        Cond::Lt(a, v) => compare(attr(a), v) == Some(Ordering::Less),
        Cond::Le(a, v) => matches!(compare(attr(a), v), Some(Ordering::Less | Ordering::Equal)),
        Cond::Gt(a, v) => compare(attr(a), v) == Some(Ordering::Greater),
        Cond::Ge(a, v) => matches!(
            compare(attr(a), v),
            Some(Ordering::Greater | Ordering::Equal)
        ),
        Cond::BeginsWith(a, prefix) => attr(a)
            .and_then(Value::as_str)
            .is_some_and(|s| s.starts_with(prefix.as_str())),
        Cond::And(all) => all.iter().all(|c| holds(c, item)),
        Cond::Or(any) => any.iter().any(|c| holds(c, item)),
        Cond::Not(c) => !holds(c, item),
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y) == Some(Ordering::Equal),
        _ => a == b,
    }
}

/// Orders two scalars of the same type (numbers, or strings by their UTF-8 bytes); values of
/// different types do not compare, so every comparison on them is false.
fn compare(a: Option<&Value>, b: &Value) -> Option<Ordering> {
    match (a?, b) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y),
        (Value::String(x), Value::String(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        _ => None,
    }
}

fn compare_numbers(x: &Number, y: &Number) -> Option<Ordering> {
    match (x.as_i64(), y.as_i64()) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
    }
}

/// Applies `update` to `item` (which holds at least the key) in DynamoDB's order: SET, ADD,
/// REMOVE. Fails, changing nothing, when ADD meets an attribute that is not a number.
pub fn apply(update: &Update, item: &mut Item) -> Result<(), StoreError> {
    let mut next = item.clone();
    for (attr, value) in &update.set {
        next.insert(attr.clone(), value.clone());
    }
    for (attr, value) in &update.set_if_absent {
        if !next.contains_key(attr) {
            next.insert(attr.clone(), value.clone());
        }
    }
    for (attr, by) in &update.add {
        let current = match next.get(attr) {
            None => 0,
            Some(Value::Number(n)) => n.as_i64().ok_or_else(|| {
                StoreError::Invalid(format!("ADD on non-integer attribute {attr}"))
            })?,
            Some(_) => {
                return Err(StoreError::Invalid(format!(
                    "ADD on non-number attribute {attr}"
                )));
            }
        };
        let sum = current
            .checked_add(*by)
            .ok_or_else(|| StoreError::Invalid(format!("ADD overflows attribute {attr}")))?;
        next.insert(attr.clone(), Value::from(sum));
    }
    for attr in &update.remove {
        next.remove(attr);
    }
    *item = next;
    Ok(())
}

/// Whether the item's TTL (epoch seconds) has passed at `now`.
pub fn is_expired(item: &Item, now: i64) -> bool {
    item.get(TTL)
        .and_then(Value::as_i64)
        .is_some_and(|ttl| ttl <= now)
}

/// Checks what both adapters must refuse the same way: an update that touches the key, an
/// item without a string key or too large.
pub fn validate_item(item: &Item) -> Result<(), StoreError> {
    let ok = |a: &str| {
        item.get(a)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    if !ok(crate::PK) || !ok(crate::SK) {
        return Err(StoreError::Invalid(
            "item needs non-empty string pk and sk".into(),
        ));
    }
    // DynamoDB's key limits, so that the embedded store refuses what production would.
    let len = |a: &str| item.get(a).and_then(Value::as_str).map_or(0, str::len);
    if len(crate::PK) > 2048 || len(crate::SK) > 1024 {
        return Err(StoreError::Invalid("key too long".into()));
    }
    for index in crate::Index::GSIS {
        for attr in [index.pk_attr(), index.sk_attr()] {
            if item.get(attr).is_some() && !ok(attr) {
                return Err(StoreError::Invalid(format!(
                    "index key {attr} must be a non-empty string"
                )));
            }
        }
    }
    let size = serde_json::to_vec(item)
        .map(|v| v.len())
        .unwrap_or(usize::MAX);
    if size > crate::MAX_ITEM_BYTES {
        return Err(StoreError::Invalid(format!(
            "item of {size} bytes is too large"
        )));
    }
    Ok(())
}

/// Checks a transaction as DynamoDB does before running it: 1 to 100 operations, each on its
/// own item.
pub fn validate_transaction(ops: &[crate::TxOp]) -> Result<(), StoreError> {
    if ops.is_empty() || ops.len() > crate::MAX_TRANSACTION_ITEMS {
        return Err(StoreError::Invalid(format!(
            "a transaction holds 1 to {} operations",
            crate::MAX_TRANSACTION_ITEMS
        )));
    }
    let mut keys = std::collections::HashSet::new();
    for op in ops {
        let key = op
            .key()
            .ok_or_else(|| StoreError::Invalid("item without key".into()))?;
        if !keys.insert(key) {
            return Err(StoreError::Invalid(
                "a transaction names the same item twice".into(),
            ));
        }
    }
    Ok(())
}

pub fn validate_update(update: &Update) -> Result<(), StoreError> {
    if update.is_empty() {
        return Err(StoreError::Invalid("empty update".into()));
    }
    if update.attrs().any(|a| a == crate::PK || a == crate::SK) {
        return Err(StoreError::Invalid(
            "an update cannot change the key".into(),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if !update.attrs().all(|a| seen.insert(a)) {
        return Err(StoreError::Invalid(
            "an update names the same attribute twice".into(),
        ));
    }
    Ok(())
}

pub fn now_epoch() -> i64 {
    chrono::Utc::now().timestamp()
}
