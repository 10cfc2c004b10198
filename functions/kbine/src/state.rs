use crate::KbineConfig;
use crate::events::{Events, LogEvents};
use messaging::{DynSms, NoSms};
use std::sync::Arc;
use store::DynStore;
use web::auth::{AuthState, ClaimNames, Sessions, TokenIdentity};

/// Built once at start and shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    /// Refresh sessions, and the product's token keys (`sessions.tokens()`).
    pub sessions: Sessions,
    pub events: Arc<dyn Events>,
    /// Where login codes go (`LOGIN_MODE=otp`).
    pub sms: DynSms,
    pub config: Arc<KbineConfig>,
}

pub const ISSUER: &str = "kbine-backend";
pub const AUDIENCE: &str = "kbine-client";

/// Who issues the product's tokens, for whom, under which claim names.
pub const TOKENS: TokenIdentity = TokenIdentity {
    issuer: ISSUER,
    audience: AUDIENCE,
    claims: ClaimNames::CAMEL,
    access_ttl_secs: 3600,
    refresh_ttl_secs: 30 * 24 * 3600,
};

impl AppState {
    pub fn new(store: DynStore, config: KbineConfig) -> Self {
        AppState {
            sessions: config.sessions.sessions(store.clone()),
            store,
            events: Arc::new(LogEvents),
            sms: Arc::new(NoSms),
            config: Arc::new(config),
        }
    }

    /// Sends login codes through `sms`.
    pub fn with_sms(mut self, sms: DynSms) -> Self {
        self.sms = sms;
        self
    }

    /// Sends order events to the Socket.IO clients of the WebSocket API `live` posts to.
    pub fn with_live(self, live: Option<web::live::DynGateway>) -> Self {
        let Some(gateway) = live else {
            return self;
        };
        let live = web::live::Live::new(self.sessions.clone(), gateway);
        self.with_events(Arc::new(crate::events::LiveEvents { live }))
    }

    /// Replaces where order events go (live updates, or a recorder in tests).
    pub fn with_events(mut self, events: Arc<dyn Events>) -> Self {
        self.events = events;
        self
    }
}

impl AuthState for AppState {
    fn sessions(&self) -> &Sessions {
        &self.sessions
    }
}
