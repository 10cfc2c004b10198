use crate::otp::LoginMode;
use web::config::{ConfigError, Env, Secret};

/// Kbine's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct KbineConfig {
    pub jwt_secret: Secret,
    pub jwt_refresh_secret: Secret,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    pub refresh_reuse_grace_secs: i64,
    pub rate_limit_max: u32,
    pub rate_limit_window_secs: i64,
    pub login_rate_limit_max: u32,
    pub login_rate_limit_window_secs: i64,
    pub cors_origins: String,
    /// How clients log in (`LOGIN_MODE`: `phone`, the document's, or `otp`).
    pub login_mode: LoginMode,
}

/// Shortest accepted JWT secret: HS256 wants at least 256 bits of key.
pub const MIN_SECRET_LEN: usize = 32;

impl KbineConfig {
    /// From `env`: the function's environment in Lambda, `KBINE_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Ok(KbineConfig {
            jwt_secret: env.secret("JWT_SECRET", MIN_SECRET_LEN)?,
            jwt_refresh_secret: env.secret("JWT_REFRESH_SECRET", MIN_SECRET_LEN)?,
            access_ttl_secs: env.parse_or("JWT_ACCESS_TTL_SECS", 3600)?,
            refresh_ttl_secs: env.parse_or("JWT_REFRESH_TTL_SECS", 30 * 24 * 3600)?,
            refresh_reuse_grace_secs: env.parse_or("REFRESH_REUSE_GRACE_SECS", 10)?,
            rate_limit_max: env.parse_or("RATE_LIMIT_MAX", 100)?,
            rate_limit_window_secs: env.parse_or("RATE_LIMIT_WINDOW_SECS", 900)?,
            login_rate_limit_max: env.parse_or("LOGIN_RATE_LIMIT_MAX", 5)?,
            login_rate_limit_window_secs: env.parse_or("LOGIN_RATE_LIMIT_WINDOW_SECS", 900)?,
            cors_origins: env.string_or("CORS_ORIGINS", "*"),
            login_mode: env.parse_or("LOGIN_MODE", LoginMode::Phone)?,
        })
    }

    /// Settings for tests and the local server, with the given secrets.
    pub fn with_secrets(jwt_secret: Secret, jwt_refresh_secret: Secret) -> Self {
        KbineConfig {
            jwt_secret,
            jwt_refresh_secret,
            access_ttl_secs: 3600,
            refresh_ttl_secs: 30 * 24 * 3600,
            refresh_reuse_grace_secs: 10,
            rate_limit_max: 100,
            rate_limit_window_secs: 900,
            login_rate_limit_max: 5,
            login_rate_limit_window_secs: 900,
            cors_origins: "*".into(),
            login_mode: LoginMode::Phone,
        }
    }
}
