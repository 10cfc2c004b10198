use web::config::{ConfigError, Env};

/// Lumira's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct LumiraConfig {
    pub rate_limit_max: u32,
    pub rate_limit_window_secs: i64,
    pub cors_origins: String,
    /// What `/api/health` calls the deployment (`production`, `development`).
    pub environment: String,
    /// Whether a Stripe secret key is set (the key itself is read by the payment routes).
    pub stripe_configured: bool,
}

impl LumiraConfig {
    /// From `env`: the function's environment in Lambda, `LUMIRA_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Ok(LumiraConfig {
            rate_limit_max: env.parse_or("RATE_LIMIT_MAX", 100)?,
            rate_limit_window_secs: env.parse_or("RATE_LIMIT_WINDOW_SECS", 900)?,
            cors_origins: env.string_or("CORS_ORIGINS", "*"),
            environment: env.string_or("ENVIRONMENT", "development"),
            stripe_configured: env.own_var("STRIPE_SECRET_KEY").is_some(),
        })
    }
}
