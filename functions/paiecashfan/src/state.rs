use crate::PaieCashFanConfig;
use payments::DynGateway;
use std::sync::Arc;
use store::DynStore;
use web::auth::{AuthState, ClaimNames, Sessions, TokenIdentity};

/// Who issues PaieCashFan's tokens, for whom, under which claim names, for how long.
pub const TOKENS: TokenIdentity = TokenIdentity {
    issuer: "paiecashfan-backend",
    audience: "paiecashfan-client",
    claims: ClaimNames::CAMEL,
    access_ttl_secs: 3600,
    refresh_ttl_secs: 30 * 24 * 3600,
};

/// Built once at start and shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    /// Refresh sessions, and the token keys (`sessions.tokens()`).
    pub sessions: Sessions,
    /// Stripe, or the gateway that answers 503 when no key is set.
    pub gateway: DynGateway,
    pub config: Arc<PaieCashFanConfig>,
    /// Where live messages go (the WebSocket API), when there is one.
    pub live: Option<web::live::Live>,
}

impl AppState {
    pub fn new(store: DynStore, gateway: DynGateway, config: PaieCashFanConfig) -> Self {
        AppState {
            sessions: config.sessions.sessions(store.clone()),
            store,
            gateway,
            config: Arc::new(config),
            live: None,
        }
    }

    /// Sends live messages through the WebSocket API `live` posts to.
    pub fn with_live(mut self, live: Option<web::live::DynGateway>) -> Self {
        self.live = live.map(|gateway| web::live::Live::new(self.sessions.clone(), gateway));
        self
    }
}

impl AuthState for AppState {
    fn sessions(&self) -> &Sessions {
        &self.sessions
    }
}
