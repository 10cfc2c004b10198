use crate::MarketplaceConfig;
use crate::reports::{DynReports, NoReports};
use blobs::DynBlobs;
use messaging::{DynMail, NoMail};
use payments::DynGateway;
use std::sync::Arc;
use store::DynStore;
use web::auth::{AuthState, ClaimNames, Sessions, TokenIdentity};

/// Who issues the marketplace's tokens, for whom, under which claim names, for how long.
pub const TOKENS: TokenIdentity = TokenIdentity {
    issuer: "marketplace-backend",
    audience: "marketplace-client",
    claims: ClaimNames::CAMEL,
    access_ttl_secs: 3600,
    refresh_ttl_secs: 30 * 24 * 3600,
};

/// Built once at start and shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    /// The applicants' documents, private, under the marketplace's prefix.
    pub blobs: DynBlobs,
    /// Refresh sessions, and the token keys (`sessions.tokens()`).
    pub sessions: Sessions,
    /// Stripe, or the gateway that answers 503 when no key is set.
    pub gateway: DynGateway,
    /// The members' emails (none until [`AppState::with_mail`]).
    pub mail: DynMail,
    /// Renders the global report (only the report's function can).
    pub reports: DynReports,
    pub config: Arc<MarketplaceConfig>,
}

impl AppState {
    pub fn new(
        store: DynStore,
        blobs: DynBlobs,
        gateway: DynGateway,
        config: MarketplaceConfig,
    ) -> Self {
        AppState {
            sessions: config.sessions.sessions(store.clone()),
            store,
            blobs,
            gateway,
            mail: Arc::new(NoMail),
            reports: Arc::new(NoReports),
            config: Arc::new(config),
        }
    }
}

impl AppState {
    /// Renders the global report with `reports`.
    pub fn with_reports(mut self, reports: DynReports) -> Self {
        self.reports = reports;
        self
    }

    /// Sends the members' emails through `mail`.
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
