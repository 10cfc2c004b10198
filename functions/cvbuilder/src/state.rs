use crate::CvConfig;
use crate::export::{DynPdfs, NoPdfs};
use blobs::DynBlobs;
use payments::{DynGateway, NotConfigured};
use std::sync::Arc;
use store::DynStore;
use web::auth::{AuthState, ClaimNames, Sessions, TokenIdentity};

pub const ISSUER: &str = "cvbuilder-backend";
pub const AUDIENCE: &str = "cvbuilder-client";

/// Who issues the product's tokens, for whom, under which claim names.
pub const TOKENS: TokenIdentity = TokenIdentity {
    issuer: ISSUER,
    audience: AUDIENCE,
    claims: ClaimNames::SIMPLE_JWT,
    // SimpleJWT's lifetimes: five minutes and one day.
    access_ttl_secs: 5 * 60,
    refresh_ttl_secs: 24 * 3600,
};

/// Built once at start and shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    /// Refresh sessions, and the token keys (`sessions.tokens()`).
    pub sessions: Sessions,
    pub config: Arc<CvConfig>,
    /// Exported PDFs (and, later, photos), private, under CV Builder's prefix.
    pub blobs: DynBlobs,
    /// What typesets résumés: only the export function carries the PDF engine.
    pub pdfs: DynPdfs,
    /// Stripe: only the payments function carries its client.
    pub gateway: DynGateway,
}

impl AppState {
    pub fn new(store: DynStore, blobs: DynBlobs, config: CvConfig) -> Self {
        AppState {
            sessions: config.sessions.sessions(store.clone()),
            store,
            config: Arc::new(config),
            blobs,
            pdfs: Arc::new(NoPdfs),
            gateway: Arc::new(NotConfigured),
        }
    }

    pub fn with_gateway(mut self, gateway: DynGateway) -> Self {
        self.gateway = gateway;
        self
    }

    pub fn with_pdfs(mut self, pdfs: DynPdfs) -> Self {
        self.pdfs = pdfs;
        self
    }
}

impl AuthState for AppState {
    fn sessions(&self) -> &Sessions {
        &self.sessions
    }
}
