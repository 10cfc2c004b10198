use payments::stripe::StripeGateway;
use payments::{DynGateway, NotConfigured};
use std::sync::Arc;
use web::config::{ConfigError, Env, Secret};

/// CV Builder's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct CvConfig {
    pub jwt_secret: Secret,
    pub jwt_refresh_secret: Secret,
    /// SimpleJWT's defaults: five minutes and one day.
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    pub refresh_reuse_grace_secs: i64,
    pub rate_limit_max: u32,
    pub rate_limit_window_secs: i64,
    pub login_rate_limit_max: u32,
    pub login_rate_limit_window_secs: i64,
    pub cors_origins: String,
    /// Whether the `sessionid` cookie is marked `Secure` (served over HTTPS).
    pub secure_cookies: bool,
    /// Stripe's secret key; none: the payment routes answer 503.
    pub stripe_secret_key: Option<String>,
    /// Where Stripe's API is, when not `https://api.stripe.com/` (localstripe).
    pub stripe_api_base: Option<String>,
    /// The webhook endpoint's signing secret (`whsec_...`); none: the webhook answers 503.
    pub stripe_webhook_secret: Option<String>,
}

/// Shortest accepted JWT secret: HS256 wants at least 256 bits of key.
pub const MIN_SECRET_LEN: usize = 32;

impl CvConfig {
    /// From `env`: the function's environment in Lambda, `CVBUILDER_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let stripe_api_base = env.var("STRIPE_API_BASE").filter(|u| !u.is_empty());
        Ok(CvConfig {
            jwt_secret: env.secret("JWT_SECRET", MIN_SECRET_LEN)?,
            jwt_refresh_secret: env.secret("JWT_REFRESH_SECRET", MIN_SECRET_LEN)?,
            access_ttl_secs: env.parse_or("JWT_ACCESS_TTL_SECS", 5 * 60)?,
            refresh_ttl_secs: env.parse_or("JWT_REFRESH_TTL_SECS", 24 * 3600)?,
            refresh_reuse_grace_secs: env.parse_or("REFRESH_REUSE_GRACE_SECS", 10)?,
            rate_limit_max: env.parse_or("RATE_LIMIT_MAX", 100)?,
            rate_limit_window_secs: env.parse_or("RATE_LIMIT_WINDOW_SECS", 900)?,
            login_rate_limit_max: env.parse_or("LOGIN_RATE_LIMIT_MAX", 5)?,
            login_rate_limit_window_secs: env.parse_or("LOGIN_RATE_LIMIT_WINDOW_SECS", 900)?,
            cors_origins: env.string_or("CORS_ORIGINS", "*"),
            secure_cookies: env.parse_or("SECURE_COOKIES", true)?,
            stripe_secret_key: payments::stripe::key_for(
                env.own_var("STRIPE_SECRET_KEY").as_deref(),
                stripe_api_base.as_deref(),
            ),
            stripe_api_base,
            stripe_webhook_secret: env
                .own_var("STRIPE_WEBHOOK_SECRET")
                .filter(|s| !s.is_empty()),
        })
    }

    /// The payment gateway these settings describe.
    pub fn gateway(&self) -> Result<DynGateway, ConfigError> {
        let Some(key) = &self.stripe_secret_key else {
            return Ok(Arc::new(NotConfigured));
        };
        let stripe = StripeGateway::new(key, self.stripe_api_base.as_deref()).map_err(|e| {
            ConfigError::Invalid {
                name: "STRIPE_SECRET_KEY".into(),
                reason: e.to_string(),
            }
        })?;
        Ok(Arc::new(stripe))
    }
}
