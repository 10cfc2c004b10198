//! The caller of a route open to anonymous visitors (`Access::Optional`): a signed-in user,
//! or an anonymous visitor known by a session key, as Django's sessions know them (CV
//! Builder's anonymous résumés). Browsers carry the key in the `sessionid` cookie; other
//! clients may send it as `X-Session-Id`.

use super::{AuthState, AuthUser, Tokens};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE, HeaderValue};
use axum::http::request::Parts;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use web_core::ApiError;

pub const SESSION_COOKIE: &str = "sessionid";
pub const SESSION_HEADER: &str = "x-session-id";

/// An anonymous visitor's session key: 32 lower-case hexadecimal digits (Django's keys are
/// 32 lower-case letters and digits), the first 16 random and the last 16 their HMAC under the
/// product's access-token secret. A key the server did not issue is no key: a visitor cannot
/// be handed a key an attacker chose, and later have their résumés taken with it (session
/// fixation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnonymousSession(String);

impl AnonymousSession {
    /// A new key the server vouches for, unguessable (64 random bits).
    pub fn issue(tokens: &Tokens) -> AnonymousSession {
        let random = &uuid::Uuid::new_v4().simple().to_string()[..16];
        let tag = mac(tokens, random).map(|mac| mac.finalize().into_bytes());
        let tag: String = tag
            .iter()
            .flat_map(|t| &t[..TAG_BYTES])
            .map(|b| format!("{b:02x}"))
            .collect();
        AnonymousSession(format!("{random}{tag}"))
    }

    /// `text` if it is a key this server issued.
    pub fn parse(text: &str, tokens: &Tokens) -> Option<AnonymousSession> {
        let (random, tag) = text.split_at_checked(16)?;
        let hex = |part: &str| part.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if text.len() != 32 || !hex(random) || !hex(tag) {
            return None;
        }
        // Compared in constant time, as every signature here (`Mac::verify_truncated_left`).
        let tag = web_core::text::decode_hex(tag)?;
        mac(tokens, random)?.verify_truncated_left(&tag).ok()?;
        Some(AnonymousSession(text.to_string()))
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

    /// The key a request carries, by cookie or header; one this server did not issue counts
    /// as none (the handler issues a new one when it needs one).
    pub fn of(parts: &Parts, tokens: &Tokens) -> Option<AnonymousSession> {
        let from_header = parts
            .headers
            .get(SESSION_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| AnonymousSession::parse(v.trim(), tokens));
        from_header.or_else(|| {
            parts
                .headers
                .get_all(COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(name, _)| *name == SESSION_COOKIE)
                .and_then(|(_, value)| AnonymousSession::parse(value, tokens))
        })
    }
}

/// A handler that takes `Option<AnonymousSession>` gets the key the request carries, if any
/// (a sign-in that claims the visitor's anonymous work).
impl<S: AuthState> OptionalFromRequestParts<S> for AnonymousSession {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(AnonymousSession::of(parts, state.sessions().tokens()))
    }
}

/// The bytes of the MAC a key carries (its last 16 hexadecimal digits).
const TAG_BYTES: usize = 8;

/// The MAC that vouches for `random`, under the access-token secret.
fn mac(tokens: &Tokens, random: &str) -> Option<Hmac<Sha256>> {
    let secret = tokens.config().access_secret.expose();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(b"anonymous-session:");
    mac.update(random.as_bytes());
    Some(mac)
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
        let tokens = state.sessions().tokens();
        Ok(Principal::Anonymous(AnonymousSession::of(parts, tokens)))
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
    use web_core::config::Secret;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder().uri("/");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    fn tokens_of(secret: &str) -> Tokens {
        Tokens::new(super::super::AuthConfig {
            access_secret: Secret::new(format!("{secret}-access-0123456789abcdef0123")),
            refresh_secret: Secret::new(format!("{secret}-refresh-0123456789abcdef012")),
            issuer: "issuer".into(),
            audience: "audience".into(),
            access_ttl_secs: 300,
            refresh_ttl_secs: 86400,
            refresh_reuse_grace_secs: 10,
            claims: super::super::ClaimNames::CAMEL,
        })
    }

    #[test]
    fn only_a_key_this_server_issued_is_a_key() {
        let tokens = tokens_of("a");
        let key = AnonymousSession::issue(&tokens);
        assert_eq!(key.as_str().len(), 32);
        assert_ne!(key, AnonymousSession::issue(&tokens));
        assert_eq!(
            AnonymousSession::parse(key.as_str(), &tokens),
            Some(key.clone())
        );
        let cookie = format!("csrftoken=x; sessionid={}", key.as_str());
        assert_eq!(
            AnonymousSession::of(&parts(&[("cookie", &cookie)]), &tokens),
            Some(key.clone())
        );
        assert_eq!(
            AnonymousSession::of(&parts(&[("x-session-id", key.as_str())]), &tokens),
            Some(key.clone())
        );
        // Another server's key, a key an attacker picked, one digit changed, malformed ones.
        let foreign = AnonymousSession::issue(&tokens_of("b"));
        let mut tampered = key.as_str().to_string();
        let last = if tampered.ends_with('0') { "1" } else { "0" };
        tampered.replace_range(31.., last);
        for bad in [
            foreign.as_str(),
            "deadbeefdeadbeefdeadbeefdeadbeef",
            tampered.as_str(),
            "short",
            "UPPERCASEUPPERCASEUPPERCASEUPPER",
            "../../../../../../../../../../..",
        ] {
            assert_eq!(
                AnonymousSession::of(&parts(&[("x-session-id", bad)]), &tokens),
                None,
                "{bad}"
            );
        }
        assert_eq!(AnonymousSession::of(&parts(&[]), &tokens), None);
        let set = key.set_cookie(true);
        let set = set.to_str().unwrap();
        assert!(set.starts_with(&format!("sessionid={}; ", key.as_str())));
        assert!(set.contains("HttpOnly") && set.contains("Secure"));
    }
}
