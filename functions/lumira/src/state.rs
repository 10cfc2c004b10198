use crate::LumiraConfig;
use crate::reading::{DynReadings, NoReadings};
use blobs::DynBlobs;
use messaging::{DynMail, NoMail};
use payments::DynGateway;
use std::sync::Arc;
use std::time::Instant;
use store::DynStore;
use web::auth::{AuthState, ClaimNames, Sessions, TokenIdentity};

pub const ISSUER: &str = "lumira-backend";
pub const AUDIENCE: &str = "lumira-client";

/// Who issues the product's tokens, for whom, under which claim names.
pub const TOKENS: TokenIdentity = TokenIdentity {
    issuer: ISSUER,
    audience: AUDIENCE,
    claims: ClaimNames::CAMEL,
    access_ttl_secs: 3600,
    refresh_ttl_secs: 7 * 24 * 3600,
};

/// Built once at start and shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    /// Staff and sanctuaire sessions, and the token keys (`sessions.tokens()`).
    pub sessions: Sessions,
    /// Uploaded photos and generated readings, under Lumira's prefix.
    pub blobs: DynBlobs,
    pub config: Arc<LumiraConfig>,
    /// Stripe, or the gateway that answers 503 when no key is set.
    pub gateway: DynGateway,
    /// Where the shop's emails go (SES in Lambda, the outbox locally).
    pub mail: DynMail,
    /// Renders delivered readings (only the delivery function's can).
    pub readings: DynReadings,
    /// When this process started serving (the health routes' `uptime`).
    pub started: Instant,
}

impl AppState {
    pub fn new(
        store: DynStore,
        blobs: DynBlobs,
        gateway: DynGateway,
        config: LumiraConfig,
    ) -> Self {
        AppState {
            sessions: config.sessions.sessions(store.clone()),
            store,
            blobs,
            gateway,
            mail: Arc::new(NoMail),
            readings: Arc::new(NoReadings),
            config: Arc::new(config),
            started: Instant::now(),
        }
    }

    /// Renders readings with `readings`.
    pub fn with_readings(mut self, readings: DynReadings) -> Self {
        self.readings = readings;
        self
    }

    /// Sends the shop's emails through `mail`.
    pub fn with_mail(mut self, mail: DynMail) -> Self {
        self.mail = mail;
        self
    }
}

impl AuthState for AppState {
    fn sessions(&self) -> &Sessions {
        &self.sessions
    }
}
