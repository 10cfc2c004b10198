//! Authentication: JWT access tokens (short-lived, stateless), refresh tokens that rotate on
//! every use and can be revoked (their sessions live in the product's table), and the
//! [`AuthUser`] extractor with role checks, which also refuses tokens of a revoked session.

pub mod access;
#[cfg(feature = "passwords")]
pub mod accounts;
mod hmac_crypto;
pub mod one_time;
#[cfg(feature = "passwords")]
pub mod password;
mod principal;
mod sessions;
mod settings;
mod tokens;

pub use hmac_crypto::install as install_jwt_crypto;

pub use principal::{AnonymousSession, MaybeUser, Principal, SESSION_COOKIE, SESSION_HEADER};
pub use sessions::{Session, Sessions, revoke_together, session_expired};
pub use settings::{MIN_SECRET_LEN, SessionSettings, TokenIdentity, TokenKeys};
pub use tokens::{AccessClaims, AuthConfig, ClaimNames, RefreshClaims, Tokens};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;
use web_core::error::ErrorKind;
use web_core::ids::AccountId;
use web_core::{ApiError, ApiResult};
use web_routes::Route;
use web_routes::{is_read, runs_beside_checks};

/// What a product's state gives the auth extractor.
pub trait AuthState: Send + Sync {
    fn sessions(&self) -> &Sessions;
}

/// The caller of a protected route, from a valid access token.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthUser {
    pub id: AccountId,
    /// `None` in products whose users have no role.
    pub role: Option<String>,
    pub session: String,
}

impl AuthUser {
    /// The user id of products with integer ids.
    pub fn int_id(&self) -> Result<i64, ApiError> {
        match self.id {
            AccountId::Int(id) => Ok(id),
            AccountId::Text(_) => Err(invalid_token()),
        }
    }

    /// The user id of products with string ids (object ids).
    pub fn str_id(&self) -> Result<&str, ApiError> {
        match &self.id {
            AccountId::Text(id) => Ok(id),
            AccountId::Int(_) => Err(invalid_token()),
        }
    }

    pub fn has_role(&self, roles: &[&str]) -> bool {
        self.role
            .as_deref()
            .is_some_and(|role| roles.contains(&role))
    }
}

pub fn missing_token() -> ApiError {
    ApiError::of(ErrorKind::MissingToken)
}

pub fn invalid_token() -> ApiError {
    ApiError::of(ErrorKind::InvalidToken)
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let header = parts.headers.get(AUTHORIZATION).ok_or_else(missing_token)?;
    let text = header.to_str().map_err(|_| invalid_token())?;
    let (scheme, token) = text.split_once(' ').ok_or_else(invalid_token)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(invalid_token());
    }
    Ok(token.trim())
}

/// Where [`AuthUser`] leaves a read's session check for [`check_sessions_beside_reads`].
#[derive(Clone, Default)]
struct SessionCheckSlot(Arc<Mutex<Option<JoinHandle<ApiResult<bool>>>>>);

impl SessionCheckSlot {
    /// Starts `check` on a task of its own for the middleware to await; hands it back if
    /// the slot cannot take it.
    fn defer<F>(&self, check: F) -> Option<F>
    where
        F: Future<Output = ApiResult<bool>> + Send + 'static,
    {
        match self.0.lock() {
            Ok(mut pending) if pending.is_none() => {
                *pending = Some(tokio::spawn(check));
                None
            }
            _ => Some(check),
        }
    }
}

/// Middleware: lets a read's handler run while its caller's session is looked up, and
/// answers 401 instead of the handler's response if the session has ended. Reads change
/// nothing, so running one for a caller who turns out to be logged out only costs the work;
/// it takes the session read off their latency (one store round trip in every cold start).
/// Without this layer, for writes, and for reads that `routes` declares with side effects,
/// [`AuthUser`] waits for the check before the handler.
pub async fn check_sessions_beside_reads(
    State(routes): State<&'static [Route]>,
    mut request: Request,
    next: Next,
) -> Response {
    if !runs_beside_checks(routes, request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let slot = SessionCheckSlot::default();
    request.extensions_mut().insert(slot.clone());
    let response = next.run(request).await;
    let pending = match slot.0.lock() {
        Ok(mut pending) => pending.take(),
        Err(_) => return ApiError::internal("session check lost").into_response(),
    };
    let Some(check) = pending else {
        return response;
    };
    match check.await {
        Ok(Ok(true)) => response,
        Ok(Ok(false)) => invalid_token().into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(e) => ApiError::internal(format!("session check failed: {e}")).into_response(),
    }
}

impl<S: AuthState> FromRequestParts<S> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let sessions = state.sessions();
        let claims = sessions
            .tokens()
            .verify_access(bearer(parts)?)
            .map_err(|_| invalid_token())?;
        // A logout revokes the session: its access tokens stop working at once, not when
        // they expire.
        let check = sessions.is_active(&claims.sid);
        let slot = parts
            .extensions
            .get::<SessionCheckSlot>()
            .filter(|_| is_read(&parts.method));
        // Without a slot to leave it in, the check is made here, before the handler.
        let here = match slot {
            Some(slot) => slot.defer(check),
            None => Some(check),
        };
        if let Some(check) = here
            && !check.await?
        {
            return Err(invalid_token());
        }
        Ok(AuthUser {
            id: claims.user_id,
            role: claims.role,
            session: claims.sid,
        })
    }
}
