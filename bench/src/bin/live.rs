//! Live events (issue 26), through the local gateway that plays API Gateway, with the
//! product's API in this process:
//! - the open packet's delay: from a Socket.IO client's WebSocket handshake (its `101`) to
//!   the Engine.IO open packet, which the endpoint posts once `$connect` has returned (as the
//!   function's self-invocation does in AWS), and from the connection attempt itself;
//! - REST call to event: from the start of Kbine's `POST /api/orders` to the `new-order`
//!   event at an admin's connection in the admin room, and from the start of PaieCashFan's
//!   `POST /api/social/messages` to the message at the recipient's connection.
//!
//! On the embedded store and, with `BENCH_DYNAMODB_ENDPOINT`, on DynamoDB Local. The client
//! speaks Engine.IO / Socket.IO by hand (a Rust WebSocket client), so the figures are the
//! server side's and the gateway's, not a JavaScript runtime's. Writes
//! `bench/results/live.md`.

use bench::products::{InProcessServer, Product};
use bench::report::{publish, table};
use bench::stats::{median, ms, quantile};
use bench::{BenchResult, cli, load, workspace_root};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::DynStore;
use store::dynamodb::DynamoStore;
use store::embedded::EmbeddedStore;
use tokio_tungstenite::tungstenite::Message;

const USAGE: &str = "usage: live [--samples N] [--report FILE]";
const PATIENCE: Duration = Duration::from_secs(10);

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

struct Options {
    samples: usize,
    report: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        samples: 200,
        report: workspace_root().join("bench/results/live.md"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--samples" => options.samples = cli::positive(args.next(), &arg)?,
            "--report" => options.report = cli::path(args.next(), &arg)?,
            _ => return Err(USAGE.into()),
        }
    }
    Ok(options)
}

/// One measured series.
struct Series {
    store: &'static str,
    what: &'static str,
    samples: Vec<Duration>,
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let options = options()?;
    let dir = tempfile::tempdir()?;
    let mut series = measure(&Stores::Embedded(dir.path().to_owned()), &options).await?;
    match std::env::var("BENCH_DYNAMODB_ENDPOINT") {
        Ok(endpoint) => series.extend(measure(&Stores::DynamoDb(endpoint), &options).await?),
        Err(_) => eprintln!("BENCH_DYNAMODB_ENDPOINT unset: the embedded store only"),
    }
    publish(&options.report, &report(&series, &options))?;
    Ok(())
}

fn product(name: &str) -> BenchResult<Product> {
    Ok(bench::products::all()
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| format!("{name} is not registered"))?)
}

/// Where the products' fresh stores are made.
enum Stores {
    /// Files in this folder.
    Embedded(PathBuf),
    /// Tables of DynamoDB Local at this endpoint.
    DynamoDb(String),
}

impl Stores {
    fn name(&self) -> &'static str {
        match self {
            Stores::Embedded(_) => "embedded",
            Stores::DynamoDb(_) => "DynamoDB Local",
        }
    }

    async fn fresh(&self, product: &str) -> BenchResult<DynStore> {
        let name = format!("bench-live-{product}-{}", uuid::Uuid::new_v4().simple());
        Ok(match self {
            Stores::Embedded(dir) => {
                Arc::new(EmbeddedStore::open(&dir.join(format!("{name}.sqlite3")))?)
            }
            Stores::DynamoDb(endpoint) => {
                let store = DynamoStore::local(endpoint, name);
                store.create_table_if_missing().await?;
                Arc::new(store)
            }
        })
    }
}

/// A product's server on a fresh store.
async fn serve(name: &str, stores: &Stores) -> BenchResult<(Product, InProcessServer, String)> {
    let product = product(name)?;
    let store = stores.fresh(name).await?;
    let prepared = product.prepare(&store).await?;
    let server = InProcessServer::start(&product, store).await?;
    Ok((product, server, prepared.admin_token))
}

async fn measure(stores: &Stores, options: &Options) -> BenchResult<Vec<Series>> {
    let store = stores.name();
    let (_, kbine, admin) = serve("kbine", stores).await?;
    let (url, path) = kbine.live.clone().ok_or("Kbine has no live API")?;
    let mut handshake_to_open = Vec::new();
    let mut attempt_to_open = Vec::new();
    for _ in 0..options.samples {
        let started = Instant::now();
        let (mut socket, upgraded) = engine_io(&url, path).await?;
        let frame = text(&mut socket).await?;
        if !frame.starts_with('0') {
            return Err(format!("not an open packet: {frame}").into());
        }
        handshake_to_open.push(upgraded.elapsed());
        attempt_to_open.push(started.elapsed());
        socket.close(None).await?;
    }

    let mut admin_socket = admin_in_room(&url, path, &admin).await?;
    let client = login(&kbine.origin, "0701020304").await?;
    let mut order_to_event = Vec::new();
    for _ in 0..options.samples {
        let started = Instant::now();
        let order = json!({"plan_id": 1, "phone_number": "0701020304", "payment_method": "wave"});
        post(&kbine.origin, "/api/orders", &client, &order).await?;
        let frame = text(&mut admin_socket).await?;
        if !frame.starts_with(r#"42["new-order""#) {
            return Err(format!("not a new-order event: {frame}").into());
        }
        order_to_event.push(started.elapsed());
    }
    kbine.stop().await;

    let (_, paiecashfan, _) = serve("paiecashfan", stores).await?;
    let (url, path) = paiecashfan
        .live
        .clone()
        .ok_or("PaieCashFan has no live API")?;
    let sender = register(&paiecashfan.origin, "bench-live-a@example.com").await?;
    let recipient = register(&paiecashfan.origin, "bench-live-b@example.com").await?;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("{url}{path}?token={}", recipient.1)).await?;
    text(&mut socket).await?; // {"type":"ready"}
    let mut message_to_event = Vec::new();
    for i in 0..options.samples {
        let started = Instant::now();
        let body = json!({"recipientId": recipient.0, "message": format!("Message {i}")});
        post(
            &paiecashfan.origin,
            "/api/social/messages",
            &sender.1,
            &body,
        )
        .await?;
        let frame = text(&mut socket).await?;
        if !frame.starts_with(r#"{"message""#) && !frame.contains(r#""type":"message""#) {
            return Err(format!("not a message: {frame}").into());
        }
        message_to_event.push(started.elapsed());
    }
    paiecashfan.stop().await;

    Ok(vec![
        Series {
            store,
            what: "Kbine: handshake (101) → open packet",
            samples: handshake_to_open,
        },
        Series {
            store,
            what: "Kbine: connection attempt → open packet",
            samples: attempt_to_open,
        },
        Series {
            store,
            what: "Kbine: POST /api/orders → new-order at an admin",
            samples: order_to_event,
        },
        Series {
            store,
            what: "PaieCashFan: POST /api/social/messages → message at the recipient",
            samples: message_to_event,
        },
    ])
}

/// A Socket.IO client's WebSocket, right after its handshake, and when that ended.
async fn engine_io(url: &str, path: &str) -> BenchResult<(Socket, Instant)> {
    let (socket, _) =
        tokio_tungstenite::connect_async(format!("{url}{path}?EIO=4&transport=websocket")).await?;
    Ok((socket, Instant::now()))
}

/// The next text frame.
async fn text(socket: &mut Socket) -> BenchResult<String> {
    loop {
        match tokio::time::timeout(PATIENCE, socket.next()).await? {
            Some(Ok(Message::Text(text))) => return Ok(text.to_string()),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.into()),
            None => return Err("the connection closed".into()),
        }
    }
}

/// An admin's Socket.IO connection, signed in and in the admin room.
async fn admin_in_room(url: &str, path: &str, token: &str) -> BenchResult<Socket> {
    let (mut socket, _) = engine_io(url, path).await?;
    text(&mut socket).await?; // the open packet
    let connect = format!("40{}", json!({ "token": token }));
    socket.send(Message::Text(connect.into())).await?;
    let accepted = text(&mut socket).await?;
    if !accepted.starts_with("40") {
        return Err(format!("CONNECT refused: {accepted}").into());
    }
    socket
        .send(Message::Text(r#"420["join-admin-room"]"#.into()))
        .await?;
    let joined = text(&mut socket).await?;
    if !joined.starts_with("430") {
        return Err(format!("join-admin-room refused: {joined}").into());
    }
    Ok(socket)
}

async fn post(origin: &str, path: &str, token: &str, body: &Value) -> BenchResult<Value> {
    let response = load::client()?
        .post(format!("{origin}{path}"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("{path}: {}", response.status()).into());
    }
    Ok(response.json().await?)
}

async fn login(origin: &str, phone: &str) -> BenchResult<String> {
    let response = load::client()?
        .post(format!("{origin}/api/auth/login"))
        .json(&json!({ "phoneNumber": phone }))
        .send()
        .await?;
    let answer: Value = response.json().await?;
    Ok(answer["token"]
        .as_str()
        .ok_or_else(|| format!("login: {answer}"))?
        .to_owned())
}

/// A PaieCashFan fan: their id and token.
async fn register(origin: &str, email: &str) -> BenchResult<(String, String)> {
    let body =
        json!({"email": email, "password": "Messages 2026 !", "name": "Fan", "clubId": "psg"});
    let response = load::client()?
        .post(format!("{origin}/api/auth/register"))
        .json(&body)
        .send()
        .await?;
    let answer: Value = response.json().await?;
    match (answer["user"]["id"].as_str(), answer["token"].as_str()) {
        (Some(id), Some(token)) => Ok((id.to_owned(), token.to_owned())),
        _ => Err(format!("registering {email}: {answer}").into()),
    }
}

fn report(series: &[Series], options: &Options) -> String {
    let rows: Vec<Vec<String>> = series
        .iter()
        .map(|s| {
            vec![
                s.store.to_string(),
                s.what.to_string(),
                s.samples.len().to_string(),
                ms(median(&s.samples)),
                ms(quantile(&s.samples, 0.99)),
                ms(s.samples.iter().copied().max().unwrap_or_default()),
            ]
        })
        .collect();
    format!(
        "# Live events (issue 26)\n\n\
         Through the local gateway that plays API Gateway (its `$connect`, `$default` and \
         management API, posted to with the AWS SDK's client), with each product's API in the \
         same process; {} samples per row, one after another. The open packet is posted once \
         `$connect` has returned and the gateway reports the connection open (in AWS, by the \
         function's asynchronous self-invocation, whose own latency is not measured here). \
         Load average at the end: {}.\n\n{}",
        options.samples,
        load::load_average(),
        table(
            &[
                "store", "what", "samples", "p50 (ms)", "p99 (ms)", "max (ms)"
            ],
            &rows
        )
    )
}
