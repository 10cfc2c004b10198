use web::auth::SessionSettings;
use web::config::{ConfigError, Env};
use web::layers::EdgeConfig;
use web::stripe::StripeSettings;

/// The marketplace's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct MarketplaceConfig {
    /// Token keys and lifetimes (`JWT_*`, `REFRESH_REUSE_GRACE_SECS`).
    pub sessions: SessionSettings,
    /// Rate limits, bans after refused sign-ins, and CORS origins.
    pub edge: EdgeConfig,
    /// Stripe's key and webhook secret (`STRIPE_*`): without them, payments answer 503.
    pub stripe: StripeSettings,
    /// `MAIL_FROM`: who the members' emails come from.
    pub mail_from: String,
    /// `EXPORT_INLINE_MAX_BYTES`: the largest export answered in the response (Lambda's
    /// answer holds 6 MB); a larger one is kept in the bucket behind a link.
    pub export_inline_max: usize,
}

impl MarketplaceConfig {
    /// From `env`: the function's environment in Lambda, `MARKETPLACE_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Ok(MarketplaceConfig {
            sessions: SessionSettings::from_env(env, crate::state::TOKENS)?,
            edge: EdgeConfig::from_env(env)?,
            stripe: StripeSettings::from_env(env),
            mail_from: env.string_or("MAIL_FROM", "Marketplace <no-reply@marketplace.local>"),
            export_inline_max: env.parse_or("EXPORT_INLINE_MAX_BYTES", 4_000_000)?,
        })
    }
}
