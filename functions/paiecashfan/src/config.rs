use web::auth::SessionSettings;
use web::config::{ConfigError, Env};
use web::layers::EdgeConfig;
use web::stripe::StripeSettings;

/// PaieCashFan's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct PaieCashFanConfig {
    /// Token keys and lifetimes (`JWT_*`, `REFRESH_REUSE_GRACE_SECS`).
    pub sessions: SessionSettings,
    /// Rate limits and CORS origins.
    pub edge: EdgeConfig,
    /// Stripe's key and webhook secret (`STRIPE_*`): without them, deposits answer 503.
    pub stripe: StripeSettings,
    /// `ESIM_SMDP_ADDRESS`: the SM-DP+ server the eSIM activation codes name (the operator's
    /// in production).
    pub smdp_address: String,
    /// `TICKET_SIGNING_SECRET` (32 characters at least): every event's Ed25519 key is derived
    /// from it, so tickets stay verifiable as long as it is kept.
    pub ticket_secret: String,
}

impl PaieCashFanConfig {
    /// From `env`: the function's environment in Lambda, `PAIECASHFAN_...` on the local
    /// server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Ok(PaieCashFanConfig {
            sessions: SessionSettings::from_env(env, crate::state::TOKENS)?,
            edge: EdgeConfig::from_env(env)?,
            stripe: StripeSettings::from_env(env),
            smdp_address: env.string_or("ESIM_SMDP_ADDRESS", "smdp.paiecashfan.local"),
            ticket_secret: env.secret("TICKET_SIGNING_SECRET", 32)?.expose().to_owned(),
        })
    }
}
