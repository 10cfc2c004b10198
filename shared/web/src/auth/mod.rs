//! Authentication: JWT access tokens (short-lived, stateless), refresh tokens that rotate on
//! every use and can be revoked (their sessions live in the product's table), and the
//! [`AuthUser`] extractor with role checks, which also refuses tokens of a revoked session.

mod sessions;
mod tokens;

pub use sessions::{Session, Sessions, session_expired};
pub use tokens::{AccessClaims, AuthConfig, RefreshClaims, Tokens};

use crate::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde_json::Value;

/// What a product's state gives the auth extractor.
pub trait AuthState: Send + Sync {
    fn sessions(&self) -> &Sessions;
}

/// The caller of a protected route, from a valid access token.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthUser {
    pub id: Value,
    pub role: String,
    pub session: String,
}

impl AuthUser {
    /// The user id of products with integer ids.
    pub fn int_id(&self) -> Result<i64, ApiError> {
        self.id.as_i64().ok_or_else(invalid_token)
    }

    pub fn has_role(&self, roles: &[&str]) -> bool {
        roles.contains(&self.role.as_str())
    }

    /// 403 unless the caller holds one of `roles`.
    pub fn require(&self, roles: &[&str]) -> Result<(), ApiError> {
        if self.has_role(roles) {
            Ok(())
        } else {
            Err(ApiError::forbidden("Accès non autorisé"))
        }
    }
}

pub fn missing_token() -> ApiError {
    ApiError::unauthorized("Token d'accès requis")
}

pub fn invalid_token() -> ApiError {
    ApiError::unauthorized("Token invalide ou expiré")
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
        if !sessions.is_active(&claims.sid).await? {
            return Err(invalid_token());
        }
        Ok(AuthUser {
            id: claims.user_id,
            role: claims.role,
            session: claims.sid,
        })
    }
}
