use crate::otp::LoginMode;
use web::auth::SessionSettings;
use web::config::{ConfigError, Env};
use web::layers::EdgeConfig;

/// Kbine's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct KbineConfig {
    /// Token keys and lifetimes (`JWT_*`, `REFRESH_REUSE_GRACE_SECS`).
    pub sessions: SessionSettings,
    /// Rate limits and CORS origins.
    pub edge: EdgeConfig,
    /// How clients log in (`LOGIN_MODE`: `phone`, the document's, or `otp`).
    pub login_mode: LoginMode,
}

impl KbineConfig {
    /// From `env`: the function's environment in Lambda, `KBINE_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Ok(KbineConfig {
            sessions: SessionSettings::from_env(env, crate::state::TOKENS)?,
            edge: EdgeConfig::from_env(env)?,
            login_mode: env.parse_or("LOGIN_MODE", LoginMode::Phone)?,
        })
    }
}
