//! How the sanctuaire signs clients in, and how often it lets them try (`SANCTUAIRE_*`).

use std::str::FromStr;
use web::config::{ConfigError, Env};
use web::rate_limit::RateLimit;

/// How the sanctuaire signs clients in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A one-time link by email (the default).
    MagicLink,
    /// The document's: a token for the email alone.
    Token,
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "magic_link" => Ok(Mode::MagicLink),
            "token" => Ok(Mode::Token),
            _ => Err("expected magic_link or token".into()),
        }
    }
}

/// The sanctuaire's settings, read once from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `SANCTUAIRE_MODE`: `magic_link` or `token`.
    pub mode: Mode,
    /// The page a sign-in link opens, with `?token=<code>` added (the shop's sanctuaire).
    pub link_url: String,
    /// How long a sign-in link may be used.
    pub link_ttl_secs: i64,
    /// Sign-in requests per IP, and per email, in their windows.
    pub rate_limit_max: u32,
    pub email_rate_limit_max: u32,
    pub rate_limit_window_secs: i64,
}

impl Settings {
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        Ok(Settings {
            mode: env.parse_or("SANCTUAIRE_MODE", Mode::MagicLink)?,
            link_url: env.string_or("SANCTUAIRE_LINK_URL", "http://127.0.0.1:5173/sanctuaire"),
            link_ttl_secs: env.parse_or("SANCTUAIRE_LINK_TTL_SECS", 900)?,
            rate_limit_max: env.parse_or("SANCTUAIRE_RATE_LIMIT_MAX", 10)?,
            email_rate_limit_max: env.parse_or("SANCTUAIRE_EMAIL_RATE_LIMIT_MAX", 5)?,
            rate_limit_window_secs: env.parse_or("SANCTUAIRE_RATE_LIMIT_WINDOW_SECS", 900)?,
        })
    }

    /// The per-IP limit, counted by the app's rate-limit layer before the handler runs.
    pub fn ip_limit(&self) -> RateLimit {
        RateLimit {
            scope: "sanctuaire",
            max: self.rate_limit_max,
            window_secs: self.rate_limit_window_secs,
            message: "Too many sign-in attempts, please try again later",
        }
    }

    /// The per-email limit, counted by the sign-in itself.
    pub fn email_limit(&self) -> RateLimit {
        RateLimit {
            scope: "sanctuaire_email",
            max: self.email_rate_limit_max,
            window_secs: self.rate_limit_window_secs,
            message: "Too many sign-in attempts for this email, please try again later",
        }
    }
}
