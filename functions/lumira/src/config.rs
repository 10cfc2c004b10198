use web::config::{ConfigError, Env, Secret};
use web::stripe::StripeSettings;

/// Shortest accepted JWT secret: HS256 wants at least 256 bits of key.
pub const MIN_SECRET_LEN: usize = 32;

/// Lumira's settings, read once from the environment (the README lists them).
#[derive(Debug, Clone)]
pub struct LumiraConfig {
    /// Signs access tokens (staff logins and sanctuaire tokens).
    pub jwt_secret: Secret,
    /// Signs staff refresh tokens; never the access secret.
    pub jwt_refresh_secret: Secret,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    pub refresh_reuse_grace_secs: i64,
    /// Staff login attempts per IP in one window.
    pub login_rate_limit_max: u32,
    pub login_rate_limit_window_secs: i64,
    pub rate_limit_max: u32,
    pub rate_limit_window_secs: i64,
    pub cors_origins: String,
    /// What `/api/health` calls the deployment (`production`, `development`).
    pub environment: String,
    /// How the sanctuaire signs clients in (`SANCTUAIRE_MODE`: `magic_link` or `token`).
    pub sanctuaire_mode: crate::sanctuaire::Mode,
    /// The page a sign-in link opens, with `?token=<code>` added (the shop's sanctuaire).
    pub sanctuaire_link_url: String,
    /// How long a sign-in link may be used.
    pub sanctuaire_link_ttl_secs: i64,
    /// Sanctuaire sign-in requests per IP, and per email, in their windows.
    pub sanctuaire_rate_limit_max: u32,
    pub sanctuaire_email_rate_limit_max: u32,
    pub sanctuaire_rate_limit_window_secs: i64,
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
}

impl LumiraConfig {
    /// From `env`: the function's environment in Lambda, `LUMIRA_...` on the local server.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Ok(LumiraConfig {
            jwt_secret: env.secret("JWT_SECRET", MIN_SECRET_LEN)?,
            jwt_refresh_secret: env.secret("JWT_REFRESH_SECRET", MIN_SECRET_LEN)?,
            access_ttl_secs: env.parse_or("JWT_ACCESS_TTL_SECS", 3600)?,
            refresh_ttl_secs: env.parse_or("JWT_REFRESH_TTL_SECS", 7 * 24 * 3600)?,
            refresh_reuse_grace_secs: env.parse_or("REFRESH_REUSE_GRACE_SECS", 10)?,
            login_rate_limit_max: env.parse_or("LOGIN_RATE_LIMIT_MAX", 5)?,
            login_rate_limit_window_secs: env.parse_or("LOGIN_RATE_LIMIT_WINDOW_SECS", 900)?,
            rate_limit_max: env.parse_or("RATE_LIMIT_MAX", 100)?,
            rate_limit_window_secs: env.parse_or("RATE_LIMIT_WINDOW_SECS", 900)?,
            cors_origins: env.string_or("CORS_ORIGINS", "*"),
            environment: env.string_or("ENVIRONMENT", "development"),
            sanctuaire_mode: env.parse_or("SANCTUAIRE_MODE", crate::sanctuaire::Mode::MagicLink)?,
            sanctuaire_link_url: env
                .string_or("SANCTUAIRE_LINK_URL", "http://127.0.0.1:5173/sanctuaire"),
            sanctuaire_link_ttl_secs: env.parse_or("SANCTUAIRE_LINK_TTL_SECS", 900)?,
            sanctuaire_rate_limit_max: env.parse_or("SANCTUAIRE_RATE_LIMIT_MAX", 10)?,
            sanctuaire_email_rate_limit_max: env.parse_or("SANCTUAIRE_EMAIL_RATE_LIMIT_MAX", 5)?,
            sanctuaire_rate_limit_window_secs: env
                .parse_or("SANCTUAIRE_RATE_LIMIT_WINDOW_SECS", 900)?,
            expert_desk_url: env.string_or("EXPERT_DESK_URL", "http://127.0.0.1:5173/expert"),
            mail_from: env.string_or("MAIL_FROM", "Oracle Lumira <no-reply@lumira.local>"),
            stripe: StripeSettings::from_env(env),
            stripe_configured_elsewhere: env.parse_or("STRIPE_CONFIGURED", false)?,
        })
    }
}
