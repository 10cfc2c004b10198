//! Cold start of every function in `template.yaml`, of the floor and of the Node.js peer,
//! each started `--runs` times against the local Runtime API, with DynamoDB Local behind
//! them all; writes a Markdown report. Run by `bench/run.sh`, which builds the release
//! binaries, installs the peer and starts DynamoDB Local.

use bench::coldstart::{Launch, Probe, Sample, cold_start, lambda_env, probe_for};
use bench::products;
use bench::store_calls::StoreProxy;
use blobs::s3_server::S3Server;

/// The bucket of the functions that keep files.
const BENCH_BUCKET: &str = "bench";
/// The product whose two routes the Node.js peer implements.
const PEER_PRODUCT: &str = "kbine";
use bench::report::{mb, publish, table, verdict};
use bench::runtime_api::RuntimeApi;
use bench::stats::{median, ms, ratio};
use bench::{BenchResult, cli, template, workspace_root};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::DynStore;
use store::dynamodb::DynamoStore;

const USAGE: &str = "usage: coldstart [--runs N] [--bins DIR] [--report FILE]
  env BENCH_DYNAMODB_ENDPOINT=http://127.0.0.1:PORT (DynamoDB Local), the functions' and the
  floor's release binaries in DIR (default target/release; bench/run.sh builds them as they
  ship), the peer installed in bench/peer-node (bench/peer-node/install.sh)";

struct Options {
    runs: usize,
    bins: PathBuf,
    report: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        runs: 11,
        bins: workspace_root().join("target/release"),
        report: workspace_root().join("bench/results/coldstart.md"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                options.runs = cli::positive(args.next(), "--runs")?;
            }
            "--bins" => options.bins = cli::path(args.next(), "--bins")?,
            "--report" => options.report = cli::path(args.next(), "--report")?,
            _ => return Err(USAGE.into()),
        }
    }
    Ok(options)
}

/// One measured row: what was started, with which request, and its samples.
struct Row {
    name: String,
    probe: Probe,
    binary_bytes: Option<u64>,
    samples: Vec<Sample>,
    /// The floor's init, median of its launches alternated with this row's.
    floor_init: Option<Duration>,
}

fn median_init(samples: &[Sample]) -> Duration {
    median(&samples.iter().map(|s| s.init).collect::<Vec<_>>())
}

impl Row {
    fn init(&self) -> Duration {
        median_init(&self.samples)
    }
    fn cold(&self) -> Duration {
        median(&self.samples.iter().map(|s| s.cold).collect::<Vec<_>>())
    }
    fn rss_kb(&self) -> u64 {
        let mut rss: Vec<u64> = self.samples.iter().map(|s| s.peak_rss_kb).collect();
        rss.sort_unstable();
        rss.get(rss.len() / 2).copied().unwrap_or(0)
    }
    /// The report's cells for this row: `name` as shown, `ratios` (to the floor, to the
    /// peer) left empty for the references themselves.
    fn cells(&self, name: String, ratios: [String; 2]) -> Vec<String> {
        let [to_floor, to_peer] = ratios;
        vec![
            name,
            self.probe.label(),
            self.statuses(),
            ms(self.init()),
            ms(self.cold()),
            to_floor,
            to_peer,
            format!("{:.1} MB", self.rss_kb() as f64 / 1024.0),
            self.binary_bytes.map_or(String::new(), mb),
            self.round_trips(),
        ]
    }

    /// The median invocation's store calls, and how many ran one after another.
    fn round_trips(&self) -> String {
        let median_of = |f: fn(&Sample) -> usize| {
            let mut values: Vec<usize> = self.samples.iter().map(f).collect();
            values.sort_unstable();
            values.get(values.len() / 2).copied().unwrap_or(0)
        };
        format!(
            "{} ({} in sequence)",
            median_of(|s| s.store_calls),
            median_of(|s| s.sequential_calls)
        )
    }

    fn statuses(&self) -> String {
        let mut statuses: Vec<u16> = self.samples.iter().map(|s| s.status).collect();
        statuses.dedup();
        statuses
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

async fn measure(
    api: &RuntimeApi,
    store: &StoreProxy,
    launch: &Launch,
    probe: &Probe,
    runs: usize,
    logs: &std::path::Path,
) -> BenchResult<Row> {
    Ok(measure_beside(api, store, launch, None, probe, runs, logs)
        .await?
        .0)
}

/// Measures `launch`, and with `floor`, launches the floor after each of its launches: the
/// machine's state drifts over a run (page cache, the emulator's JVM, memory scanning), and
/// alternating puts the same drift in a function's samples and in the floor's it is
/// divided by.
async fn measure_beside(
    api: &RuntimeApi,
    store: &StoreProxy,
    launch: &Launch,
    floor: Option<&Launch>,
    probe: &Probe,
    runs: usize,
    logs: &std::path::Path,
) -> BenchResult<(Row, Vec<Sample>)> {
    let log = logs.join(format!("{}.log", launch.name));
    let floor_log = logs.join("bench-floor.log");
    // One launch first, not counted: it puts the binary in the page cache (as Lambda's
    // sandboxes keep it) and has DynamoDB Local's JVM compile the request path, which a
    // freshly started emulator otherwise charges to whichever row runs first.
    cold_start(api, store, launch, probe, &log).await?;
    if let Some(floor) = floor {
        cold_start(api, store, floor, probe, &floor_log).await?;
    }
    let mut samples = Vec::with_capacity(runs);
    let mut floor_samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        samples.push(cold_start(api, store, launch, probe, &log).await?);
        if let Some(floor) = floor {
            floor_samples.push(cold_start(api, store, floor, probe, &floor_log).await?);
        }
    }
    let row = Row {
        name: launch.name.clone(),
        probe: probe.clone(),
        binary_bytes: launch
            .binary
            .as_ref()
            .and_then(|b| std::fs::metadata(b).ok())
            .map(|m| m.len()),
        samples,
        floor_init: None,
    };
    eprintln!(
        "  {:<24} {:<28} init {:>7} ms  cold {:>7} ms",
        row.name,
        row.probe.label(),
        ms(row.init()),
        ms(row.cold()),
    );
    Ok((row, floor_samples))
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let options = options()?;
    let root = workspace_root();
    let release = options.bins.clone();
    let endpoint = std::env::var("BENCH_DYNAMODB_ENDPOINT")
        .map_err(|_| format!("BENCH_DYNAMODB_ENDPOINT is not set\n{USAGE}"))?;
    let functions = template::functions(&std::fs::read_to_string(root.join("template.yaml"))?)?;
    let api = RuntimeApi::start().await?;
    let home = tempfile::tempdir()?;
    let logs = root.join("target/bench-logs");
    std::fs::create_dir_all(&logs)?;
    let peer_dir = root.join("bench/peer-node");
    let peer_ric = peer_dir.join("node_modules/.bin/aws-lambda-ric");

    let mut functions_rows = Vec::new();
    let mut floor_samples = Vec::new();
    let mut floor_probe = None;
    let mut peer_rows = Vec::new();
    // Files for the products that keep them: an S3 server over a folder, as in the tests.
    let s3 = S3Server::start(BENCH_BUCKET, "test", "test").await?;
    // The functions reach DynamoDB Local through a proxy that counts their round trips.
    let store_proxy = StoreProxy::start(&endpoint).await?;
    for product in &products::all() {
        let table = format!("bench-{}-{}", product.name, uuid::Uuid::new_v4().simple());
        let dynamo = DynamoStore::local(&endpoint, table.clone());
        dynamo.create_table_if_missing().await?;
        let store: DynStore = Arc::new(dynamo);
        let prepared = product.prepare(&store).await?;
        let launch = |name: &str, program: PathBuf, binary: Option<PathBuf>| Launch {
            name: name.to_string(),
            program,
            args: Vec::new(),
            dir: root.clone(),
            env: {
                let mut env = lambda_env(
                    name,
                    &api.address(),
                    &store_proxy.endpoint,
                    &table,
                    home.path(),
                    &prepared,
                );
                env.extend([
                    ("BUCKET_NAME".to_string(), BENCH_BUCKET.to_string()),
                    ("BLOB_PREFIX".to_string(), format!("{}/", product.name)),
                    ("AWS_ENDPOINT_URL_S3".to_string(), s3.endpoint()),
                ]);
                env
            },
            binary,
        };

        let floor_binary = release.join("bench-floor");
        let floor = launch("bench-floor", floor_binary.clone(), Some(floor_binary));

        eprintln!(
            "{}: {} runs each, the floor's alternated with them",
            product.name, options.runs
        );
        let mut measured = Vec::new();
        for function in functions.iter().filter(|f| {
            product
                .routes
                .iter()
                .any(|r| f.serves(&r.concrete_path("1")))
        }) {
            let Some(probe) = probe_for(function, product, &prepared.admin_token) else {
                return Err(format!("{}: no route to measure it with", function.binary).into());
            };
            measured.push((function, probe));
        }
        warm_emulator(product, &store, measured.iter().map(|(_, p)| p)).await?;
        let mut probes = Vec::new();
        for (function, probe) in measured {
            let binary = release.join(&function.binary);
            let (mut row, beside) = measure_beside(
                &api,
                &store_proxy,
                &launch(&function.binary, binary.clone(), Some(binary)),
                Some(&floor),
                &probe,
                options.runs,
                &logs,
            )
            .await?;
            row.floor_init = Some(median_init(&beside));
            floor_samples.extend(beside);
            floor_probe.get_or_insert_with(|| probe.clone());
            probes.push(probe);
            functions_rows.push(row);
        }
        // The peer implements two routes of one product (bench/peer-node).
        if product.name == PEER_PRODUCT && peer_ric.exists() {
            for probe in probes
                .iter()
                .filter(|p| p.path == "/api/plans" || p.path == "/api/auth/login")
            {
                let mut launch = launch("peer-node", peer_ric.clone(), None);
                launch.args = vec!["index.handler".into()];
                launch.dir = peer_dir.clone();
                launch.env.push(("_HANDLER".into(), "index.handler".into()));
                launch
                    .env
                    .push(("LAMBDA_TASK_ROOT".into(), peer_dir.display().to_string()));
                launch.env.push(("NODE_ENV".into(), "production".into()));
                peer_rows
                    .push(measure(&api, &store_proxy, &launch, probe, options.runs, &logs).await?);
            }
        }
    }

    let floor = Row {
        name: "bench-floor".into(),
        probe: floor_probe.ok_or("no function to measure")?,
        binary_bytes: std::fs::metadata(release.join("bench-floor"))
            .ok()
            .map(|m| m.len()),
        samples: floor_samples,
        floor_init: None,
    };
    let text = report(&options, &functions_rows, &floor, &peer_rows);
    publish(&options.report, &text)?;
    Ok(())
}

/// Replays every request about to be measured through the product's API in this process,
/// against the same table, until DynamoDB Local's JVM has compiled the paths those requests
/// take: a freshly started emulator answers its first calls in about 200 ms and settles
/// near 2 ms only after some thousands, which the first rows' cold starts would otherwise be
/// charged for (issue 8: 18 ms measured against 4.6 ms published).
async fn warm_emulator<'p>(
    product: &products::Product,
    store: &DynStore,
    probes: impl Iterator<Item = &'p Probe>,
) -> BenchResult<()> {
    use tower::ServiceExt;
    const REPLAYS: usize = 600;
    let started = Instant::now();
    let app = product.app(store.clone())?;
    let mut sent = 0;
    for probe in probes {
        for _ in 0..REPLAYS {
            let mut request = axum::http::Request::builder()
                .method(probe.method)
                .uri(&probe.path)
                .header("content-type", "application/json");
            if let Some(token) = &probe.token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let body = probe
                .body
                .as_ref()
                .map(|b| b.to_string())
                .unwrap_or_default();
            let response = app
                .clone()
                .oneshot(request.body(axum::body::Body::from(body))?)
                .await?;
            if !response.status().is_success() {
                return Err(
                    format!("warming with {}: {}", probe.label(), response.status()).into(),
                );
            }
            sent += 1;
        }
    }
    eprintln!(
        "{}: DynamoDB Local warmed by {sent} requests in {:?}",
        product.name,
        started.elapsed()
    );
    Ok(())
}

/// The peer's row for the same request, else its first (its cheapest read).
fn peer_for<'a>(peer: &'a [Row], probe: &Probe) -> Option<&'a Row> {
    peer.iter()
        .find(|row| row.probe.label() == probe.label())
        .or_else(|| peer.first())
}

/// Figures published elsewhere, beside ours, and what we made of each.
const PUBLISHED: &str = "
## Beside published figures

| source | figure | here |
|---|---|---|
| maxday/lambda-perf, August 2026 | a hello-world Rust function inits in about 14 ms on arm64; Node 22 in about 125 ms | the floor's and the peer's rows (x86_64, no Lambda sandbox, Node 20) |
| a reported Rust function with the AWS SDK | 112 ms init, 912 ms first request, 745 ms of it a TLS handshake; 21 ms once the connection is opened during init | applies in AWS, where DynamoDB is HTTPS: functions open the connection during init (`DynamoStore::connect_early`); DynamoDB Local is plain HTTP, so it does not show here |
| aws-lc-rs jitter entropy | 10–50 ms added to a cold start unless disabled | no longer applies: the functions use rustls with ring, not aws-lc (`shared/aws-env`) |
| found here | the SDK's default client loads every certificate of the system store when it is built | was two thirds of a function's init; the functions now trust the Amazon Trust Services roots compiled in |
";

const INIT_TARGET: f64 = 1.5;
const PEER_TARGET: f64 = 1.0 / 20.0;
const RSS_TARGET_KB: u64 = 16 * 1024;
const SIZE_TARGET: u64 = 10 * 1024 * 1024;

fn report(options: &Options, functions: &[Row], floor: &Row, peer: &[Row]) -> String {
    let mut rows = Vec::new();
    let mut missed = Vec::new();
    for row in functions {
        let init_ratio = ratio(row.init(), row.floor_init.unwrap_or_else(|| floor.init()));
        let peer_row = peer_for(peer, &row.probe);
        let peer_ratio = peer_row.map(|p| ratio(row.cold(), p.cold()));
        if init_ratio > INIT_TARGET {
            missed.push(format!("{}: init {init_ratio:.2}× the floor", row.name));
        }
        if let Some(r) = peer_ratio.filter(|r| *r > PEER_TARGET) {
            missed.push(format!(
                "{}: cold start 1/{:.0} of the peer's",
                row.name,
                1.0 / r
            ));
        }
        if row.rss_kb() > RSS_TARGET_KB {
            missed.push(format!("{}: peak RSS {} kB", row.name, row.rss_kb()));
        }
        if row.binary_bytes.is_some_and(|b| b > SIZE_TARGET) {
            missed.push(format!(
                "{}: binary {}",
                row.name,
                mb(row.binary_bytes.unwrap_or(0))
            ));
        }
        rows.push(row.cells(
            format!("`{}`", row.name),
            [
                format!("{init_ratio:.2}× {}", verdict(init_ratio <= INIT_TARGET)),
                peer_ratio.map_or("no peer".into(), |r| {
                    format!("1/{:.0} {}", 1.0 / r, verdict(r <= PEER_TARGET))
                }),
            ],
        ));
    }
    for reference in std::iter::once(floor).chain(peer) {
        rows.push(reference.cells(format!("*{}*", reference.name), Default::default()));
    }
    let mut text = format!(
        "# Cold start\n\nMedians of {} runs per row (after one uncounted launch), all in one \
         run, on this machine; DynamoDB Local on 127.0.0.1 behind every function and the \
         peer. The floor is launched after each launch of a function, and a function's *init \
         / floor* divides its init by the floor's launched beside it (the floor's row: all of \
         them), so the machine's drift over a run is in both. *init*: process start to its \
         first `/invocation/next`; *cold*: process start to its response (init plus first \
         invocation). Targets: init within {INIT_TARGET}× the floor's, cold start under \
         1/20 of the Node.js peer's (same request, or the peer's `GET /api/plans`), peak \
         RSS under 16 MB, binary under 10 MB, no cold request more than two store round trips \
         in sequence. *store calls*: the median invocation's calls to DynamoDB (through a \
         counting proxy), and the longest chain of them that ran one after another.\n\n",
        options.runs
    );
    text.push_str(&table(
        &[
            "function",
            "request",
            "status",
            "init ms",
            "cold ms",
            "init / floor",
            "cold vs peer",
            "peak RSS",
            "binary",
            "store calls",
        ],
        &rows,
    ));
    if peer.is_empty() {
        text.push_str("\nThe Node.js peer is not installed (bench/peer-node/install.sh).\n");
    }
    text.push_str(PUBLISHED);
    text.push_str("\n## Targets missed\n\n");
    if missed.is_empty() {
        text.push_str("None.\n");
    } else {
        for line in missed {
            text.push_str(&format!("- {line}\n"));
        }
    }
    text
}
