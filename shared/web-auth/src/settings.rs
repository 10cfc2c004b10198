//! What a product's accounts read from the environment, once, and the sessions built from
//! it: every product signs and rotates its tokens the same way, with its own keys, names and
//! lifetimes.

use super::{AuthConfig, ClaimNames, Sessions, Tokens};
use store::DynStore;
use web_core::config::{ConfigError, Env, Secret};

/// Shortest accepted JWT secret: HS256 wants at least 256 bits of key.
pub const MIN_SECRET_LEN: usize = 32;

/// Who issues a product's tokens, for whom, what its documents call their claims, and how
/// long they last unless the environment says otherwise.
#[derive(Debug, Clone, Copy)]
pub struct TokenIdentity {
    pub issuer: &'static str,
    pub audience: &'static str,
    pub claims: ClaimNames,
    /// The access token's documented lifetime (`JWT_ACCESS_TTL_SECS` overrides it).
    pub access_ttl_secs: i64,
    /// A session's documented lifetime (`JWT_REFRESH_TTL_SECS` overrides it).
    pub refresh_ttl_secs: i64,
}

/// How a product signs its access tokens, so a harness can forge the ones it must refuse.
#[derive(Debug, Clone)]
pub struct TokenKeys {
    pub access_secret: String,
    pub issuer: String,
    pub audience: String,
    /// Secrets it must not accept for access tokens (its refresh secret).
    pub foreign_secrets: Vec<String>,
}

/// A product's token keys and lifetimes.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    /// Whose tokens these are.
    pub identity: TokenIdentity,
    /// `JWT_SECRET`: signs access tokens.
    pub jwt_secret: Secret,
    /// `JWT_REFRESH_SECRET`: signs refresh tokens.
    pub jwt_refresh_secret: Secret,
    /// `JWT_ACCESS_TTL_SECS`.
    pub access_ttl_secs: i64,
    /// `JWT_REFRESH_TTL_SECS`: how long a session lasts, renewed by each refresh.
    pub refresh_ttl_secs: i64,
    /// `REFRESH_REUSE_GRACE_SECS` (10): how long a refresh token just replaced still gets
    /// the same new pair (a retry, a second tab) before a reuse ends the session.
    pub refresh_reuse_grace_secs: i64,
}

impl SessionSettings {
    /// From `env`, with the product's documented lifetimes as defaults.
    pub fn from_env(env: &Env, identity: TokenIdentity) -> Result<Self, ConfigError> {
        Ok(SessionSettings {
            identity,
            jwt_secret: env.secret("JWT_SECRET", MIN_SECRET_LEN)?,
            jwt_refresh_secret: env.secret("JWT_REFRESH_SECRET", MIN_SECRET_LEN)?,
            access_ttl_secs: env.parse_or("JWT_ACCESS_TTL_SECS", identity.access_ttl_secs)?,
            refresh_ttl_secs: env.parse_or("JWT_REFRESH_TTL_SECS", identity.refresh_ttl_secs)?,
            refresh_reuse_grace_secs: env.parse_or("REFRESH_REUSE_GRACE_SECS", 10)?,
        })
    }

    /// The product's sessions, kept in `store`.
    pub fn sessions(&self, store: DynStore) -> Sessions {
        let identity = self.identity;
        let tokens = Tokens::new(AuthConfig {
            access_secret: self.jwt_secret.clone(),
            refresh_secret: self.jwt_refresh_secret.clone(),
            issuer: identity.issuer.into(),
            audience: identity.audience.into(),
            access_ttl_secs: self.access_ttl_secs,
            refresh_ttl_secs: self.refresh_ttl_secs,
            refresh_reuse_grace_secs: self.refresh_reuse_grace_secs,
            claims: identity.claims,
        });
        Sessions::new(store, tokens)
    }

    /// The keys a harness forges the tokens it must refuse with (`Product::token_keys`).
    pub fn token_keys(&self) -> TokenKeys {
        let identity = self.identity;
        TokenKeys {
            access_secret: self.jwt_secret.expose().to_string(),
            issuer: identity.issuer.into(),
            audience: identity.audience.into(),
            foreign_secrets: vec![self.jwt_refresh_secret.expose().to_string()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDENTITY: TokenIdentity = TokenIdentity {
        issuer: "i",
        audience: "a",
        claims: ClaimNames::CAMEL,
        access_ttl_secs: 300,
        refresh_ttl_secs: 86400,
    };

    #[test]
    fn lifetimes_default_to_the_products_and_secrets_are_required() {
        let env = Env::given([
            ("JWT_SECRET", "a".repeat(32)),
            ("JWT_REFRESH_SECRET", "b".repeat(32)),
        ]);
        let settings = SessionSettings::from_env(&env, IDENTITY).unwrap();
        assert_eq!(
            (
                settings.access_ttl_secs,
                settings.refresh_ttl_secs,
                settings.refresh_reuse_grace_secs
            ),
            (300, 86400, 10)
        );
        let keys = settings.token_keys();
        assert_eq!(keys.foreign_secrets, ["b".repeat(32)]);
        let short = Env::given([("JWT_SECRET", "short"), ("JWT_REFRESH_SECRET", "short")]);
        assert!(SessionSettings::from_env(&short, IDENTITY).is_err());
        assert!(SessionSettings::from_env(&Env::given::<&str, &str>([]), IDENTITY).is_err());
    }
}
