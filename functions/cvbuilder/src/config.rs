use web::config::{ConfigError, Env, Secret};
use web::stripe::StripeSettings;

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
    pub stripe: StripeSettings,
}

/// Shortest accepted JWT secret: HS256 wants at least 256 bits of key.
pub const MIN_SECRET_LEN: usize = 32;

impl CvConfig {
    /// From `env`: the function's environment in Lambda, `CVBUILDER_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
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
            stripe: StripeSettings::from_env(env),
        })
    }
}
