//! The cold-start benchmark: each function's release binary started as Lambda starts it,
//! against the local Runtime API, handed one API Gateway v2 event; the same for the floor (a
//! do-nothing function) and the Node.js peer, in the same run.

use crate::BenchResult;
use crate::load::first_body_for;
use crate::products::{Prepared, Product};
use crate::runtime_api::RuntimeApi;
use crate::samples::PathSamples;
use crate::store_calls::{self, StoreProxy};
use crate::template::Function;
use bytes::Bytes;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One request, as API Gateway would hand it to a function.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The product whose API serves it: two products may have the same path.
    pub product: &'static str,
    pub method: &'static str,
    pub path: String,
    pub token: Option<String>,
    pub body: Option<Value>,
}

impl Probe {
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Whether answering it verifies a password: its body carries one (a login).
    pub fn verifies_password(&self) -> bool {
        self.body
            .as_ref()
            .is_some_and(|body| body.get("password").is_some_and(Value::is_string))
    }

    /// The HttpApi payload v2 event of this request.
    pub fn event(&self) -> Bytes {
        let mut headers = json!({"content-type": "application/json", "host": "bench.local"});
        if let Some(token) = &self.token {
            headers["authorization"] = json!(format!("Bearer {token}"));
        }
        let event = json!({
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": self.path,
            "rawQueryString": "",
            "headers": headers,
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "bench",
                "domainName": "bench.local",
                "domainPrefix": "bench",
                "http": {"method": self.method, "path": self.path, "protocol": "HTTP/1.1",
                         "sourceIp": "203.0.113.10", "userAgent": "bench"},
                "requestId": uuid::Uuid::new_v4().to_string(),
                "routeKey": "$default",
                "stage": "$default",
                "time": "22/Nov/2026:12:00:00 +0000",
                "timeEpoch": 1_795_348_800_000u64
            },
            "body": self.body.as_ref().map(Value::to_string),
            "isBase64Encoded": false
        });
        Bytes::from(event.to_string())
    }
}

/// The request a function is measured with: among the routes it serves, the first GET
/// without parameters, else the first GET, else the first route with a known body (path
/// parameters from the samples, else 1; protected routes get the admin's token).
pub fn probe_for(
    function: &Function,
    product: &Product,
    admin_token: &str,
    samples: &PathSamples,
) -> Option<Probe> {
    let served: Vec<_> = product
        .routes
        .iter()
        .filter(|route| function.serves(&route.concrete_path("1")))
        .collect();
    let pick = served
        .iter()
        .find(|r| r.method == "GET" && !r.has_path_params())
        .or_else(|| served.iter().find(|r| r.method == "GET"))
        .or_else(|| {
            served
                .iter()
                .find(|r| product.body(r.method, r.path).is_some())
        })?;
    Some(Probe {
        product: product.name,
        method: pick.method,
        path: samples.path(pick),
        token: (!pick.access.is_public()).then(|| admin_token.to_string()),
        body: product.body(pick.method, pick.path),
    })
}

/// Readies a product's new table for its probes as the warm benchmark readies it for its
/// reads: each of the load plan's writes sent once, as the admin, through the product's API
/// in this process (so the admin owns what they make), then the samples read.
pub async fn prepare_probes(
    product: &Product,
    app: &axum::Router,
    admin_token: &str,
) -> BenchResult<PathSamples> {
    for (method, path, body) in product.writes {
        let token = product.write_token(method, path, admin_token);
        let (status, text) = in_process(app, method, path, token, first_body_for(body)).await?;
        if !(200..300).contains(&status) {
            return Err(format!(
                "{}: {method} {path} answered {status}: {text}",
                product.name
            )
            .into());
        }
    }
    PathSamples::read(product, |path| async move {
        in_process(app, "GET", &path, Some(admin_token), String::new()).await
    })
    .await
}

/// Sends one request to a product's API in this process: its status and body.
pub async fn in_process(
    app: &axum::Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: String,
) -> BenchResult<(u16, String)> {
    use tower::ServiceExt;
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(axum::body::Body::from(body))?)
        .await?;
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

/// What is started: a command line, its working directory and environment.
#[derive(Debug, Clone)]
pub struct Launch {
    pub name: String,
    pub program: PathBuf,
    pub args: Vec<String>,
    pub dir: PathBuf,
    pub env: Vec<(String, String)>,
    /// The file whose size is reported (the function's binary).
    pub binary: Option<PathBuf>,
}

/// One cold start.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Process start to its first `/invocation/next`.
    pub init: Duration,
    /// Process start to its response.
    pub cold: Duration,
    /// Peak resident memory, in kB (`VmHWM`).
    pub peak_rss_kb: u64,
    /// The HTTP status in the function's response (0 when it failed).
    pub status: u16,
    /// Store calls the invocation made, and how many of them ran one after another.
    pub store_calls: usize,
    pub sequential_calls: usize,
}

/// The environment Lambda gives every function, with this harness's Runtime API, the
/// DynamoDB endpoint and the product's own settings.
pub fn lambda_env(
    name: &str,
    runtime_api: &str,
    dynamodb: &str,
    table: &str,
    home: &Path,
    prepared: &Prepared,
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = [
        ("AWS_LAMBDA_RUNTIME_API", runtime_api),
        ("AWS_LAMBDA_FUNCTION_NAME", name),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
        ("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench"),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/22/[$LATEST]bench"),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        // DynamoDB Local keeps one database per access key: the one the harness seeded with.
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_ENDPOINT_URL_DYNAMODB", dynamodb),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("TABLE_NAME", table),
        ("TZ", ":UTC"),
        ("LANG", "en_US.UTF-8"),
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ("RUST_LOG", "info"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // Lambda has no home directory with AWS profiles: an empty one keeps the SDK from
    // reading the developer's.
    env.push(("HOME".into(), home.display().to_string()));
    env.extend(prepared.env.iter().cloned());
    env
}

/// The peak resident memory of process `pid`, in kB (`VmHWM`); 0 when unknown.
pub fn peak_rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0)
}

fn response_status(response: Option<&Bytes>) -> u16 {
    response
        .and_then(|body| serde_json::from_slice::<Value>(body).ok())
        .and_then(|value| value["statusCode"].as_u64())
        .and_then(|code| u16::try_from(code).ok())
        .unwrap_or(0)
}

/// Starts `launch` once with `probe` armed, and measures it.
pub async fn cold_start(
    api: &RuntimeApi,
    store: &StoreProxy,
    launch: &Launch,
    probe: &Probe,
    log: &Path,
) -> Result<Sample, String> {
    api.arm(&launch.name, probe.event());
    store.take();
    let log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let started = Instant::now();
    let mut child = Command::new(&launch.program)
        .args(&launch.args)
        .current_dir(&launch.dir)
        .env_clear()
        .envs(launch.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("{}: {e}", launch.program.display()))?;
    let outcome = api.outcome(Duration::from_secs(30)).await;
    let peak_rss_kb = peak_rss_kb(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let (Some(next_at), Some(answered_at)) = (outcome.next_at, outcome.answered_at) else {
        return Err(format!(
            "{}: no answer within 30 s ({}; see {})",
            launch.name,
            outcome.error.unwrap_or_default(),
            log.display()
        ));
    };
    if let Some(error) = outcome.error {
        return Err(format!("{}: {error}", launch.name));
    }
    let calls = store.take();
    Ok(Sample {
        store_calls: calls.len(),
        sequential_calls: store_calls::sequential(&calls),
        init: next_at.duration_since(started),
        cold: answered_at.duration_since(started),
        peak_rss_kb,
        status: response_status(outcome.response.as_ref()),
    })
}

/// Replays every request about to be measured through the product's API in this process,
/// against the same table, until DynamoDB Local's JVM has compiled the paths those requests
/// take: a freshly started emulator answers its first calls in about 200 ms and keeps
/// getting faster for some thousands more (issue 8: 18 ms measured against 4.6 ms
/// published). It replays in rounds and stops when a round is no faster than the best
/// before it, so that both passes of a run measure a settled emulator.
pub async fn warm_emulator<'p>(
    app: &axum::Router,
    product: &Product,
    probes: impl Iterator<Item = &'p Probe>,
) -> BenchResult<()> {
    const PER_ROUND: usize = 100;
    const MIN_ROUNDS: usize = 6;
    const MAX_ROUNDS: usize = 40;
    let started = Instant::now();
    let probes: Vec<&Probe> = probes.collect();
    let mut best = std::time::Duration::MAX;
    let mut rounds = 0;
    while rounds < MAX_ROUNDS {
        let round = Instant::now();
        for probe in &probes {
            for _ in 0..PER_ROUND {
                replay(app, probe).await?;
            }
        }
        let took = round.elapsed();
        rounds += 1;
        // Settled: no longer faster than the best round by more than the noise.
        if rounds >= MIN_ROUNDS && took.as_secs_f64() > best.as_secs_f64() * 0.97 {
            break;
        }
        best = best.min(took);
    }
    eprintln!(
        "{}: DynamoDB Local warmed by {} requests in {:?} ({rounds} rounds)",
        product.name,
        rounds * PER_ROUND * probes.len(),
        started.elapsed()
    );
    Ok(())
}

async fn replay(app: &axum::Router, probe: &Probe) -> BenchResult<()> {
    let body = probe
        .body
        .as_ref()
        .map(|b| b.to_string())
        .unwrap_or_default();
    let (status, _) =
        in_process(app, probe.method, &probe.path, probe.token.as_deref(), body).await?;
    // A probe may be a refusal (a delivery of no order, a payment Stripe never saw): the
    // requests it makes warm the emulator all the same. A server error is a broken probe.
    if status >= 500 {
        return Err(format!("warming with {}: {status}", probe.label()).into());
    }
    Ok(())
}
