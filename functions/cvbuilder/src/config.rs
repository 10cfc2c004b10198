use web::auth::SessionSettings;
use web::config::{ConfigError, Env};
use web::layers::EdgeConfig;
use web::stripe::StripeSettings;

/// CV Builder's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct CvConfig {
    /// Token keys and lifetimes (`JWT_*`, `REFRESH_REUSE_GRACE_SECS`).
    pub sessions: SessionSettings,
    /// Rate limits and CORS origins.
    pub edge: EdgeConfig,
    /// Whether the `sessionid` cookie is marked `Secure` (served over HTTPS).
    pub secure_cookies: bool,
    pub stripe: StripeSettings,
}

impl CvConfig {
    /// From `env`: the function's environment in Lambda, `CVBUILDER_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Ok(CvConfig {
            sessions: SessionSettings::from_env(env, crate::state::TOKENS)?,
            edge: EdgeConfig::from_env(env)?,
            secure_cookies: env.parse_or("SECURE_COOKIES", true)?,
            stripe: StripeSettings::from_env(env),
        })
    }
}
