//! One-time links' secrets (a sign-in link sent by email): a random code handed to its
//! owner, kept only as its SHA-256 with what it stands for, redeemed once before it expires.
//! A reader of the table learns nothing it could redeem.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use store::{Cond, DynStore, Key};
use web_core::{ApiError, ApiResult};

fn key(purpose: &str, code: &str) -> Key {
    let digest = format!("{:x}", Sha256::digest(code.as_bytes()));
    Key::new(format!("ONETIME#{purpose}#{digest}"), "ONETIME")
}

/// A new code for `purpose` standing for `subject`, valid `ttl_secs`: 244 random bits as 64
/// lower-case letters and digits.
pub async fn issue(
    store: &DynStore,
    purpose: &str,
    subject: Value,
    ttl_secs: i64,
) -> ApiResult<String> {
    let code = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let expires_at = chrono::Utc::now().timestamp() + ttl_secs;
    let mut item = key(purpose, &code).to_item();
    item.insert("subject".into(), subject);
    item.insert("expiresAt".into(), json!(expires_at));
    item.insert(store::TTL.into(), json!(expires_at));
    store.put(item, Some(Cond::NotExists)).await?;
    Ok(code)
}

/// What `code` stands for, if it was issued for `purpose`, is unexpired and was not redeemed
/// before; it is spent either way.
pub async fn redeem(store: &DynStore, purpose: &str, code: &str) -> ApiResult<Option<Value>> {
    let shaped = code.len() == 64 && code.bytes().all(|b| b.is_ascii_alphanumeric());
    if !shaped {
        return Ok(None);
    }
    // Deleting is redeeming: of two requests with one code, one gets the item.
    let item = match store.delete(&key(purpose, code), Some(Cond::Exists)).await {
        Ok(Some(item)) => item,
        Ok(None) => return Ok(None),
        Err(e) if e.is_condition_failed() => return Ok(None),
        Err(e) => return Err(ApiError::from(e)),
    };
    // DynamoDB deletes expired items late: the expiry is checked here too.
    let live = item
        .get("expiresAt")
        .and_then(Value::as_i64)
        .is_some_and(|at| at > chrono::Utc::now().timestamp());
    Ok(live.then(|| item.get("subject").cloned()).flatten())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn a_code_is_redeemed_once_for_its_purpose_before_it_expires() {
        let store: DynStore = Arc::new(store::embedded::EmbeddedStore::in_memory().unwrap());
        let code = issue(&store, "signin", json!({"id": "a"}), 60)
            .await
            .unwrap();
        assert_eq!(code.len(), 64);
        assert_eq!(redeem(&store, "other", &code).await.unwrap(), None);
        assert_eq!(
            redeem(&store, "signin", &code).await.unwrap(),
            Some(json!({"id": "a"}))
        );
        assert_eq!(redeem(&store, "signin", &code).await.unwrap(), None);
        let expired = issue(&store, "signin", json!(1), -1).await.unwrap();
        assert_eq!(redeem(&store, "signin", &expired).await.unwrap(), None);
        assert_eq!(redeem(&store, "signin", "short").await.unwrap(), None);
    }
}
