//! The account plumbing every product with passwords shares: opening a session with its first
//! access token, checking a password off the async threads in the same time whether or not
//! the account exists, refreshing with the account's current role, and ending an account's
//! sessions when what its tokens vouch for changes. A product keeps its own records and
//! answers; it describes an account through [`Account`].

use super::sessions::{open_sessions, revocation, revoke_together};
use super::{Session, Sessions, session_expired};
use serde_json::Value;
use store::{DynStore, TxOp};
use web_core::ids::AccountId;
use web_core::rate_limit::LoginThrottle;
use web_core::{ApiError, ApiResult};

/// What the shared sign-in reads of a product's stored account.
pub trait Account: Send + 'static {
    fn credentials(&self) -> Credentials<'_>;
}

/// An account as sign-in sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials<'a> {
    /// Its id as tokens carry it.
    pub id: AccountId,
    /// Its role now (a refreshed token carries this one, not the one it was issued with).
    pub role: &'a str,
    /// The hash its password is checked against; `None` when it has none (it is then
    /// checked against a dummy, and refused, in the same time).
    pub password_hash: Option<&'a str>,
    /// Whether it may sign in (an operator can shut an account out).
    pub active: bool,
}

/// A session just opened: its id, first access token and refresh token.
#[derive(Debug, Clone)]
pub struct Opened {
    pub sid: String,
    pub access_token: String,
    pub refresh_token: String,
}

/// Whether a refresh rotates the refresh token (one use each, a reuse ends the session) or
/// keeps it (SimpleJWT's default: it stays good until it expires or its session ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    Rotate,
    Keep,
}

/// The body of a refresh that rotates (`{"refreshToken": "..."}`), absent or not.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshBody {
    /// Kept as sent, so that a number or a `null` gets the product's refusal.
    refresh_token: Option<Value>,
}

impl RefreshBody {
    /// The refresh token, or `missing` (a 400 in the product's words) when it is absent,
    /// blank or not a string.
    pub fn token(body: Option<Self>, missing: &str) -> ApiResult<String> {
        match body.and_then(|b| b.refresh_token) {
            Some(Value::String(token)) if !token.trim().is_empty() => Ok(token),
            _ => Err(ApiError::bad_request(missing.to_owned())),
        }
    }
}

impl Sessions {
    /// Opens a session for the account `id`, whose role is `role`, that just proved who it
    /// is.
    pub async fn open(&self, id: AccountId, role: &str) -> ApiResult<Opened> {
        let session = self.start(id).await?;
        self.opened(session, role)
    }

    /// The first access token of `session` (begun in a transaction of the caller's).
    pub fn opened(&self, session: Session, role: &str) -> ApiResult<Opened> {
        let access_token =
            self.tokens()
                .issue_access(session.user_id.clone(), role, &session.sid)?;
        Ok(Opened {
            sid: session.sid,
            access_token,
            refresh_token: session.refresh_token,
        })
    }

    /// A new access token for `refresh_token`, with its account's current role: `find`
    /// reads the account of the token's user id (an id of another type names no account).
    /// An account that is gone or shut out ends the session and gets `gone()`; any other
    /// failure is the 401 of an expired session.
    /// Everything is read before a rotation: once the old token is spent nothing may fail,
    /// or the client would hold a spent token (which revokes its session).
    pub async fn refresh<Id, A, F, Fut>(
        &self,
        refresh_token: &str,
        rotation: Rotation,
        find: F,
        gone: fn() -> ApiError,
    ) -> ApiResult<(A, Opened)>
    where
        Id: TryFrom<AccountId>,
        A: Account,
        F: FnOnce(Id) -> Fut,
        Fut: Future<Output = ApiResult<Option<A>>>,
    {
        let claims = self
            .tokens()
            .verify_refresh(refresh_token)
            .map_err(|_| session_expired())?;
        // A rotation checks the session itself; a kept token's session is looked up beside
        // the account.
        let live = async {
            match rotation {
                Rotation::Rotate => Ok(true),
                Rotation::Keep => self.is_active(&claims.sid).await,
            }
        };
        let account = async {
            match Id::try_from(claims.user_id.clone()) {
                Ok(id) => find(id).await,
                Err(_) => Ok(None),
            }
        };
        let (live, account) = tokio::join!(live, account);
        let Some(account) = account?.filter(|a| a.credentials().active) else {
            self.revoke(&claims.sid).await?;
            return Err(gone());
        };
        let session = match rotation {
            Rotation::Rotate => self.rotate(refresh_token).await?,
            Rotation::Keep if live? => Session {
                sid: claims.sid,
                user_id: claims.user_id,
                refresh_token: refresh_token.to_owned(),
            },
            Rotation::Keep => return Err(session_expired()),
        };
        let opened = self.opened(session, account.credentials().role)?;
        Ok((account, opened))
    }
}

/// The email (normalised) and password of a sign-in body `{email, password}`, both
/// required; anything else is one 400, `missing`, in the product's words (a sign-in says no
/// more of what was wrong).
pub fn email_and_password(
    body: &serde_json::Map<String, Value>,
    missing: &'static str,
) -> ApiResult<(String, String)> {
    let email = body
        .get("email")
        .and_then(Value::as_str)
        .and_then(web_core::validate::email);
    match (email, body.get("password")) {
        (Some(email), Some(Value::String(password))) if !password.is_empty() => {
            Ok((email, password.clone()))
        }
        _ => Err(ApiError::bad_request(missing)),
    }
}

/// What a password sign-in comes to.
#[derive(Debug, Clone, PartialEq)]
pub enum SignIn<A> {
    Admitted(A),
    /// No such account, or not its password.
    WrongCredentials,
    /// The right password of an account an operator shut out (said only to who knows the
    /// password), which it names.
    Deactivated(A),
}

/// The account a sign-in names, and what its per-account limit said: what
/// [`check_password`] takes, so that no sign-in skips the limit.
pub struct Candidate<A> {
    account: Option<A>,
    admitted: ApiResult<()>,
}

impl<A> Candidate<A> {
    /// Reads the account (`find`) beside the check of `login`'s per-account limit: both are
    /// reads, so a sign-in pays one round trip for them, made while the rate limits count
    /// the attempt. The limit's refusal is said by [`check_password`], once they let it
    /// through.
    pub async fn read(
        throttle: &LoginThrottle,
        login: &str,
        find: impl Future<Output = ApiResult<Option<A>>>,
    ) -> ApiResult<Self> {
        let (admitted, account) = tokio::join!(throttle.admit(login), find);
        Ok(Candidate {
            account: account?,
            admitted,
        })
    }

    /// `account`, read already, checked against `login`'s per-account limit now (a product
    /// that learns from the account whether it signs in with a password).
    pub async fn checked(throttle: &LoginThrottle, login: &str, account: Option<A>) -> Self {
        Candidate {
            admitted: throttle.admit(login).await,
            account,
        }
    }
}

/// Checks `password` against the candidate account's, the account being `login` as its
/// owner typed it (normalised: the per-account limit counts its failures over every
/// address). The hash is checked off the async threads, and against a dummy when there is
/// no account or no hash, so every refusal takes as long; an unknown login's failures count
/// as a known one's, so the limit tells nothing of which exist.
pub async fn check_password<A: Account>(
    throttle: &LoginThrottle,
    login: &str,
    candidate: Candidate<A>,
    password: String,
) -> ApiResult<SignIn<A>> {
    candidate.admitted?;
    let account = candidate.account;
    let stored = account
        .as_ref()
        .and_then(|a| a.credentials().password_hash.map(str::to_owned));
    let matches = password_matches(stored, password).await?;
    Ok(match account {
        Some(account) if matches && account.credentials().active => SignIn::Admitted(account),
        Some(account) if matches => SignIn::Deactivated(account),
        _ => {
            throttle.failed(login).await?;
            SignIn::WrongCredentials
        }
    })
}

/// Whether `password` is the one `stored` was made from (checked against a dummy, in the
/// same time, when there is no hash), off the async threads.
pub async fn password_matches(stored: Option<String>, password: String) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => crate::password::verify(&password, &hash),
        None => crate::password::verify_absent(&password),
    })
    .await
    .map_err(ApiError::internal)
}

/// The hash of `password`, made off the async threads.
pub async fn hash_password(password: &str) -> ApiResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || crate::password::hash(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// What changed about an account that its live tokens vouched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    /// Its role, its password set by an operator, or its shutting out: every session ends.
    Everything,
    /// Its password, changed by its owner from the session `kept`: the others end.
    PasswordFrom { kept: &'a str },
}

/// The most sessions [`ending`] puts in a change's transaction (which holds 100 writes).
pub const ENDED_IN_TRANSACTION: usize = 40;

/// The writes that end every open session of `id`, for the transaction of the change that
/// makes them stale (a role, a deactivation): the change and the end of its sessions are one.
/// `Err` holds the sessions when there are more than [`ENDED_IN_TRANSACTION`]: the caller
/// commits its change, then ends them with [`changed`]. A session that vanishes meanwhile
/// (its TTL) fails the transaction, which the caller tries again.
pub async fn ending(store: &DynStore, id: &AccountId) -> ApiResult<Result<Vec<TxOp>, usize>> {
    let open = open_sessions(store, id).await?;
    if open.len() > ENDED_IN_TRANSACTION {
        return Ok(Err(open.len()));
    }
    Ok(Ok(open.iter().map(|sid| revocation(sid)).collect()))
}

/// Ends the sessions `change` makes stale: their access tokens answer 401 on their next
/// request and their refresh tokens are refused.
pub async fn changed(store: &DynStore, id: &AccountId, change: Change<'_>) -> ApiResult<()> {
    let mut stale = open_sessions(store, id).await?;
    if let Change::PasswordFrom { kept } = change {
        stale.retain(|sid| sid != kept);
    }
    revoke_together(store, stale).await
}
