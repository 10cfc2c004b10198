//! Refresh sessions, kept in the product's table. Each refresh rotates the session's token id
//! (`jti`); a refresh token that was already used revokes its session, since only a stolen copy
//! can be presented twice.

use super::Tokens;
use serde_json::Value;
use store::{Cond, DynStore, Index, Item, Key, Placement, Query, TxOp, Update};
use web_core::ids::AccountId;
use web_core::{ApiError, ApiResult};

/// The index sessions are listed in, by user.
const BY_USER: Index = Index::Gsi1;

#[derive(Clone)]
pub struct Sessions {
    store: DynStore,
    tokens: Tokens,
}

/// A session's tokens, as the login and refresh answers carry them.
#[derive(Debug, Clone)]
pub struct Session {
    pub sid: String,
    pub user_id: AccountId,
    pub refresh_token: String,
}

/// A refresh session as stored: whose it is, the one refresh token it accepts (`jti`),
/// whether it was ended, and when it expires (also its TTL attribute).
#[derive(serde::Serialize)]
struct SessionRecord<'a> {
    user_id: &'a AccountId,
    jti: &'a str,
    revoked: bool,
    expires_at: i64,
    ttl: i64,
}

fn session_key(sid: &str) -> Key {
    Key::new(format!("SESSION#{sid}"), "SESSION")
}

fn user_sessions_pk(user_id: &AccountId) -> String {
    format!("SESSIONS#{user_id}")
}

pub fn session_expired() -> ApiError {
    ApiError::problem(web_core::error::Problem::SessionExpired)
}

impl Sessions {
    pub fn new(store: DynStore, tokens: Tokens) -> Self {
        Sessions { store, tokens }
    }

    /// Where the sessions are kept: the product's table.
    pub fn store(&self) -> &DynStore {
        &self.store
    }

    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// Opens a session for a user who just proved who they are.
    pub async fn start(&self, user_id: AccountId) -> ApiResult<Session> {
        let (session, item) = self.new_session(user_id)?;
        self.store.put(item, Some(Cond::NotExists)).await?;
        Ok(session)
    }

    /// A new session and the write that opens it, for a caller that must commit it in the
    /// same transaction as other writes (the account created at a first login).
    pub fn begin(&self, user_id: AccountId) -> ApiResult<(Session, TxOp)> {
        let (session, item) = self.new_session(user_id)?;
        let write = TxOp::Put {
            item,
            cond: Some(Cond::NotExists),
        };
        Ok((session, write))
    }

    fn new_session(&self, user_id: AccountId) -> ApiResult<(Session, Item)> {
        let sid = uuid::Uuid::new_v4().simple().to_string();
        let jti = uuid::Uuid::new_v4().simple().to_string();
        let now = chrono::Utc::now();
        let expires_at = now.timestamp() + self.tokens.config().refresh_ttl_secs;
        // Listed by user (gsi1), oldest first: the sessions a change of the account ends.
        let placement = Placement::new(session_key(&sid)).listed(
            BY_USER,
            user_sessions_pk(&user_id),
            web_core::time::format(now),
        );
        let item = placement.item(web_core::item::record(&SessionRecord {
            user_id: &user_id,
            jti: &jti,
            revoked: false,
            expires_at,
            ttl: expires_at,
        })?);
        let refresh_token = self.tokens.issue_refresh(user_id.clone(), &sid, &jti)?;
        let session = Session {
            sid,
            user_id,
            refresh_token,
        };
        Ok((session, item))
    }

    /// Trades a refresh token for a new one on the same session. Any failure is the
    /// documented 401 "Session expirée ou invalide".
    pub async fn rotate(&self, refresh_token: &str) -> ApiResult<Session> {
        let claims = self
            .tokens
            .verify_refresh(refresh_token)
            .map_err(|_| session_expired())?;
        let key = session_key(&claims.sid);
        let new_jti = uuid::Uuid::new_v4().simple().to_string();
        let now = chrono::Utc::now().timestamp();
        let expires_at = now + self.tokens.config().refresh_ttl_secs;
        let valid = Cond::Exists
            .and(Cond::eq("jti", claims.jti.as_str()))
            .and(Cond::eq("revoked", false))
            .and(Cond::gt("expires_at", now));
        // The replaced token and the time of the rotation are kept, for a retry's sake.
        let update = Update::new()
            .set("jti", new_jti.as_str())
            .set("prev_jti", claims.jti.as_str())
            .set("rotated_at", now)
            .set("expires_at", expires_at)
            .set("ttl", expires_at);
        match self.store.update(&key, update, Some(valid)).await {
            Ok(_) => {}
            Err(e) if e.is_condition_failed() => {
                if let Some(again) = self.retried(&key, &claims, now).await? {
                    return Ok(again);
                }
                // A signed token whose jti is stale was used before: revoke the session.
                let stale = Cond::Exists.and(Cond::ne("jti", claims.jti.as_str()));
                match self
                    .store
                    .update(&key, Update::new().set("revoked", true), Some(stale))
                    .await
                {
                    Ok(_) => {
                        tracing::warn!(sid = %claims.sid, "refresh token reuse: session revoked")
                    }
                    Err(e) if e.is_condition_failed() => {}
                    Err(e) => return Err(e.into()),
                }
                return Err(session_expired());
            }
            Err(e) => return Err(e.into()),
        }
        let refresh_token =
            self.tokens
                .issue_refresh_at(claims.user_id.clone(), &claims.sid, &new_jti, now)?;
        Ok(Session {
            sid: claims.sid,
            user_id: claims.user_id,
            refresh_token,
        })
    }

    /// The pair a rotation just gave, when `claims` is the token that rotation replaced and
    /// it comes back within the grace (the same request retried, or a second tab): a reuse
    /// that late, or of an older token, is a stolen copy's.
    async fn retried(
        &self,
        key: &Key,
        claims: &super::RefreshClaims,
        now: i64,
    ) -> ApiResult<Option<Session>> {
        let Some(session) = self.store.get(key).await? else {
            return Ok(None);
        };
        let text = |name: &str| session.get(name).and_then(Value::as_str);
        let number = |name: &str| session.get(name).and_then(Value::as_i64);
        let (Some(jti), Some(rotated_at)) = (text("jti"), number("rotated_at")) else {
            return Ok(None);
        };
        let within_grace = now - rotated_at <= self.tokens.config().refresh_reuse_grace_secs;
        let live = session.get("revoked") == Some(&Value::Bool(false))
            && number("expires_at").is_some_and(|at| at > now);
        if !(live && within_grace && text("prev_jti") == Some(claims.jti.as_str())) {
            return Ok(None);
        }
        let refresh_token =
            self.tokens
                .issue_refresh_at(claims.user_id.clone(), &claims.sid, jti, rotated_at)?;
        Ok(Some(Session {
            sid: claims.sid.clone(),
            user_id: claims.user_id.clone(),
            refresh_token,
        }))
    }

    /// Whether the session exists, is not revoked and has not expired. The future owns what
    /// it needs, so it can run on a task of its own.
    pub fn is_active(&self, sid: &str) -> impl Future<Output = ApiResult<bool>> + Send + 'static {
        let (store, key) = (self.store.clone(), session_key(sid));
        async move {
            let now = chrono::Utc::now().timestamp();
            Ok(store.get(&key).await?.is_some_and(|session| {
                session.get("revoked") == Some(&Value::Bool(false))
                    && session
                        .get("expires_at")
                        .and_then(Value::as_i64)
                        .is_some_and(|at| at > now)
            }))
        }
    }

    /// The session a refresh token belongs to, when it is a valid one of `user_id`'s.
    pub fn sid_of(&self, user_id: &AccountId, refresh_token: &str) -> Option<String> {
        let claims = self.tokens.verify_refresh(refresh_token).ok()?;
        (&claims.user_id == user_id).then_some(claims.sid)
    }

    pub async fn revoke(&self, sid: &str) -> ApiResult<()> {
        revoke_together(&self.store, vec![sid.to_string()]).await
    }

    /// The sessions of a user that are not revoked.
    pub async fn open_sessions(&self, user_id: &AccountId) -> ApiResult<Vec<String>> {
        open_sessions(&self.store, user_id).await
    }

    /// Revokes `sids` all at once (see [`revoke_together`]).
    pub async fn revoke_together(&self, sids: Vec<String>) -> ApiResult<()> {
        revoke_together(&self.store, sids).await
    }
}

/// The sessions of a user that are not revoked.
pub async fn open_sessions(store: &DynStore, user_id: &AccountId) -> ApiResult<Vec<String>> {
    let open =
        Query::partition(BY_USER, user_sessions_pk(user_id)).filter(Cond::eq("revoked", false));
    let items = web_core::pagination::read_all(store, open).await?;
    Ok(items
        .iter()
        .filter_map(|item| item.get("pk").and_then(Value::as_str))
        .filter_map(|pk| pk.strip_prefix("SESSION#"))
        .map(str::to_string)
        .collect())
}

/// Revokes `sids` all at once: one transaction per hundred sessions, the last ones in the
/// last transaction (a caller ending its own session puts it last, so a failure before the
/// end leaves it able to try again). Sessions already gone are skipped.
pub async fn revoke_together(store: &DynStore, mut sids: Vec<String>) -> ApiResult<()> {
    sids.dedup();
    let mut rest = sids.as_slice();
    while !rest.is_empty() {
        let cut = rest.len().saturating_sub(1) % store::MAX_TRANSACTION_ITEMS + 1;
        let (chunk, later) = rest.split_at(cut);
        revoke_chunk(store, chunk.to_vec()).await?;
        rest = later;
    }
    Ok(())
}

/// The write that revokes the session `sid` (which must still exist).
pub fn revocation(sid: &str) -> TxOp {
    TxOp::Update {
        key: session_key(sid),
        update: Update::new().set("revoked", true),
        cond: Some(Cond::Exists),
    }
}

async fn revoke_chunk(store: &DynStore, mut sids: Vec<String>) -> ApiResult<()> {
    // Each retry drops one session that vanished (expired and cleaned up) meanwhile.
    while !sids.is_empty() {
        let ops = sids.iter().map(|sid| revocation(sid)).collect();
        match store.transact(ops).await {
            Ok(()) => return Ok(()),
            Err(e) => match e.failed_op() {
                Some(gone) if gone < sids.len() => {
                    sids.remove(gone);
                }
                _ => return Err(e.into()),
            },
        }
    }
    Ok(())
}
