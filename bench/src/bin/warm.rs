//! Warm latency and throughput of the real local server (`target/release/local-api`, on a
//! throw-away store, on 127.0.0.1) under the bench crate's load generator. Every product of
//! `products::all()` is measured on its writes (`Product::writes`, first, so that the
//! records with id 1 exist) and on every GET of its route table (path parameters from the
//! demo data where the product's load plan names them, else 1; the demo admin's token, or
//! a caller of the role a route admits: `bench::load::readers`). Each route runs twice: on
//! one connection (latency, which the target is judged on) and on `--connections`
//! (throughput). Writes a Markdown report.

use bench::load::readers::Readers;
use bench::load::server::LocalServer;
use bench::load::{COLUMNS, Outcome, Plan, Target, send};
use bench::products::Product;
use bench::report::{publish, table, verdict};
use bench::stats::ms;
use bench::{BenchResult, cli, workspace_root};
use reqwest::Method;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: warm [--quick] [--connections N] [--report FILE] [--local-api BINARY]
  needs target/release/local-api (cargo build --release -p local-api)";

/// The target: p99 of a warm read on one connection.
const READ_P99_TARGET: Duration = Duration::from_millis(2);

struct Options {
    quick: bool,
    connections: usize,
    report: PathBuf,
    local_api: PathBuf,
}

impl Options {
    /// Requests per route not counted, so that connections, caches and SQLite statements
    /// are warm before measuring.
    fn warmup(&self) -> usize {
        if self.quick { 20 } else { 200 }
    }

    /// One connection: requests and time budget per route.
    fn latency_plan(&self) -> Plan {
        Plan {
            connections: 1,
            requests: if self.quick { 200 } else { 3000 },
            max_duration: Duration::from_secs(if self.quick { 2 } else { 10 }),
        }
    }

    /// `--connections` connections: requests and time budget per route.
    fn throughput_plan(&self) -> Plan {
        Plan {
            connections: self.connections,
            requests: if self.quick { 400 } else { 6000 },
            max_duration: Duration::from_secs(if self.quick { 2 } else { 10 }),
        }
    }
}

fn options() -> Result<Options, String> {
    let root = workspace_root();
    let mut options = Options {
        quick: false,
        connections: 8,
        report: root.join("bench/results/warm.md"),
        local_api: root.join("target/release/local-api"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--connections" => {
                options.connections = cli::positive(args.next(), "--connections")?;
            }
            "--report" => options.report = cli::path(args.next(), "--report")?,
            "--local-api" => {
                options.local_api = cli::path(args.next(), "--local-api")?;
            }
            _ => return Err(USAGE.into()),
        }
    }
    Ok(options)
}

/// One measured route.
struct Row {
    product: &'static str,
    target: Target,
    read: bool,
    latency: Outcome,
    throughput: Outcome,
}

/// The writes of `product` to measure, in its load plan's order.
fn writes(product: &Product, origin: &str, token: &str) -> Vec<Target> {
    product
        .writes
        .iter()
        .map(|(method, path, body)| Target {
            method: Method::from_bytes(method.as_bytes()).unwrap_or(Method::POST),
            url: format!("{origin}{path}"),
            token: product.write_token(method, path, token).map(str::to_string),
            body: Some(body.to_string()),
            label: format!("{method} {path}"),
        })
        .collect()
}

/// Logs in as the product's demo admin on the running server.
async fn admin_token(product: &Product, server: &LocalServer, origin: &str) -> BenchResult<String> {
    // A product without accounts has no protected route to send a token to.
    let Some((path, pointer)) = product.admin_login else {
        return Ok(String::new());
    };
    let body = server
        .admin_login_body(product.name)
        .ok_or_else(|| format!("{}: local-api printed no admin login", product.name))?;
    let login = Target {
        method: Method::POST,
        url: format!("{origin}{path}"),
        token: None,
        body: Some(body.to_string()),
        label: format!("POST {path}"),
    };
    let (status, text) = send(&bench::load::client()?, &login).await?;
    let reply: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    reply
        .pointer(pointer)
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("{}: admin login answered {status}: {text}", product.name).into())
}

async fn measure(
    options: &Options,
    product: &'static str,
    target: Target,
    read: bool,
) -> BenchResult<Row> {
    bench::load::run(
        &target,
        Plan {
            connections: 1,
            requests: options.warmup(),
            max_duration: Duration::from_secs(10),
        },
    )
    .await?;
    let latency = bench::load::run(&target, options.latency_plan()).await?;
    let throughput = bench::load::run(&target, options.throughput_plan()).await?;
    eprintln!(
        "  {:<32} 1 conn: p50 {:>6} p99 {:>6} ms {:>6.0} req/s | {} conns: p99 {:>6} ms {:>6.0} req/s{}",
        target.label,
        ms(latency.p50()),
        ms(latency.p99()),
        latency.per_second(),
        options.connections,
        ms(throughput.p99()),
        throughput.per_second(),
        if latency.non_2xx + latency.failed + throughput.non_2xx + throughput.failed > 0 {
            "  (non-2xx!)"
        } else {
            ""
        }
    );
    Ok(Row {
        product,
        target,
        read,
        latency,
        throughput,
    })
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let options = options()?;
    let logs = workspace_root().join("target/bench-logs");
    std::fs::create_dir_all(&logs)?;
    let log = logs.join("warm-local-api.log");
    // The limits count every request from 127.0.0.1: out of the way, as for any load test.
    let env = [
        ("RATE_LIMIT_MAX", "100000000"),
        ("LOGIN_RATE_LIMIT_MAX", "100000000"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let started = Instant::now();
    let products = bench::products::all();
    let server = LocalServer::start(&options.local_api, &products, &env, &log)?;
    eprintln!(
        "local-api ready in {:?}: {:?}",
        started.elapsed(),
        server.origins
    );

    let mut rows = Vec::new();
    for product in &products {
        let origin = server
            .origin(product.name)
            .ok_or_else(|| format!("no URL for {}", product.name))?
            .to_string();
        let token = admin_token(product, &server, &origin).await?;
        eprintln!("{}:", product.name);
        for target in writes(product, &origin, &token) {
            rows.push(measure(&options, product.name, target, false).await?);
        }
        let readers = Readers::prepare(product, &server, &origin, &token).await?;
        for route in product.routes.iter().filter(|r| r.method == "GET") {
            rows.push(measure(&options, product.name, readers.target(route), true).await?);
        }
    }
    server.stop();

    let text = report(&options, &products, &rows, started.elapsed());
    publish(&options.report, &text)?;
    Ok(())
}

fn report(options: &Options, products: &[Product], rows: &[Row], took: Duration) -> String {
    let latency_plan = options.latency_plan();
    let throughput_plan = options.throughput_plan();
    let mut text = format!(
        "# Warm latency and throughput\n\n\
         The real local server (`target/release/local-api serve --ephemeral`, embedded SQLite \
         store, demo data) on 127.0.0.1, under the bench crate's closed-loop load generator \
         (reqwest, keep-alive connections; each connection sends its next request when the \
         previous answer is read). Client and server share this machine's {} cores. Writes \
         run first (so that id 1 exists for the reads), then every GET of the route table \
         (path parameters from the demo data where the product names them, else 1; the demo \
         admin's token, or a caller of the role a route admits). Per route: {} \
         unmeasured warm-up requests, then up to {} requests (or {} s) on one connection, \
         then up to {} requests (or {} s) on {} connections. Latency: request sent to body \
         read. Rate limits set out of reach (`RATE_LIMIT_MAX`, `LOGIN_RATE_LIMIT_MAX`); each \
         request still pays the rate-limit counter write. Run took {:.0} s, load average at its end {}{}.\n\n\
         Target: p99 of a warm read under {} ms on one connection.\n",
        std::thread::available_parallelism().map_or(0, usize::from),
        options.warmup(),
        latency_plan.requests,
        latency_plan.max_duration.as_secs(),
        throughput_plan.requests,
        throughput_plan.max_duration.as_secs(),
        options.connections,
        took.as_secs_f64(),
        bench::load::load_average(),
        if options.quick {
            " (`--quick`: a smoke run, not figures)"
        } else {
            ""
        },
        READ_P99_TARGET.as_millis(),
    );
    let mut missed = Vec::new();
    let mut problems = Vec::new();
    for product in products {
        let product_rows: Vec<&Row> = rows.iter().filter(|r| r.product == product.name).collect();
        let mut latency_rows = Vec::new();
        let mut throughput_rows = Vec::new();
        for row in &product_rows {
            let kind = if row.read { "read" } else { "write" };
            let mut cells = vec![format!("`{}`", row.target.label), kind.to_string()];
            cells.extend(row.latency.cells());
            let clean = row.latency.non_2xx + row.latency.failed == 0;
            cells.push(if row.read {
                let met = row.latency.p99() < READ_P99_TARGET && clean;
                if !met {
                    missed.push(format!(
                        "{}: `{}` p99 {} ms{}",
                        product.name,
                        row.target.label,
                        ms(row.latency.p99()),
                        if clean { "" } else { " (with non-2xx answers)" }
                    ));
                }
                verdict(met).to_string()
            } else {
                String::new()
            });
            latency_rows.push(cells);
            let mut cells = vec![format!("`{}`", row.target.label), kind.to_string()];
            cells.extend(row.throughput.cells());
            throughput_rows.push(cells);
            for (run, outcome) in [("1 connection", &row.latency), ("loaded", &row.throughput)] {
                if let Some(problem) = &outcome.first_problem {
                    problems.push(format!(
                        "{}: `{}` ({run}): {}",
                        product.name,
                        row.target.label,
                        problem.replace('\n', " ")
                    ));
                }
            }
        }
        let mut header = vec!["route", "kind"];
        header.extend(COLUMNS);
        text.push_str(&format!(
            "\n## {}: one connection (latency)\n\n",
            product.name
        ));
        let mut latency_header = header.clone();
        latency_header.push("p99 < 2 ms");
        text.push_str(&table(&latency_header, &latency_rows));
        text.push_str(&format!(
            "\n## {}: {} connections (throughput)\n\n",
            product.name, options.connections
        ));
        text.push_str(&table(&header, &throughput_rows));
    }
    text.push_str("\n## Targets\n\n");
    let reads = rows.iter().filter(|r| r.read).count();
    text.push_str(&format!(
        "- p99 of a warm read under {} ms, one connection, {} read routes: {}\n",
        READ_P99_TARGET.as_millis(),
        reads,
        verdict(missed.is_empty())
    ));
    for line in &missed {
        text.push_str(&format!("  - {line}\n"));
    }
    if !problems.is_empty() {
        text.push_str("\n## Non-2xx answers (first of each run)\n\n");
        for line in problems {
            text.push_str(&format!("- {line}\n"));
        }
    }
    text
}
