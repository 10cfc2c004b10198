//! What a WebSocket API's function receives and answers, wherever it runs: API Gateway's
//! three routes (`$connect`, `$disconnect`, `$default` for every frame), and the two
//! invocations of its own (the first frame once a connection is open, the heartbeat).

use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;

/// Which of API Gateway's routes brought an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Connect,
    Disconnect,
    Default,
}

impl Route {
    /// The route of an API Gateway route key (`$connect`...); any custom key is `$default`'s
    /// (this API declares no other).
    pub fn of_key(key: &str) -> Route {
        match key {
            "$connect" => Route::Connect,
            "$disconnect" => Route::Disconnect,
            _ => Route::Default,
        }
    }
}

/// One event of a connection.
#[derive(Debug, Clone, PartialEq)]
pub struct SocketEvent {
    pub route: Route,
    pub connection: String,
    /// The connection request's query string (`$connect` only).
    pub query: HashMap<String, String>,
    /// The frame's text (`$default` only).
    pub body: Option<String>,
}

/// The function's answer to an event. For `$connect`, a 2xx status accepts the connection
/// and any other refuses it (the client's handshake gets that status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketReply {
    pub status: u16,
    /// After an accepted `$connect`: run [`Endpoint::opened`] once API Gateway takes posts
    /// to the connection (the runner arranges it: API Gateway sends nothing itself).
    pub then_opened: bool,
}

impl SocketReply {
    pub const OK: SocketReply = SocketReply {
        status: 200,
        then_opened: false,
    };

    /// Accepts a connection, and sends its first frame as soon as it is open.
    pub const ACCEPT: SocketReply = SocketReply {
        status: 200,
        then_opened: true,
    };

    pub const fn refuse(status: u16) -> SocketReply {
        SocketReply {
            status,
            then_opened: false,
        }
    }

    pub fn accepted(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A product's WebSocket endpoint: the handlers its function runs in AWS and the local
/// gateway runs on this machine.
#[async_trait]
pub trait Endpoint: Send + Sync + 'static {
    async fn handle(&self, event: SocketEvent) -> SocketReply;

    /// Sends an accepted connection its first frame (Engine.IO's open packet), trying
    /// while API Gateway still answers that it is not open.
    async fn opened(&self, connection: &str);

    /// Keeps every open connection alive and checked (a scheduled run); what it did.
    async fn heartbeat(&self) -> Result<String, String>;
}

pub type DynEndpoint = Arc<dyn Endpoint>;
