//! The audit log: every admin action, with its actor, address, action, entity, the values
//! before and after, and the reason. Entries form a hash chain (each holds the hash of the one
//! before, and its own hash covers both), so an entry edited, removed or inserted afterwards
//! breaks the chain at that entry, which [`verify`] names.
//!
//! Items: the entry `n` at `AUDIT` / `<n on 12 digits>`, listed by actor in gsi1
//! (`AUDITACTOR#<id>`) and by entity type in gsi2 (`AUDITENTITY#<type>`); the chain's head at
//! `AUDIT#HEAD` holds the last entry's number and hash. An entry is written in the same
//! transaction as the action it records, with the head moved on the condition that no other
//! entry came first (a lost race is tried again on the new head): an action is never done
//! unrecorded, nor recorded undone. Entries have no TTL: the log is kept whole, since the
//! chain is verified from its first entry.

mod verify;

pub use verify::{Verdict, verify};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use store::{Cond, DynStore, Index, Key, Placement, StoreError, TxOp, Update};
use web::retry::{ATTEMPTS, back_off, lost_race};

/// Who did it.
pub struct Actor<'a> {
    pub id: &'a str,
    pub ip: &'a str,
}

/// What was done.
pub struct Action<'a> {
    /// `user.deactivate`, `provider.verify`...
    pub action: &'static str,
    /// `User`, `Provider`, `Review`...
    pub entity_type: &'static str,
    pub entity_id: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Option<&'a str>,
}

/// An entry as stored and as the admin reads it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AuditLog)]
pub struct Entry {
    /// Rang dans la chaîne (1 pour la première entrée).
    pub seq: u64,
    pub id: String,
    /// L'administrateur qui a agi.
    pub user_id: String,
    pub ip_address: String,
    #[schema(example = json!("user.deactivate"))]
    pub action: String,
    #[schema(example = json!("User"))]
    pub entity_type: String,
    pub entity_id: String,
    /// Les valeurs avant l'action (`null` pour une création).
    pub old_values: Option<Value>,
    /// Les valeurs après l'action (`null` pour une suppression).
    pub new_values: Option<Value>,
    pub reason: Option<String>,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    /// L'empreinte (SHA-256, hexadécimal) de l'entrée précédente ; des zéros pour la première.
    pub prev_hash: String,
    /// L'empreinte de cette entrée, qui couvre `prevHash` et chacun de ses champs.
    pub hash: String,
}

pub const PARTITION: &str = "AUDIT";
/// The hash the first entry follows.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD_GUARD: &str = "audit_head";

fn head_key() -> Key {
    Key::new("AUDIT#HEAD", "HEAD")
}

pub fn sort_key(seq: u64) -> String {
    format!("{seq:012}")
}

pub const BY_ACTOR: Index = Index::Gsi1;
pub const BY_ENTITY: Index = Index::Gsi2;

pub fn actor_partition(id: &str) -> String {
    format!("AUDITACTOR#{id}")
}

pub fn entity_partition(entity_type: &str) -> String {
    format!("AUDITENTITY#{entity_type}")
}

fn placement(entry: &Entry) -> Placement {
    let place = sort_key(entry.seq);
    Placement::new(Key::new(PARTITION, place.clone()))
        .listed(BY_ACTOR, actor_partition(&entry.user_id), place.clone())
        .listed(BY_ENTITY, entity_partition(&entry.entity_type), place)
}

/// `value` with every object's keys in order, so that its text, and so its hash, is the same
/// however a store gave its maps back.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut sorted = serde_json::Map::new();
            for key in keys {
                sorted.insert(key.clone(), canonical(&map[key]));
            }
            Value::Object(sorted)
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The hash `entry` must hold: SHA-256 over its fields in a fixed order, `prevHash` first.
pub fn hash_of(entry: &Entry) -> String {
    let fields = serde_json::json!([
        entry.prev_hash,
        entry.seq,
        entry.id,
        entry.user_id,
        entry.ip_address,
        entry.action,
        entry.entity_type,
        entry.entity_id,
        entry.old_values.as_ref().map(canonical),
        entry.new_values.as_ref().map(canonical),
        entry.reason,
        entry.created_at,
    ]);
    let digest = Sha256::digest(fields.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The chain's head: the last entry's number and hash (0 and [`GENESIS`] before any).
async fn head(store: &DynStore) -> Result<(u64, String), StoreError> {
    Ok(match store.get(&head_key()).await? {
        Some(item) => (
            item.get("seq").and_then(Value::as_u64).unwrap_or(0),
            item.get("hash")
                .and_then(Value::as_str)
                .unwrap_or(GENESIS)
                .to_owned(),
        ),
        None => (0, GENESIS.to_owned()),
    })
}

/// The writes that append the entry of `action` by `actor` after the head `(seq, hash)`.
fn appended(
    actor: &Actor<'_>,
    action: &Action<'_>,
    (seq, prev_hash): (u64, String),
) -> Result<Vec<(&'static str, TxOp)>, StoreError> {
    let mut entry = Entry {
        seq: seq + 1,
        id: uuid::Uuid::new_v4().to_string(),
        user_id: actor.id.to_owned(),
        ip_address: actor.ip.to_owned(),
        action: action.action.to_owned(),
        entity_type: action.entity_type.to_owned(),
        entity_id: action.entity_id.to_owned(),
        old_values: action.before.clone(),
        new_values: action.after.clone(),
        reason: action.reason.map(str::to_owned),
        created_at: web::time::now(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = hash_of(&entry);
    let fields = web::item::record(&entry).map_err(|e| StoreError::Internal(e.to_string()))?;
    let item = placement(&entry).item(fields);
    let moved = if seq == 0 {
        Cond::NotExists
    } else {
        Cond::eq("seq", seq)
    };
    let update = Update::new().set("seq", entry.seq).set("hash", entry.hash);
    Ok(vec![
        (
            HEAD_GUARD,
            TxOp::Update {
                key: head_key(),
                update,
                cond: Some(moved),
            },
        ),
        (
            "audit_entry",
            TxOp::Put {
                item,
                cond: Some(Cond::NotExists),
            },
        ),
    ])
}

/// Does `ops` and records `action` by `actor`, in one transaction: both or neither. A
/// condition of `ops` that fails is the caller's error, as `store.transact_named` gives it.
pub async fn recorded(
    store: &DynStore,
    actor: &Actor<'_>,
    action: &Action<'_>,
    ops: Vec<(&'static str, TxOp)>,
) -> Result<(), StoreError> {
    let mut attempt = 0;
    loop {
        let mut all = ops.clone();
        all.extend(appended(actor, action, head(store).await?)?);
        match store.transact_named(all).await {
            Err(e) if lost_race(&e, HEAD_GUARD) && attempt + 1 < ATTEMPTS => {
                attempt += 1;
                back_off(attempt).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_hash_does_not_depend_on_the_order_of_keys() {
        let entry = |values: Value| Entry {
            seq: 1,
            id: "e".into(),
            user_id: "a".into(),
            ip_address: "127.0.0.1".into(),
            action: "user.deactivate".into(),
            entity_type: "User".into(),
            entity_id: "u".into(),
            old_values: Some(values),
            new_values: None,
            reason: None,
            created_at: "2026-01-01T00:00:00.000Z".into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let mut reordered = serde_json::Map::new();
        reordered.insert("b".into(), json!(2));
        reordered.insert("a".into(), json!({"y": 1, "x": 2}));
        let one = entry(json!({"a": {"x": 2, "y": 1}, "b": 2}));
        let other = entry(Value::Object(reordered));
        assert_eq!(hash_of(&one), hash_of(&other));
        let changed = entry(json!({"a": {"x": 2, "y": 1}, "b": 3}));
        assert_ne!(hash_of(&one), hash_of(&changed));
        assert_eq!(hash_of(&one).len(), 64);
    }
}
