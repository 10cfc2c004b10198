//! The caller of a route open to anonymous visitors (`Access::Optional`): a signed-in user,
//! or an anonymous visitor known by a session key, as Django's sessions know them (CV
//! Builder's anonymous résumés). Browsers carry the key in the `sessionid` cookie; other
//! clients may send it as `X-Session-Id`.

use super::{AuthState, AuthUser};
use crate::ApiError;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE, HeaderValue};
use axum::http::request::Parts;

pub const SESSION_COOKIE: &str = "sessionid";
pub const SESSION_HEADER: &str = "x-session-id";

/// An anonymous visitor's session key: 32 lower-case letters and digits, as Django's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnonymousSession(String);

impl AnonymousSession {
    /// A new, unguessable key (122 random bits).
    pub fn new() -> AnonymousSession {
        AnonymousSession(uuid::Uuid::new_v4().simple().to_string())
    }

    pub fn parse(text: &str) -> Option<AnonymousSession> {
        let valid = text.len() == 32
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase());
        valid.then(|| AnonymousSession(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `Set-Cookie` value that gives a browser this key (HTTP only, `SameSite=Lax`,
    /// two weeks as Django's default, `Secure` when served over HTTPS).
    pub fn set_cookie(&self, secure: bool) -> HeaderValue {
        let secure = if secure { "; Secure" } else { "" };
        let value = format!(
            "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600{secure}",
            self.0
        );
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The key a request carries, by cookie or header; a malformed one counts as none.
    pub fn of(parts: &Parts) -> Option<AnonymousSession> {
        let from_header = parts
            .headers
            .get(SESSION_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| AnonymousSession::parse(v.trim()));
        from_header.or_else(|| {
            parts
                .headers
                .get_all(COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(name, _)| *name == SESSION_COOKIE)
                .and_then(|(_, value)| AnonymousSession::parse(value))
        })
    }
}

/// A handler that takes `Option<AnonymousSession>` gets the key the request carries, if any
/// (a sign-in that claims the visitor's anonymous work).
impl<S: Send + Sync> OptionalFromRequestParts<S> for AnonymousSession {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(AnonymousSession::of(parts))
    }
}

impl Default for AnonymousSession {
    fn default() -> Self {
        Self::new()
    }
}

/// Who calls a route open to anonymous visitors.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    User(AuthUser),
    /// An anonymous visitor, with the session key it sent, if any (the handler makes one and
    /// sets the cookie when it needs one).
    Anonymous(Option<AnonymousSession>),
}

impl<S: AuthState> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(AUTHORIZATION) {
            // A token that is sent must be good: no falling back to anonymous.
            return AuthUser::from_request_parts(parts, state)
                .await
                .map(Principal::User);
        }
        Ok(Principal::Anonymous(AnonymousSession::of(parts)))
    }
}

/// The caller of a public route that shows more to some roles (an admin's view of a
/// catalogue): signed in when a good token of a live session is sent, else anonymous. Never
/// a refusal, so a client sending a stale token to a public route is served as before.
#[derive(Debug, Clone, PartialEq)]
pub struct MaybeUser(pub Option<AuthUser>);

impl MaybeUser {
    pub fn has_role(&self, roles: &[&str]) -> bool {
        self.0.as_ref().is_some_and(|user| user.has_role(roles))
    }
}

impl<S: AuthState> FromRequestParts<S> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let sessions = state.sessions();
        let Some(claims) = super::bearer(parts)
            .ok()
            .and_then(|token| sessions.tokens().verify_access(token).ok())
        else {
            return Ok(MaybeUser(None));
        };
        // Checked here, not beside the handler: an ended session is an anonymous caller.
        if !sessions.is_active(&claims.sid).await? {
            return Ok(MaybeUser(None));
        }
        Ok(MaybeUser(Some(AuthUser {
            id: claims.user_id,
            role: claims.role,
            session: claims.sid,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder().uri("/");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_key_comes_from_the_header_or_the_cookie_and_must_be_well_formed() {
        let key = AnonymousSession::new();
        assert_eq!(AnonymousSession::parse(key.as_str()), Some(key.clone()));
        let cookie = format!("csrftoken=x; sessionid={}", key.as_str());
        assert_eq!(
            AnonymousSession::of(&parts(&[("cookie", &cookie)])),
            Some(key.clone())
        );
        assert_eq!(
            AnonymousSession::of(&parts(&[("x-session-id", key.as_str())])),
            Some(key.clone())
        );
        for bad in [
            "short",
            "UPPERCASEUPPERCASEUPPERCASEUPPER",
            "../../../../../../../../../../..",
        ] {
            assert_eq!(
                AnonymousSession::of(&parts(&[("x-session-id", bad)])),
                None,
                "{bad}"
            );
        }
        assert_eq!(AnonymousSession::of(&parts(&[])), None);
        let set = key.set_cookie(true);
        let set = set.to_str().unwrap();
        assert!(set.starts_with(&format!("sessionid={}; ", key.as_str())));
        assert!(set.contains("HttpOnly") && set.contains("Secure"));
    }
}
