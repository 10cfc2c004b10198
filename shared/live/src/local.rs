//! The local gateway: a product's WebSocket API on this machine, behaving as API Gateway
//! does, so that what passes here is what runs in AWS.
//!
//! - A handshake on the API's path is a `$connect` event first: a 2xx answer upgrades the
//!   connection, any other status refuses the handshake with it.
//! - Each text frame is a `$default` event, and a closed socket a `$disconnect`.
//! - The management API is served beside it (`/@connections/{id}`: POST, GET, DELETE), for
//!   the AWS SDK's client; it answers 410 Gone for a connection that is not open, during
//!   `$connect` too.
//! - Frames over 32 KB from a client close its connection; posts over 128 KB are refused
//!   (413). Connections close after 10 idle minutes, and after 2 hours in any case.
//! - An accepted connection's follow-up ([`Endpoint::opened`]) runs on a task of its own
//!   once `$connect` returns, as the function's asynchronous self-invocation does in AWS.

use crate::endpoint::{DynEndpoint, Route, SocketEvent};
use axum::Router;
use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// API Gateway's limits, which the local gateway keeps.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_lifetime: Duration,
    pub idle_timeout: Duration,
    /// The largest frame a client may send.
    pub max_frame: usize,
    /// The largest message a post may carry.
    pub max_post: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_lifetime: Duration::from_secs(2 * 3600),
            idle_timeout: Duration::from_secs(600),
            max_frame: 32 * 1024,
            max_post: 128 * 1024,
        }
    }
}

enum Outgoing {
    Text(String),
    Close,
}

enum Socket {
    /// `$connect` is running, or has just returned: posts are refused.
    Connecting,
    Open {
        sender: mpsc::UnboundedSender<Outgoing>,
        connected_at: chrono::DateTime<chrono::Utc>,
    },
}

#[derive(Clone)]
struct Gateway {
    endpoint: DynEndpoint,
    sockets: Arc<Mutex<HashMap<String, Socket>>>,
    limits: Limits,
}

impl Gateway {
    fn set(&self, id: &str, socket: Option<Socket>) {
        if let Ok(mut sockets) = self.sockets.lock() {
            match socket {
                Some(socket) => sockets.insert(id.to_owned(), socket),
                None => sockets.remove(id),
            };
        }
    }

    /// The open socket `id`'s sender, and when it opened.
    fn open(&self, id: &str) -> Option<(mpsc::UnboundedSender<Outgoing>, String)> {
        let sockets = self.sockets.lock().ok()?;
        match sockets.get(id)? {
            Socket::Open {
                sender,
                connected_at,
            } => Some((sender.clone(), connected_at.to_rfc3339())),
            Socket::Connecting => None,
        }
    }
}

/// The router of the WebSocket API served at `path` (`/socket.io/`; with or without its
/// trailing slash) running `endpoint`, and its management API.
pub fn router(path: &str, endpoint: DynEndpoint, limits: Limits) -> Router {
    let gateway = Gateway {
        endpoint,
        sockets: Arc::default(),
        limits,
    };
    let trimmed = path.trim_end_matches('/');
    let mut router = Router::new().route(
        "/@connections/{id}",
        get(get_connection)
            .post(post_to_connection)
            .delete(delete_connection),
    );
    for path in [trimmed, &format!("{trimmed}/")] {
        if !path.is_empty() {
            router = router.route(path, get(handshake));
        }
    }
    if trimmed.is_empty() {
        router = router.route("/", get(handshake));
    }
    router.with_state(gateway)
}

/// An id of API Gateway's shape (16 characters of base64, `=` included).
fn connection_id() -> String {
    let random = uuid::Uuid::new_v4();
    base64::engine::general_purpose::STANDARD.encode(&random.as_bytes()[..11])
}

async fn handshake(
    State(gateway): State<Gateway>,
    Query(query): Query<HashMap<String, String>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let id = connection_id();
    gateway.set(&id, Some(Socket::Connecting));
    let connect = SocketEvent {
        route: Route::Connect,
        connection: id.clone(),
        query,
        body: None,
    };
    let reply = gateway.endpoint.handle(connect).await;
    if !reply.accepted() {
        gateway.set(&id, None);
        let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::FORBIDDEN);
        return status.into_response();
    }
    if reply.then_opened {
        let (endpoint, id) = (gateway.endpoint.clone(), id.clone());
        tokio::spawn(async move { endpoint.opened(&id).await });
    }
    let limits = gateway.limits;
    upgrade
        .max_frame_size(limits.max_frame)
        .max_message_size(limits.max_frame)
        .on_upgrade(move |socket| run(gateway, id, socket))
}

/// Carries a connection's frames both ways until either side closes it or a limit does.
async fn run(gateway: Gateway, id: String, mut socket: WebSocket) {
    let (sender, mut outgoing) = mpsc::unbounded_channel();
    gateway.set(
        &id,
        Some(Socket::Open {
            sender,
            connected_at: chrono::Utc::now(),
        }),
    );
    let limits = gateway.limits;
    let ends = tokio::time::Instant::now() + limits.max_lifetime;
    let mut last_active = Instant::now();
    loop {
        let idle_ends = tokio::time::Instant::from_std(last_active + limits.idle_timeout);
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    last_active = Instant::now();
                    let frame = SocketEvent {
                        route: Route::Default,
                        connection: id.clone(),
                        query: HashMap::new(),
                        body: Some(text.to_string()),
                    };
                    gateway.endpoint.handle(frame).await;
                }
                Some(Ok(Message::Binary(_) | Message::Ping(_) | Message::Pong(_))) => {
                    last_active = Instant::now();
                }
                // Closed by the client, or a frame over the limit.
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
            out = outgoing.recv() => match out {
                Some(Outgoing::Text(text)) => {
                    last_active = Instant::now();
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Close) | None => {
                    let _ = socket.send(Message::Close(Some(CloseFrame {
                        code: 1000,
                        reason: "".into(),
                    }))).await;
                    break;
                }
            },
            () = tokio::time::sleep_until(ends) => break,
            () = tokio::time::sleep_until(idle_ends) => break,
        }
    }
    gateway.set(&id, None);
    let disconnect = SocketEvent {
        route: Route::Disconnect,
        connection: id,
        query: HashMap::new(),
        body: None,
    };
    gateway.endpoint.handle(disconnect).await;
}

/// API Gateway's error answer: its type in `x-amzn-ErrorType`, as the SDK reads it.
fn management_error(status: StatusCode, kind: &str) -> Response {
    let body = serde_json::json!({ "message": kind }).to_string();
    (status, [("x-amzn-ErrorType", kind)], body).into_response()
}

fn gone() -> Response {
    management_error(StatusCode::GONE, "GoneException")
}

async fn post_to_connection(
    State(gateway): State<Gateway>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if body.len() > gateway.limits.max_post {
        return management_error(StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLargeException");
    }
    let Some((sender, _)) = gateway.open(&id) else {
        return gone();
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    match sender.send(Outgoing::Text(text)) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(_) => gone(),
    }
}

async fn get_connection(State(gateway): State<Gateway>, Path(id): Path<String>) -> Response {
    match gateway.open(&id) {
        Some((_, connected_at)) => axum::Json(serde_json::json!({
            "connectedAt": connected_at,
            "identity": {"sourceIp": "127.0.0.1"},
            "lastActiveAt": connected_at,
        }))
        .into_response(),
        None => gone(),
    }
}

async fn delete_connection(State(gateway): State<Gateway>, Path(id): Path<String>) -> Response {
    match gateway.open(&id) {
        Some((sender, _)) => {
            let _ = sender.send(Outgoing::Close);
            StatusCode::NO_CONTENT.into_response()
        }
        None => gone(),
    }
}

/// Runs `endpoint`'s heartbeat every `period`, as its schedule does in AWS, until the
/// task is dropped.
pub async fn heartbeat_every(endpoint: DynEndpoint, period: Duration) {
    let mut ticks = tokio::time::interval(period);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        if let Err(e) = endpoint.heartbeat().await {
            tracing::warn!(error = %e, "heartbeat failed");
        }
    }
}

/// A WebSocket API bound on this machine, before its endpoint exists: the product's
/// handlers post to its management API ([`Self::gateway`]) from the start.
pub struct LocalApi {
    listener: tokio::net::TcpListener,
    pub gateway: crate::DynGateway,
}

impl LocalApi {
    /// Binds `addr` (port 0: a free one).
    pub async fn bind(addr: std::net::SocketAddr) -> std::io::Result<LocalApi> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let url = format!("http://{}", listener.local_addr()?);
        Ok(LocalApi {
            listener,
            gateway: Arc::new(crate::ManagementApi::local(&url)),
        })
    }

    /// `ws://HOST:PORT`
    pub fn url(&self) -> std::io::Result<String> {
        Ok(format!("ws://{}", self.listener.local_addr()?))
    }

    /// Serves `endpoint` at `path` until `stop`.
    pub async fn serve(
        self,
        path: &str,
        endpoint: DynEndpoint,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let router = router(path, endpoint, Limits::default());
        axum::serve(self.listener, router)
            .with_graceful_shutdown(stop)
            .await
    }
}
