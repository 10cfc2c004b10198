//! Cold start of every function in `template.yaml`, of the floor and of the Node.js peer,
//! each started `--runs` times against the local Runtime API, with DynamoDB Local behind
//! them all; writes a Markdown report. Run by `bench/run.sh`, which builds the release
//! binaries, installs the peer and starts DynamoDB Local.

use bench::browser_peer::{chromium, print_with_chromium};
use bench::coldstart::{
    Launch, Probe, Sample, cold_start, lambda_env, prepare_probes, probe_for, warm_emulator,
};
use bench::coldstart_report::{BROWSER_PEER, NODE_PEER, Pass, Row, median_init, report};
use bench::limits::Limits;
use bench::products;
use bench::report::publish;
use bench::runtime_api::RuntimeApi;
use bench::stats::ms;
use bench::store_calls::StoreProxy;
use bench::template::Function;
use bench::{BenchResult, cli, template, workspace_root};
use blobs::s3_server::S3Server;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::DynStore;
use store::dynamodb::DynamoStore;

/// The bucket of the functions that keep files.
const BENCH_BUCKET: &str = "bench";
/// The product whose two routes the Node.js peer implements.
const PEER_PRODUCT: &str = "kbine";

const USAGE: &str = "usage: coldstart [--runs N] [--bins DIR] [--report FILE] [--only TEXT]
  env BENCH_DYNAMODB_ENDPOINT=http://127.0.0.1:PORT (DynamoDB Local), the functions' and the
  floor's release binaries in DIR (default target/release; bench/run.sh builds them as they
  ship), the peer installed in bench/peer-node (bench/peer-node/install.sh); --only measures
  the functions whose logical id contains TEXT (and the floor beside them), to try a change";

struct Options {
    runs: usize,
    bins: PathBuf,
    report: PathBuf,
    only: Option<String>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        runs: 11,
        bins: workspace_root().join("target/release"),
        report: workspace_root().join("bench/results/coldstart.md"),
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                options.runs = cli::positive(args.next(), "--runs")?;
            }
            "--bins" => options.bins = cli::path(args.next(), "--bins")?,
            "--report" => options.report = cli::path(args.next(), "--report")?,
            "--only" => options.only = Some(args.next().ok_or(USAGE)?),
            _ => return Err(USAGE.into()),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let options = options()?;
    let root = workspace_root();
    let endpoint = std::env::var("BENCH_DYNAMODB_ENDPOINT")
        .map_err(|_| format!("BENCH_DYNAMODB_ENDPOINT is not set\n{USAGE}"))?;
    let logs = root.join("target/bench-logs");
    std::fs::create_dir_all(&logs)?;
    let home = tempfile::tempdir()?;
    let bench = Bench {
        functions: template::functions(&std::fs::read_to_string(root.join("template.yaml"))?)?
            .into_iter()
            .filter(|f| {
                options
                    .only
                    .as_ref()
                    .is_none_or(|only| f.logical_id.contains(only))
            })
            .collect(),
        api: RuntimeApi::start().await?,
        // Files for the products that keep them: an S3 server over a folder, as in the tests.
        s3: S3Server::start(BENCH_BUCKET, "test", "test").await?,
        // The functions reach DynamoDB Local through a proxy that counts their round trips.
        store_proxy: StoreProxy::start(&endpoint).await?,
        endpoint,
        release: options.bins.clone(),
        peer_dir: root.join("bench/peer-node"),
        home: home.path().to_path_buf(),
        logs,
        root,
        runs: options.runs,
    };
    // Twice, one pass right after the other: the report shows whether they agree, which a
    // figure must before it is published.
    eprintln!("first pass");
    let first = bench.pass().await?;
    eprintln!("second pass");
    let second = bench.pass().await?;
    publish(&options.report, &report(options.runs, &first, &second))?;
    Ok(())
}

/// What every pass shares: the Runtime API, the stores and where things are.
struct Bench {
    functions: Vec<Function>,
    api: RuntimeApi,
    s3: S3Server,
    store_proxy: StoreProxy,
    endpoint: String,
    release: PathBuf,
    peer_dir: PathBuf,
    home: PathBuf,
    logs: PathBuf,
    root: PathBuf,
    runs: usize,
}

impl Bench {
    /// Every product's functions, each alternated with the floor, then the peer.
    async fn pass(&self) -> BenchResult<Pass> {
        let mut functions = Vec::new();
        let mut floor_samples = Vec::new();
        let mut floor_probe = None;
        let mut peer = Vec::new();
        for product in &products::all() {
            let table = format!("bench-{}-{}", product.name, uuid::Uuid::new_v4().simple());
            let dynamo = DynamoStore::local(&self.endpoint, table.clone());
            dynamo.create_table_if_missing().await?;
            let store: DynStore = Arc::new(dynamo);
            let prepared = product.prepare(&store).await?;
            let launch = |name: &str, program: PathBuf, binary: Option<PathBuf>| {
                let mut env = lambda_env(
                    name,
                    &self.api.address(),
                    &self.store_proxy.endpoint,
                    &table,
                    &self.home,
                    &prepared,
                );
                env.extend([
                    ("BUCKET_NAME".to_string(), BENCH_BUCKET.to_string()),
                    ("BLOB_PREFIX".to_string(), format!("{}/", product.name)),
                    ("AWS_ENDPOINT_URL_S3".to_string(), self.s3.endpoint()),
                ]);
                Launch {
                    name: name.to_string(),
                    program,
                    args: Vec::new(),
                    dir: self.root.clone(),
                    env,
                    binary,
                }
            };
            let floor_binary = self.release.join("bench-floor");
            let floor = launch("bench-floor", floor_binary.clone(), Some(floor_binary));

            eprintln!(
                "{}: {} runs each, the floor's alternated with them",
                product.name, self.runs
            );
            // The product's functions are those built from its binaries: two products may
            // serve the same paths (`/api/auth/login`) on their own APIs.
            let binaries: Vec<&str> = product
                .def
                .lambda_binaries()
                .into_iter()
                .map(|b| b.name)
                .collect();
            let app = product.app(store.clone())?;
            let samples = prepare_probes(product, &app, &prepared.admin_token).await?;
            let mut measured = Vec::new();
            for function in self
                .functions
                .iter()
                .filter(|f| binaries.contains(&f.binary.as_str()))
            {
                let Some(probe) = probe_for(function, product, &prepared.admin_token, &samples)
                else {
                    return Err(
                        format!("{}: no route to measure it with", function.logical_id).into(),
                    );
                };
                measured.push((function, probe));
            }
            warm_emulator(&app, product, measured.iter().map(|(_, p)| p)).await?;
            let mut probes = Vec::new();
            for (function, probe) in measured {
                let binary = self.release.join(&function.binary);
                let mut function_launch =
                    launch(&function.logical_id, binary.clone(), Some(binary));
                function_launch
                    .env
                    .push(("_HANDLER".into(), function.handler.clone()));
                let (mut row, beside) =
                    self.measure(&function_launch, Some(&floor), &probe).await?;
                row.floor_init = Some(median_init(&beside));
                floor_samples.extend(beside);
                floor_probe.get_or_insert_with(|| probe.clone());
                probes.push(probe);
                functions.push(row);
            }
            for document in product.def.load_plan().documents {
                let (Some(html), Some(row)) = (
                    document.html,
                    functions.iter().find(|r| r.name == document.function),
                ) else {
                    continue;
                };
                let probe = row.probe.clone();
                peer.push(self.browser_peer(&html()?, probe)?);
            }
            // The peer implements two routes of one product (bench/peer-node).
            let peer_ric = self.peer_dir.join("node_modules/.bin/aws-lambda-ric");
            if product.name != PEER_PRODUCT || !peer_ric.exists() {
                continue;
            }
            for probe in probes
                .iter()
                .filter(|p| p.path == "/api/plans" || p.path == "/api/auth/login")
            {
                let mut launch = launch(NODE_PEER, peer_ric.clone(), None);
                launch.args = vec!["index.handler".into()];
                launch.dir = self.peer_dir.clone();
                launch.env.extend([
                    ("_HANDLER".into(), "index.handler".into()),
                    (
                        "LAMBDA_TASK_ROOT".into(),
                        self.peer_dir.display().to_string(),
                    ),
                    ("NODE_ENV".into(), "production".into()),
                ]);
                peer.push(self.measure(&launch, None, probe).await?.0);
            }
        }
        let floor = Row {
            name: "bench-floor".into(),
            probe: floor_probe.ok_or("no function to measure")?,
            binary_bytes: std::fs::metadata(self.release.join("bench-floor"))
                .ok()
                .map(|m| m.len()),
            limits: Limits::SERVING,
            samples: floor_samples,
            floor_init: None,
        };
        Ok(Pass {
            functions,
            floor,
            peer,
            verification: password_verification(self.runs)?,
        })
    }

    /// The browser's row beside the function that renders `html`'s document: the page
    /// printed once uncounted, then `runs` times, each a new browser.
    fn browser_peer(&self, html: &str, probe: Probe) -> BenchResult<Row> {
        let chromium = chromium().ok_or(
            "no Chromium to print the page a function renders (bench/run.sh installs it; \
             or set BENCH_CHROMIUM)",
        )?;
        let printed = print_with_chromium(&chromium, html, self.runs + 1)?;
        let samples: Vec<Sample> = printed
            .runs
            .iter()
            .skip(1)
            .map(|took| Sample {
                init: *took,
                cold: *took,
                peak_rss_kb: printed.peak_kb,
                status: 200,
                store_calls: 0,
                sequential_calls: 0,
            })
            .collect();
        let row = Row {
            name: BROWSER_PEER.into(),
            probe,
            binary_bytes: None,
            limits: Limits::RENDERING,
            samples,
            floor_init: None,
        };
        eprintln!(
            "  {:<24} {:<28} whole run {:>7} ms",
            row.name,
            row.probe.label(),
            ms(row.cold())
        );
        Ok(row)
    }

    /// Measures `launch`, and with `floor`, launches the floor after each of its launches:
    /// the machine's state drifts over a run (page cache, the emulator's JVM, memory
    /// scanning), and alternating puts the same drift in a function's samples and in the
    /// floor's it is divided by.
    async fn measure(
        &self,
        launch: &Launch,
        floor: Option<&Launch>,
        probe: &Probe,
    ) -> BenchResult<(Row, Vec<Sample>)> {
        let (api, store) = (&self.api, &self.store_proxy);
        let log = self.logs.join(format!("{}.log", launch.name));
        let floor_log = self.logs.join("bench-floor.log");
        // One launch first, not counted: it puts the binary in the page cache (as Lambda's
        // sandboxes keep it) and has DynamoDB Local's JVM compile the request path.
        cold_start(api, store, launch, probe, &log).await?;
        if let Some(floor) = floor {
            cold_start(api, store, floor, probe, &floor_log).await?;
        }
        let mut samples = Vec::with_capacity(self.runs);
        let mut floor_samples = Vec::with_capacity(self.runs);
        for _ in 0..self.runs {
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
            limits: Limits::of(&launch.name),
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
}

/// One argon2id verification at the functions' parameters (`web::password`), median of
/// `runs` (a login's cold start has it set aside).
fn password_verification(runs: usize) -> BenchResult<Duration> {
    let password = "a bench password, long enough";
    let stored = web::password::hash(password)?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let verified = web::password::verify(password, &stored);
        times.push(started.elapsed());
        if !verified {
            return Err("a password does not verify against its own hash".into());
        }
    }
    Ok(bench::stats::median(&times))
}
