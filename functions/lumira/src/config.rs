use payments::stripe::StripeGateway;
use payments::{DynGateway, NotConfigured};
use std::sync::Arc;
use web::config::{ConfigError, Env};

/// Lumira's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct LumiraConfig {
    pub rate_limit_max: u32,
    pub rate_limit_window_secs: i64,
    pub cors_origins: String,
    /// What `/api/health` calls the deployment (`production`, `development`).
    pub environment: String,
    /// Stripe's secret key (`sk_...`; a test key for a local stand-in): without it, payment
    /// routes answer 503.
    pub stripe_secret_key: Option<String>,
    /// Where Stripe's API is, when not `https://api.stripe.com/` (localstripe).
    pub stripe_api_base: Option<String>,
    /// The webhook endpoint's signing secret (`whsec_...`): without it, webhooks answer 503.
    pub stripe_webhook_secret: Option<String>,
}

impl LumiraConfig {
    /// Whether a Stripe secret key is set.
    pub fn stripe_configured(&self) -> bool {
        self.stripe_secret_key.is_some()
    }
}

impl LumiraConfig {
    /// From `env`: the function's environment in Lambda, `LUMIRA_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let stripe_api_base = env.var("STRIPE_API_BASE").filter(|u| !u.is_empty());
        Ok(LumiraConfig {
            rate_limit_max: env.parse_or("RATE_LIMIT_MAX", 100)?,
            rate_limit_window_secs: env.parse_or("RATE_LIMIT_WINDOW_SECS", 900)?,
            cors_origins: env.string_or("CORS_ORIGINS", "*"),
            environment: env.string_or("ENVIRONMENT", "development"),
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
