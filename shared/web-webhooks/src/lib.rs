//! Stripe's webhook signatures, and events processed once.
//!
//! Stripe signs each delivery with the endpoint's secret (`whsec_...`):
//! `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, where each `v1` is the
//! HMAC-SHA256 of `<t>.<raw body>` (several while a secret is being rolled; `v0` and other
//! schemes are ignored). A delivery is accepted when one `v1` matches, compared in constant
//! time, and `t` is at most [`TOLERANCE_SECS`] old, as Stripe's own libraries check it; the
//! body must be the bytes received, never a re-serialised JSON.
//!
//! An event's effects and the guard `WEBHOOK#<source>#<event id>` go in one transaction
//! ([`once`]): a replay fails on the guard and changes nothing.

#[cfg(feature = "stripe")]
pub mod stripe;

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;
use store::{Cond, Key, TxOp};
use web_core::ApiError;
use web_core::error::{ErrorKind, Problem};

pub const SIGNATURE_HEADER: &str = "stripe-signature";
/// How old a signed delivery may be (Stripe's default tolerance).
pub const TOLERANCE_SECS: i64 = 300;
/// The label of the guard step in an event's transaction.
pub const ONCE_STEP: &str = "webhook_event_once";

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Stripe-Signature header")]
    Missing,
    #[error("the Stripe-Signature header has no timestamp or no v1 signature")]
    Malformed,
    #[error("no v1 signature matches the body")]
    NoMatch,
    #[error("the signature is older than the tolerance")]
    TooOld,
}

impl From<SignatureError> for ApiError {
    fn from(error: SignatureError) -> Self {
        // Logged, never told: a forger learns nothing from the answer.
        tracing::warn!(%error, "webhook refused");
        ApiError::problem(Problem::InvalidSignature)
    }
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length: this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Checks the `Stripe-Signature` header of a delivery of `body`, received at `now`; returns
/// the signed timestamp.
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &str,
    now: i64,
) -> Result<i64, SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(web_core::text::decode_hex(value)),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let expected = mac(secret, timestamp, body);
    if !signatures
        .iter()
        .any(|signature| expected.clone().verify_slice(signature).is_ok())
    {
        return Err(SignatureError::NoMatch);
    }
    if timestamp < now - TOLERANCE_SECS {
        return Err(SignatureError::TooOld);
    }
    Ok(timestamp)
}

/// The `Stripe-Signature` value Stripe would send for `body` at `timestamp` (for stand-ins
/// and tests).
pub fn sign(body: &[u8], secret: &str, timestamp: i64) -> String {
    let signature = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={signature:x}")
}

/// A Stripe event's envelope: its id, its type, and its object read as `O` (the parts a
/// product uses; the rest of Stripe's shape may change freely).
#[derive(Debug, Deserialize)]
pub struct Event<O> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData<O>,
}

#[derive(Debug, Deserialize)]
pub struct EventData<O> {
    pub object: O,
}

/// The event a delivery of `body` carries, its signature checked first against the
/// endpoint's `secret`: 503 when there is none, 400 when forged, stale or unreadable.
pub fn verified_event<O: DeserializeOwned>(
    secret: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Event<O>, ApiError> {
    let secret = secret
        .ok_or_else(|| ApiError::new(ErrorKind::Unavailable, "Webhooks are not configured"))?;
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok());
    verify(signature, body, secret, chrono::Utc::now().timestamp())?;
    serde_json::from_slice(body).map_err(|_| ApiError::bad_request("Invalid webhook payload"))
}

/// The transaction step that marks event `event_id` of `source` (`stripe`) processed; it
/// fails, labelled [`ONCE_STEP`], when the event was processed before.
pub fn once(source: &str, event_id: &str) -> TxOp {
    let mut item = Key::new(format!("WEBHOOK#{source}#{event_id}"), "EVENT").to_item();
    item.insert(
        "processed_at".into(),
        serde_json::Value::String(web_core::time::now()),
    );
    TxOp::Put {
        item,
        cond: Some(Cond::NotExists),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::Arc;
    use store::{DynStore, embedded::EmbeddedStore};

    #[tokio::test]
    async fn an_event_s_transaction_runs_once() {
        let store: DynStore = Arc::new(EmbeddedStore::in_memory().unwrap());
        let effect = || TxOp::Put {
            item: Key::new("ORDER#1", "PAID").to_item(),
            cond: None,
        };
        let first = vec![(ONCE_STEP, once("stripe", "evt_1")), ("effect", effect())];
        store.transact_named(first).await.unwrap();
        let replay = vec![(ONCE_STEP, once("stripe", "evt_1")), ("effect", effect())];
        let error = store.transact_named(replay).await.unwrap_err();
        assert!(error.failed(ONCE_STEP), "{error:?}");
        // Another event, or the same id from another source, is new.
        let other = vec![(ONCE_STEP, once("stripe", "evt_2"))];
        store.transact_named(other).await.unwrap();
        let elsewhere = vec![(ONCE_STEP, once("paypal", "evt_1"))];
        store.transact_named(elsewhere).await.unwrap();
    }

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"payment_intent.succeeded"}"#;
    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_signature_made_with_the_secret_passes() {
        // Computed apart (Python's hmac): HMAC-SHA256 of "<t>.<body>" with the secret, hex.
        let header =
            "t=1800000000,v1=334f9dbfd609cf6c38f112f028756732c80faa7fdbeab117549d6303a5dcf896";
        assert_eq!(sign(BODY, SECRET, NOW), header);
        assert_eq!(verify(Some(header), BODY, SECRET, NOW), Ok(NOW));
    }

    #[test]
    fn any_v1_may_match_and_other_schemes_are_ignored() {
        let good = sign(BODY, SECRET, NOW);
        let v1 = good.split_once(",v1=").unwrap().1;
        let header = format!("t={NOW},v0=deadbeef,v1={},v1={v1}", "00".repeat(32));
        assert_eq!(verify(Some(&header), BODY, SECRET, NOW), Ok(NOW));
    }

    #[test]
    fn a_changed_body_an_old_timestamp_or_a_bad_header_is_refused() {
        let header = sign(BODY, SECRET, NOW);
        assert_eq!(
            verify(Some(&header), b"{\"id\":\"evt_2\"}", SECRET, NOW),
            Err(SignatureError::NoMatch)
        );
        assert_eq!(
            verify(Some(&header), BODY, "whsec_other", NOW),
            Err(SignatureError::NoMatch)
        );
        assert_eq!(
            verify(Some(&header), BODY, SECRET, NOW + TOLERANCE_SECS + 1),
            Err(SignatureError::TooOld)
        );
        assert_eq!(
            verify(Some(&header), BODY, SECRET, NOW + TOLERANCE_SECS),
            Ok(NOW)
        );
        for bad in ["", "v1=abcd", "t=abc,v1=00", "t=1", "t=1,v1=zz"] {
            assert_eq!(
                verify(Some(bad), BODY, SECRET, NOW),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(
            verify(None, BODY, SECRET, NOW),
            Err(SignatureError::Missing)
        );
    }
}
