use crate::LumiraConfig;
use blobs::DynBlobs;
use payments::DynGateway;
use std::sync::Arc;
use std::time::Instant;
use store::DynStore;

/// Built once at start and shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    /// Uploaded photos and generated readings, under Lumira's prefix.
    pub blobs: DynBlobs,
    pub config: Arc<LumiraConfig>,
    /// Stripe, or the gateway that answers 503 when no key is set.
    pub gateway: DynGateway,
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
            store,
            blobs,
            gateway,
            config: Arc::new(config),
            started: Instant::now(),
        }
    }
}
