//! Addresses a product has banned: every request from one is refused (403) in the same step
//! as its rate-limit counts, for as long as the ban lasts, to the second. A ban is an item of
//! the product's table, so it holds across Lambda instances; it ends when its `expiresAtEpoch`
//! passes, whatever the table's TTL sweep (which may lag by days) has done with it. A product
//! writes bans (the marketplace's admin routes); the rate-limit layer only reads them.

use crate::ApiError;
use crate::error::ErrorKind;
use serde_json::Value;
use store::{DynStore, Item, Key};

/// Where the ban of `ip` is kept.
pub fn key(ip: &str) -> Key {
    Key::new(format!("BANNED_IP#{ip}"), "BAN")
}

/// The attribute holding when a ban ends (seconds since the epoch); a ban without it is
/// permanent.
pub const EXPIRES_AT: &str = "expiresAtEpoch";

/// Whether the ban `item` still holds at `now` (seconds since the epoch).
pub fn is_active(item: &Item, now: i64) -> bool {
    match item.get(EXPIRES_AT) {
        None | Some(Value::Null) => true,
        Some(at) => at.as_i64().is_some_and(|at| at > now),
    }
}

/// 403 when `ip` is banned now.
pub async fn check(store: &DynStore, ip: &str) -> Result<(), ApiError> {
    let now = chrono::Utc::now().timestamp();
    match store.get(&key(ip)).await? {
        Some(ban) if is_active(&ban, now) => Err(ApiError::of(ErrorKind::Banned)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_ban_ends_at_its_second() {
        let ban = |fields: Value| match fields {
            Value::Object(map) => map,
            _ => Item::new(),
        };
        assert!(is_active(&ban(json!({})), 1_000));
        assert!(is_active(&ban(json!({"expiresAtEpoch": null})), 1_000));
        assert!(is_active(&ban(json!({"expiresAtEpoch": 1_001})), 1_000));
        assert!(!is_active(&ban(json!({"expiresAtEpoch": 1_000})), 1_000));
    }
}
