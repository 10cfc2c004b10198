use web::auth::SessionSettings;
use web::config::{ConfigError, Env};
use web::layers::EdgeConfig;
use web::stripe::StripeSettings;

/// Lumira's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct LumiraConfig {
    /// Token keys and lifetimes (`JWT_*`, `REFRESH_REUSE_GRACE_SECS`).
    pub sessions: SessionSettings,
    /// Rate limits and CORS origins.
    pub edge: EdgeConfig,
    /// What `/api/health` calls the deployment (`production`, `development`).
    pub environment: String,
    /// How the sanctuaire signs clients in (`SANCTUAIRE_*`).
    pub sanctuaire: crate::sanctuaire::Settings,
    /// The experts' desk, which the emails telling them of a reading to validate link to.
    pub expert_desk_url: String,
    /// Who the shop's emails come from (an address SES has verified in Lambda).
    pub mail_from: String,
    pub stripe: StripeSettings,
    /// `STRIPE_CONFIGURED`: whether the payment functions hold a Stripe key, for a function
    /// that reports it without holding the key itself (health, in `template.yaml`).
    pub stripe_configured_elsewhere: bool,
}

impl LumiraConfig {
    /// Whether payments are configured: a Stripe key is set here, or in the payment functions.
    pub fn stripe_configured(&self) -> bool {
        self.stripe.secret_key.is_some() || self.stripe_configured_elsewhere
    }

    /// From `env`: the function's environment in Lambda, `LUMIRA_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Ok(LumiraConfig {
            sessions: SessionSettings::from_env(env, crate::state::TOKENS)?,
            edge: EdgeConfig::from_env(env)?,
            environment: env.string_or("ENVIRONMENT", "development"),
            sanctuaire: crate::sanctuaire::Settings::from_env(env)?,
            expert_desk_url: env.string_or("EXPERT_DESK_URL", "http://127.0.0.1:5173/expert"),
            mail_from: env.string_or("MAIL_FROM", "Oracle Lumira <no-reply@lumira.local>"),
            stripe: StripeSettings::from_env(env),
            stripe_configured_elsewhere: env.parse_or("STRIPE_CONFIGURED", false)?,
        })
    }
}
