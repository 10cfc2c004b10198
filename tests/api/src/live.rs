//! Live events as their clients see them: a product's WebSocket API served by the local
//! gateway beside its test server, and clients driven from the tests. The Socket.IO client
//! is the official one from npm (`tests/live/socketio-client.cjs`), installed by the test
//! command.

use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use web::live::local::LocalApi;
use web::live::{DynEndpoint, DynGateway};
use web::product::{Deps, Product};

/// How long a client waits for what it expects before the test fails.
const PATIENCE: Duration = Duration::from_secs(15);

/// A product's WebSocket API on 127.0.0.1, as the local server serves it.
pub struct LiveServer {
    /// `ws://127.0.0.1:PORT`
    pub url: String,
    pub path: &'static str,
    /// Its management API, as the product's handlers post to it.
    pub gateway: DynGateway,
    pub endpoint: DynEndpoint,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// Binds `product`'s WebSocket API on a free port, if it has one.
pub async fn bind(product: &dyn Product) -> Option<LocalApi> {
    product.live_api()?;
    let any = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    Some(LocalApi::bind(any).await.expect("a free port"))
}

/// Serves `product`'s endpoint over `deps` (whose `live` is `local`'s gateway).
pub fn serve(
    local: LocalApi,
    product: &dyn Product,
    deps: &Deps,
    env: &web::config::Env,
) -> LiveServer {
    let api = product.live_api().expect("a product with live events");
    let endpoint = product
        .live_endpoint(deps, env)
        .unwrap_or_else(|e| panic!("{}: {e}", product.name()))
        .expect("the product's endpoint");
    let url = local.url().expect("a bound port");
    let gateway = local.gateway.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(local.serve(api.path, endpoint.clone(), async move {
        let _ = stopped.await;
    }));
    LiveServer {
        url,
        path: api.path,
        gateway,
        endpoint,
        _stop: stop,
    }
}

/// Where the test command installed `socket.io-client` (`TEST_NODE_PATH`, or the work
/// tree's `.cache/node/node_modules`).
fn node_path() -> PathBuf {
    let path = std::env::var("TEST_NODE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.cache/node/node_modules")
        });
    assert!(
        path.join("socket.io-client").is_dir(),
        "socket.io-client is not installed in {}: run the tests with scripts/test.sh, which \
         installs it",
        path.display()
    );
    path
}

/// A Socket.IO client: one line for each thing it saw, one command for each thing it does.
pub struct SocketIoClient {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
}

impl SocketIoClient {
    /// A client of `server`, signing in with `token` (its CONNECT packet's `auth.token`).
    pub fn connect(server: &LiveServer, token: Option<&str>) -> SocketIoClient {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../live/socketio-client.cjs");
        let mut child = Command::new("node")
            .arg(script)
            .arg(&server.url)
            .arg(server.path)
            .args(token)
            .env("NODE_PATH", node_path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs");
        let stdin = child.stdin.take().expect("its standard input");
        let stdout = child.stdout.take().expect("its standard output");
        SocketIoClient {
            child,
            stdin,
            lines: BufReader::new(stdout).lines(),
        }
    }

    /// The next thing the client saw.
    pub async fn next(&mut self) -> Value {
        let line = tokio::time::timeout(PATIENCE, self.lines.next_line())
            .await
            .expect("the client saw nothing in time")
            .expect("the client's output")
            .expect("the client is still running");
        serde_json::from_str(&line).unwrap_or_else(|_| panic!("not a JSON line: {line}"))
    }

    /// The next thing the client saw, which must be of `kind`.
    pub async fn expect(&mut self, kind: &str) -> Value {
        let next = self.next().await;
        assert_eq!(next["kind"], kind, "{next}");
        next
    }

    /// The next event, which must be `event`: its data.
    pub async fn event(&mut self, event: &str) -> Value {
        let next = self.expect("event").await;
        assert_eq!(next["event"], event, "{next}");
        next["data"].clone()
    }

    async fn send(&mut self, command: Value) {
        let line = format!("{command}\n");
        self.stdin
            .write_all(line.as_bytes())
            .await
            .expect("the client reads");
    }

    /// Emits `event`; with `ack`, the acknowledgement comes back as `{"kind":"ack","id":ack}`.
    pub async fn emit(&mut self, event: &str, ack: Option<&str>) {
        self.send(json!({"op": "emit", "event": event, "ack": ack}))
            .await;
    }

    /// Emits `event` with an acknowledgement, and returns what comes before that
    /// acknowledgement and the acknowledgement's data. Frames to one connection arrive in
    /// order, so whatever was posted to it before the server read this emit is in the first
    /// part: an empty one proves that nothing was.
    pub async fn round_trip(&mut self, event: &str) -> (Vec<Value>, Value) {
        let id = format!("rt-{}", uuid::Uuid::new_v4().simple());
        self.emit(event, Some(&id)).await;
        let mut before = Vec::new();
        loop {
            let next = self.next().await;
            if next["kind"] == "ack" && next["id"] == id.as_str() {
                return (before, next["data"].clone());
            }
            before.push(next);
        }
    }

    /// Emits `event` again after each reconnection, as clients rejoin their rooms.
    pub async fn rejoin(&mut self, event: &str) {
        self.send(json!({"op": "rejoin", "event": event})).await;
    }

    /// Disconnects and waits for the client to exit.
    pub async fn close(mut self) {
        self.send(json!({"op": "close"})).await;
        let _ = tokio::time::timeout(PATIENCE, self.child.wait()).await;
    }
}

/// The user id an access token names (its `userId` claim), as text.
pub fn user_of(token: &str) -> String {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("a JWT");
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url claims");
    let claims: Value = serde_json::from_slice(&claims).expect("JSON claims");
    match &claims["userId"] {
        Value::String(id) => id.clone(),
        id => id.to_string(),
    }
}

/// A plain WebSocket client of JSON messages (`web::live::plain`).
pub struct PlainClient {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl PlainClient {
    /// Opens a connection with `token` in its query string: the client, or the handshake's
    /// refusal status.
    pub async fn connect(server: &LiveServer, token: Option<&str>) -> Result<PlainClient, u16> {
        let query = token.map(|t| format!("?token={t}")).unwrap_or_default();
        let url = format!("{}{}{query}", server.url, server.path);
        match tokio_tungstenite::connect_async(url).await {
            Ok((socket, _)) => Ok(PlainClient { socket }),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                Err(response.status().as_u16())
            }
            Err(e) => panic!("the handshake failed: {e}"),
        }
    }

    /// A connection of `token`, once the server said it is ready.
    pub async fn ready(server: &LiveServer, token: &str) -> PlainClient {
        let mut client = Self::connect(server, Some(token))
            .await
            .unwrap_or_else(|status| panic!("refused with {status}"));
        assert_eq!(client.next().await, json!({"type": "ready"}));
        client
    }

    /// The next message, or `None` once the server closed the connection.
    pub async fn next_or_closed(&mut self) -> Option<Value> {
        use futures_util::StreamExt as _;
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("nothing came in time");
            match frame {
                Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text))) => {
                    return Some(serde_json::from_str(&text).expect("a JSON message"));
                }
                // Closed, or dropped without a close frame (as a refused frame is).
                Some(Ok(tokio_tungstenite::tungstenite::Message::Close(_)) | Err(_)) | None => {
                    return None;
                }
                Some(Ok(_)) => continue,
            }
        }
    }

    /// The next message.
    pub async fn next(&mut self) -> Value {
        self.next_or_closed()
            .await
            .expect("the server closed the connection")
    }

    /// Sends `text` as one frame.
    pub async fn send(&mut self, text: &str) {
        use futures_util::SinkExt as _;
        self.socket
            .send(tokio_tungstenite::tungstenite::Message::Text(text.into()))
            .await
            .expect("the frame is sent");
    }

    /// What came before the answer to a ping of ours (see [`SocketIoClient::round_trip`]).
    pub async fn round_trip(&mut self) -> Vec<Value> {
        self.send(r#"{"type":"ping"}"#).await;
        let mut before = Vec::new();
        loop {
            let next = self.next().await;
            if next == json!({"type": "pong"}) {
                return before;
            }
            before.push(next);
        }
    }
}
