use crate::LumiraConfig;
use blobs::DynBlobs;
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
    /// When this process started serving (the health routes' `uptime`).
    pub started: Instant,
}

impl AppState {
    pub fn new(store: DynStore, blobs: DynBlobs, config: LumiraConfig) -> Self {
        AppState {
            store,
            blobs,
            config: Arc::new(config),
            started: Instant::now(),
        }
    }
}
