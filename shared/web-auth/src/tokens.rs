use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;
use web_core::ApiError;
use web_core::config::Secret;
use web_core::ids::AccountId;

/// Token settings of one product: its own secrets, issuer and audience, so that a token of
/// one product is refused by another.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub access_secret: Secret,
    pub refresh_secret: Secret,
    pub issuer: String,
    pub audience: String,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    /// How long after a rotation the refresh token it replaced still answers the same new
    /// pair (two tabs, a lost response) instead of being taken for a stolen copy.
    pub refresh_reuse_grace_secs: i64,
    /// What the product's documents call the claims.
    pub claims: ClaimNames,
}

/// The names of the claims whose name differs between products; the registered claims
/// (`exp`, `iat`, `iss`, `aud`, `jti`) and `role`, `sid` keep theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimNames {
    pub user_id: &'static str,
    pub kind: &'static str,
}

impl ClaimNames {
    /// Kbine's documented token (`userId`, `type`), and the Express products'.
    pub const CAMEL: ClaimNames = ClaimNames {
        user_id: "userId",
        kind: "type",
    };
    /// Django REST Framework SimpleJWT's (`user_id`, `token_type`).
    pub const SIMPLE_JWT: ClaimNames = ClaimNames {
        user_id: "user_id",
        kind: "token_type",
    };

    /// Our claim names (serde's, [`ClaimNames::CAMEL`]) renamed to this product's, or back.
    fn rename(&self, claims: Value, to_product: bool) -> Value {
        let Value::Object(mut map) = claims else {
            return claims;
        };
        for (ours, theirs) in [
            (Self::CAMEL.user_id, self.user_id),
            (Self::CAMEL.kind, self.kind),
        ] {
            let (from, to) = if to_product {
                (ours, theirs)
            } else {
                (theirs, ours)
            };
            if from != to
                && let Some(value) = map.remove(from)
            {
                map.insert(to.to_string(), value);
            }
        }
        Value::Object(map)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccessClaims {
    #[serde(rename = "userId")]
    pub user_id: AccountId,
    /// Absent for products whose users have no role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
    pub aud: String,
    pub iss: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RefreshClaims {
    #[serde(rename = "userId")]
    pub user_id: AccountId,
    #[serde(rename = "type")]
    pub kind: String,
    pub sid: String,
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
    pub aud: String,
    pub iss: String,
}

/// Issues and verifies a product's tokens; the keys are built once at start.
#[derive(Clone)]
pub struct Tokens(Arc<Keys>);

struct Keys {
    config: AuthConfig,
    access_enc: EncodingKey,
    access_dec: DecodingKey,
    refresh_enc: EncodingKey,
    refresh_dec: DecodingKey,
    validation: Validation,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid token: {0}")]
pub struct TokenError(String);

const ACCESS: &str = "access";
const REFRESH: &str = "refresh";

impl Tokens {
    pub fn new(config: AuthConfig) -> Self {
        super::hmac_crypto::install();
        // Only HS256 is accepted: `alg: none` and algorithm swaps are refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[config.issuer.as_str()]);
        validation.set_audience(&[config.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud"]);
        validation.leeway = 0;
        Tokens(Arc::new(Keys {
            access_enc: EncodingKey::from_secret(config.access_secret.expose().as_bytes()),
            access_dec: DecodingKey::from_secret(config.access_secret.expose().as_bytes()),
            refresh_enc: EncodingKey::from_secret(config.refresh_secret.expose().as_bytes()),
            refresh_dec: DecodingKey::from_secret(config.refresh_secret.expose().as_bytes()),
            validation,
            config,
        }))
    }

    pub fn config(&self) -> &AuthConfig {
        &self.0.config
    }

    pub fn issue_access<'r>(
        &self,
        user_id: AccountId,
        role: impl Into<Option<&'r str>>,
        sid: &str,
    ) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = AccessClaims {
            user_id,
            role: role.into().map(str::to_string),
            kind: ACCESS.into(),
            sid: sid.to_string(),
            iat: now,
            exp: now + self.0.config.access_ttl_secs,
            aud: self.0.config.audience.clone(),
            iss: self.0.config.issuer.clone(),
        };
        self.sign(&claims, &self.0.access_enc)
    }

    pub fn issue_refresh(
        &self,
        user_id: AccountId,
        sid: &str,
        jti: &str,
    ) -> Result<String, ApiError> {
        self.issue_refresh_at(user_id, sid, jti, chrono::Utc::now().timestamp())
    }

    /// The refresh token issued at `now` (epoch seconds): the same claims give the same bytes,
    /// so a rotation's token can be given again.
    pub fn issue_refresh_at(
        &self,
        user_id: AccountId,
        sid: &str,
        jti: &str,
        now: i64,
    ) -> Result<String, ApiError> {
        let claims = RefreshClaims {
            user_id,
            kind: REFRESH.into(),
            sid: sid.to_string(),
            jti: jti.to_string(),
            iat: now,
            exp: now + self.0.config.refresh_ttl_secs,
            aud: self.0.config.audience.clone(),
            iss: self.0.config.issuer.clone(),
        };
        self.sign(&claims, &self.0.refresh_enc)
    }

    fn sign(&self, claims: &impl Serialize, key: &EncodingKey) -> Result<String, ApiError> {
        let header = Header::new(Algorithm::HS256);
        let names = self.0.config.claims;
        if names == ClaimNames::CAMEL {
            // The claims in their declared order: Kbine's tokens as they always were.
            return encode(&header, claims, key).map_err(ApiError::internal);
        }
        let claims = serde_json::to_value(claims).map_err(ApiError::internal)?;
        encode(&header, &names.rename(claims, true), key).map_err(ApiError::internal)
    }

    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let claims: AccessClaims = self.verify(token, &self.0.access_dec)?;
        if claims.kind != ACCESS {
            return Err(TokenError("not an access token".into()));
        }
        Ok(claims)
    }

    pub fn verify_refresh(&self, token: &str) -> Result<RefreshClaims, TokenError> {
        let claims: RefreshClaims = self.verify(token, &self.0.refresh_dec)?;
        if claims.kind != REFRESH {
            return Err(TokenError("not a refresh token".into()));
        }
        Ok(claims)
    }

    fn verify<T: DeserializeOwned>(&self, token: &str, key: &DecodingKey) -> Result<T, TokenError> {
        let claims = decode::<Value>(token, key, &self.0.validation)
            .map(|data| data.claims)
            .map_err(|e| TokenError(e.to_string()))?;
        let names = self.0.config.claims;
        // Claims under another product's names are not this product's token.
        let foreign = [ClaimNames::CAMEL.user_id, ClaimNames::CAMEL.kind]
            .into_iter()
            .filter(|name| *name != names.user_id && *name != names.kind)
            .any(|name| claims.get(name).is_some());
        if foreign {
            return Err(TokenError("claims named for another product".into()));
        }
        serde_json::from_value(names.rename(claims, false)).map_err(|e| TokenError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    fn config(secret: &str, audience: &str) -> AuthConfig {
        AuthConfig {
            access_secret: Secret::new(format!("{secret}-access-0123456789abcdef0123456789")),
            refresh_secret: Secret::new(format!("{secret}-refresh-0123456789abcdef0123456789")),
            issuer: "kbine-backend".into(),
            audience: audience.into(),
            access_ttl_secs: 3600,
            refresh_ttl_secs: 86400,
            refresh_reuse_grace_secs: 10,
            claims: ClaimNames::CAMEL,
        }
    }

    #[test]
    fn access_token_roundtrip_carries_documented_claims() {
        let tokens = Tokens::new(config("a", "kbine-client"));
        let token = tokens
            .issue_access(AccountId::Int(2), "admin", "s1")
            .unwrap();
        let claims = tokens.verify_access(&token).unwrap();
        assert_eq!(claims.user_id, AccountId::Int(2));
        assert_eq!(claims.role.as_deref(), Some("admin"));
        assert_eq!(claims.kind, "access");
        assert_eq!(claims.aud, "kbine-client");
        assert_eq!(claims.iss, "kbine-backend");
        // The claims in the document's order, as the tokens always were.
        let payload = URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap();
        let payload = String::from_utf8(payload).unwrap();
        assert!(
            payload.starts_with(r#"{"userId":2,"role":"admin","type":"access","sid":"s1","iat":"#),
            "{payload}"
        );
    }

    #[test]
    fn simplejwt_products_name_their_claims_as_simplejwt_does_and_may_have_no_role() {
        let mut cfg = config("a", "cvbuilder-client");
        cfg.claims = ClaimNames::SIMPLE_JWT;
        let tokens = Tokens::new(cfg);
        let token = tokens.issue_access(AccountId::Int(7), None, "s1").unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let raw: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(raw["user_id"], json!(7));
        assert_eq!(raw["token_type"], "access");
        assert!(raw.get("userId").is_none() && raw.get("role").is_none());
        let claims = tokens.verify_access(&token).unwrap();
        assert_eq!((claims.user_id, claims.role), (AccountId::Int(7), None));
        // A Kbine-named token is not one of this product's.
        let camel = Tokens::new(config("a", "cvbuilder-client"));
        assert!(
            tokens
                .verify_access(&camel.issue_access(AccountId::Int(7), "admin", "s").unwrap())
                .is_err()
        );
    }

    #[test]
    fn refresh_token_is_not_an_access_token() {
        let tokens = Tokens::new(config("a", "kbine-client"));
        let refresh = tokens.issue_refresh(AccountId::Int(2), "s1", "j1").unwrap();
        assert!(tokens.verify_access(&refresh).is_err());
        assert!(tokens.verify_refresh(&refresh).is_ok());
    }

    #[test]
    fn other_secret_or_audience_is_refused() {
        let ours = Tokens::new(config("a", "kbine-client"));
        let other_secret = Tokens::new(config("b", "kbine-client"));
        let other_audience = Tokens::new(config("a", "lumira-client"));
        let token = other_secret
            .issue_access(AccountId::Int(1), "admin", "s")
            .unwrap();
        assert!(ours.verify_access(&token).is_err());
        let token = other_audience
            .issue_access(AccountId::Int(1), "admin", "s")
            .unwrap();
        assert!(ours.verify_access(&token).is_err());
    }

    #[test]
    fn alg_none_is_refused() {
        let tokens = Tokens::new(config("a", "kbine-client"));
        let now = chrono::Utc::now().timestamp();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let claims = URL_SAFE_NO_PAD.encode(
            json!({"userId": 1, "role": "admin", "type": "access", "sid": "s", "iat": now,
                   "exp": now + 60, "aud": "kbine-client", "iss": "kbine-backend"})
            .to_string(),
        );
        assert!(
            tokens
                .verify_access(&format!("{header}.{claims}."))
                .is_err()
        );
    }

    #[test]
    fn expired_token_is_refused() {
        let mut cfg = config("a", "kbine-client");
        cfg.access_ttl_secs = -10;
        let tokens = Tokens::new(cfg);
        let token = tokens
            .issue_access(AccountId::Int(1), "client", "s")
            .unwrap();
        assert!(tokens.verify_access(&token).is_err());
    }
}
