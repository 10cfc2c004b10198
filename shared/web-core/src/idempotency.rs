//! `Idempotency-Key` on creating routes, as Stripe and AWS Lambda Powertools do it: a client
//! that retries a request (a lost answer, a double tap) with the same key and body gets the
//! first answer again instead of a second order or payment; the same key with another body
//! is a 409; keys are forgotten after 24 hours.
//!
//! The answer is recorded by the very transaction that creates the resource, under a
//! condition that no live record holds the key, so a key creates at most one resource even
//! when two requests carrying it run at once or a function dies midway: there is no
//! "in progress" record to go stale. The request that loses reads the winner's answer.

use crate::ApiError;
use crate::error::Problem;
use axum::http::header::HeaderValue;
use axum::http::{StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::{Cond, DynStore, Key, StoreError, TxOp};

pub const HEADER: &str = "idempotency-key";
/// Marks an answer that was recorded earlier, as Stripe's header does.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// How long a key is remembered.
pub const TTL_SECS: i64 = 24 * 60 * 60;
/// Longest accepted key (Stripe's limit).
pub const MAX_KEY_LEN: usize = 255;
/// The label of the record's step in the creating transaction.
pub const STEP: &str = "idempotency_key";

/// The `Idempotency-Key` header, when the request has one: 1 to 255 visible ASCII
/// characters; any other value is a 400 before the body is read.
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(HEADER) else {
            return Ok(IdempotencyKey(None));
        };
        let key = value
            .to_str()
            .ok()
            .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN)
            .filter(|k| k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| ApiError::problem(Problem::InvalidIdempotencyKey))?;
        Ok(IdempotencyKey(Some(key.to_owned())))
    }
}

impl IdempotencyKey {
    /// The key as `caller` uses it on `route` for `body`: another caller's same key, or the
    /// same key on another route, is another key.
    pub fn scoped(
        &self,
        route: &str,
        caller: &crate::ids::AccountId,
        body: &impl Serialize,
    ) -> Option<Scoped> {
        let key = self.0.as_deref()?;
        // Maps serialize with sorted keys: the same fields in another order are the same body.
        let canonical = serde_json::to_vec(body).unwrap_or_default();
        Some(Scoped {
            key: Key::new(format!("IDEMPOTENCY#{route}#{caller}#{key}"), "-"),
            fingerprint: format!("{:x}", Sha256::digest(&canonical)),
        })
    }
}

/// A first answer as remembered under its key.
#[derive(Serialize, Deserialize)]
struct AnswerRecord {
    /// Of the body the key came with.
    fingerprint: String,
    status: u16,
    body: String,
    expires_at: i64,
    /// When DynamoDB may delete the record (its TTL attribute).
    ttl: i64,
}

/// A key in use on one route by one caller, with the fingerprint of the body it came with.
#[derive(Debug, Clone)]
pub struct Scoped {
    key: Key,
    fingerprint: String,
}

impl Scoped {
    /// The first answer under this key, if it is still remembered; a 409 if the key came
    /// with another body.
    pub async fn earlier(&self, store: &DynStore) -> Result<Option<Response>, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let Some(record) = store.get(&self.key).await? else {
            return Ok(None);
        };
        let record: AnswerRecord = crate::item::parse(record)?;
        if record.expires_at <= now {
            return Ok(None);
        }
        if record.fingerprint != self.fingerprint {
            return Err(ApiError::problem(Problem::IdempotencyKeyReused));
        }
        let status = StatusCode::from_u16(record.status)
            .map_err(|_| ApiError::internal("unreadable idempotency record"))?;
        Ok(Some(replay(status, record.body)))
    }

    /// The transaction step that records `answer` under this key, unless a live record
    /// holds it (then the step fails, labelled [`STEP`]).
    pub fn record(&self, status: StatusCode, answer: &impl Serialize) -> Result<TxOp, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let body = serde_json::to_string(answer).map_err(ApiError::internal)?;
        let mut item = self.key.to_item();
        item.extend(crate::item::record(&AnswerRecord {
            fingerprint: self.fingerprint.clone(),
            status: status.as_u16(),
            body,
            expires_at: now + TTL_SECS,
            ttl: now + TTL_SECS,
        })?);
        Ok(TxOp::Put {
            item,
            cond: Some(Cond::Or(vec![
                Cond::NotExists,
                Cond::lt("expires_at", now + 1),
            ])),
        })
    }

    /// After the creating transaction failed: the answer of the request that recorded the
    /// key first, or `e` itself when the key's step is not what failed.
    pub async fn after_failure(
        &self,
        store: &DynStore,
        e: StoreError,
    ) -> Result<Response, ApiError> {
        if !e.failed(STEP) {
            return Err(e.into());
        }
        match self.earlier(store).await? {
            Some(answer) => Ok(answer),
            // Recorded and already expired: only a clock far off could do this.
            None => Err(ApiError::problem(Problem::ConcurrentChange)),
        }
    }
}

/// What a failed creating transaction answers: the first answer if the request carried a
/// key that another request recorded meanwhile, else the failure itself.
pub async fn settle(
    retry: Option<&Scoped>,
    store: &DynStore,
    e: StoreError,
) -> Result<Response, ApiError> {
    match retry {
        Some(retry) => retry.after_failure(store, e).await,
        None => Err(e.into()),
    }
}

fn replay(status: StatusCode, body: String) -> Response {
    let mut response = (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    response
        .headers_mut()
        .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}
