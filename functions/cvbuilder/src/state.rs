use crate::CvConfig;
use crate::export::{DynPdfs, NoPdfs};
use blobs::DynBlobs;
use payments::{DynGateway, NotConfigured};
use std::sync::Arc;
use store::DynStore;
use web::auth::{AuthConfig, AuthState, ClaimNames, Sessions, Tokens};

pub const ISSUER: &str = "cvbuilder-backend";
pub const AUDIENCE: &str = "cvbuilder-client";

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
        let tokens = Tokens::new(AuthConfig {
            access_secret: config.jwt_secret.clone(),
            refresh_secret: config.jwt_refresh_secret.clone(),
            issuer: ISSUER.into(),
            audience: AUDIENCE.into(),
            access_ttl_secs: config.access_ttl_secs,
            refresh_ttl_secs: config.refresh_ttl_secs,
            refresh_reuse_grace_secs: config.refresh_reuse_grace_secs,
            claims: ClaimNames::SIMPLE_JWT,
        });
        AppState {
            sessions: Sessions::new(store.clone(), tokens),
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
