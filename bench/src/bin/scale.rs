//! Scale: the cost of a page of every paginated list (`Product::paginated`) with a small and
//! with a large table. Each product is served in-process over an embedded store in a temp
//! dir, filled to the first size (`Product::fill`), its pages timed, then filled on to the
//! second size and timed again. Page 1 and page 5 (limit 20) are each requested many times
//! on one connection; the report compares medians. Writes a Markdown report.

use bench::load::{Outcome, Plan, Target, send};
use bench::products::{Filled, InProcessServer, Product};
use bench::report::{publish, table, verdict};
use bench::stats::{ms, ratio};
use bench::{BenchResult, cli, workspace_root};
use reqwest::Method;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::DynStore;
use store::embedded::EmbeddedStore;

const USAGE: &str =
    "usage: scale [--quick] [--sizes SMALL,LARGE] [--runs N] [--report FILE] [--only PRODUCT]";

/// The target: a page at the large size costs at most this many times the small size's.
const RATIO_TARGET: f64 = 1.3;
const PAGES: [u32; 2] = [1, 5];
const LIMIT: u32 = 20;

struct Options {
    quick: bool,
    small: usize,
    large: usize,
    runs: usize,
    report: PathBuf,
    /// Measures only the product of this name (while trying a change).
    only: Option<String>,
}

fn sizes(text: &str) -> Option<(usize, usize)> {
    let (small, large) = text.split_once(',')?;
    let (small, large) = (small.trim().parse().ok()?, large.trim().parse().ok()?);
    (0 < small && small < large).then_some((small, large))
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        quick: false,
        small: 1_000,
        large: 100_000,
        runs: 300,
        report: workspace_root().join("bench/results/scale.md"),
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => {
                options.quick = true;
                (options.small, options.large, options.runs) = (100, 2_000, 50);
            }
            "--sizes" => {
                (options.small, options.large) = args
                    .next()
                    .as_deref()
                    .and_then(sizes)
                    .ok_or("--sizes takes SMALL,LARGE with 0 < SMALL < LARGE")?;
            }
            "--runs" => {
                options.runs = cli::positive(args.next(), "--runs")?;
            }
            "--report" => options.report = cli::path(args.next(), "--report")?,
            "--only" => options.only = Some(args.next().ok_or(USAGE)?),
            _ => return Err(USAGE.into()),
        }
    }
    Ok(options)
}

/// One page of one list, timed at one size.
struct Timing {
    path: &'static str,
    page: u32,
    /// The list's own `total`, as it answers it: the real number of items.
    total: Option<u64>,
    outcome: Outcome,
}

/// What one product measured at one size.
struct Stage {
    size: usize,
    filled: Vec<Filled>,
    timings: Vec<Timing>,
    db_bytes: u64,
}

async fn time_pages(
    product: &Product,
    origin: &str,
    token: &str,
    runs: usize,
) -> BenchResult<Vec<Timing>> {
    let mut timings = Vec::new();
    for list in product.paginated {
        let path = list.list;
        for page in PAGES {
            let target = Target {
                method: Method::GET,
                url: format!("{origin}{path}?page={page}&limit={LIMIT}"),
                token: Some(token.to_string()),
                body: None,
                label: format!("GET {path}?page={page}&limit={LIMIT}"),
            };
            let (status, text) = send(&bench::load::client()?, &target).await?;
            if status != 200 {
                return Err(format!("{}: {status} {text}", target.label).into());
            }
            let total = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|answer| answer.pointer(list.total).and_then(Value::as_u64));
            // Warm-up: connection, SQLite statements and pages in cache.
            let warmup = Plan {
                connections: 1,
                requests: (runs / 10).max(10),
                max_duration: Duration::from_secs(30),
            };
            bench::load::run(&target, warmup).await?;
            let plan = Plan {
                connections: 1,
                requests: runs,
                max_duration: Duration::from_secs(60),
            };
            let outcome = bench::load::run(&target, plan).await?;
            eprintln!(
                "    {:<44} total {:>7} median {:>6} ms p99 {:>6} ms",
                target.label,
                total.map_or("?".into(), |t| t.to_string()),
                ms(outcome.p50()),
                ms(outcome.p99())
            );
            timings.push(Timing {
                path,
                page,
                total,
                outcome,
            });
        }
    }
    Ok(timings)
}

async fn measure(product: &Product, options: &Options) -> BenchResult<Vec<Stage>> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(format!("{}.sqlite3", product.name));
    let store: DynStore = Arc::new(EmbeddedStore::open(&db)?);
    let prepared = product.prepare(&store).await?;
    let server = InProcessServer::start(product, store.clone()).await?;
    let origin = server.origin.clone();

    let mut stages = Vec::new();
    let mut have = 0;
    for size in [options.small, options.large] {
        eprintln!("{}: filling to {size} of each entity", product.name);
        let filled = product
            .fill(&origin, &prepared.admin_token, have, size)
            .await?;
        for f in &filled {
            let took = f
                .took
                .map_or("—".into(), |t| format!("{:.1} s", t.as_secs_f64()));
            eprintln!("    {:<10} +{:<7} {took:>9}  {}", f.entity, f.added, f.how);
        }
        have = size;
        let timings = time_pages(product, &origin, &prepared.admin_token, options.runs).await?;
        let db_bytes = ["", "-wal"]
            .iter()
            .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", db.display())).ok())
            .map(|m| m.len())
            .sum();
        stages.push(Stage {
            size,
            filled,
            timings,
            db_bytes,
        });
    }
    server.stop().await;
    Ok(stages)
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let options = options()?;
    let started = Instant::now();
    let products = bench::products::all();
    let mut results = Vec::new();
    // Only products with paginated lists have something to grow.
    let wanted = |p: &&Product| options.only.as_deref().is_none_or(|name| p.name == name);
    for product in products
        .iter()
        .filter(|p| !p.paginated.is_empty())
        .filter(wanted)
    {
        results.push((product, measure(product, &options).await?));
    }
    let text = report(&options, &results, started.elapsed());
    publish(&options.report, &text)?;
    Ok(())
}

fn report(options: &Options, results: &[(&Product, Vec<Stage>)], took: Duration) -> String {
    let mut text = format!(
        "# Scale: list pages with {} and with {} items\n\n\
         Each product served in-process (`web::local::serve` on 127.0.0.1) over the embedded \
         store (SQLite, in a temp dir), filled to {} items of each listed entity, every \
         paginated list timed, then filled on to {} and timed again. Each page (`page` {}, \
         `limit` {LIMIT}, the admin's token) is requested {} times on one keep-alive \
         connection after a warm-up; the figures are medians (request sent to body read). \
         Run took {:.0} s, load average at its end {}{}.\n\n\
         Target: the median cost of a page at {} items within {RATIO_TARGET}× of that at {}.\n",
        options.small,
        options.large,
        options.small,
        options.large,
        PAGES.map(|p| p.to_string()).join(" and "),
        options.runs,
        took.as_secs_f64(),
        bench::load::load_average(),
        if options.quick {
            " (`--quick`: a smoke run, not figures)"
        } else {
            ""
        },
        options.large,
        options.small,
    );
    let mut missed = Vec::new();
    for (product, stages) in results {
        let (Some(small), Some(large)) = (stages.first(), stages.last()) else {
            continue;
        };
        text.push_str(&format!("\n## {}: filling\n\n", product.name));
        let mut fill_rows = Vec::new();
        for stage in stages {
            for f in &stage.filled {
                fill_rows.push(vec![
                    stage.size.to_string(),
                    f.entity.to_string(),
                    f.added.to_string(),
                    f.took
                        .map_or("—".into(), |t| format!("{:.1}", t.as_secs_f64())),
                    f.took.map_or("—".into(), |t| {
                        format!("{:.0}", f.added as f64 / t.as_secs_f64().max(1e-9))
                    }),
                    f.how.to_string(),
                ]);
            }
        }
        text.push_str(&table(
            &[
                "to size",
                "entity",
                "added",
                "seconds",
                "items/s",
                "written through",
            ],
            &fill_rows,
        ));
        text.push_str(&format!(
            "\nStore file (with its WAL): {} at {}, {} at {}.\n",
            bench::report::mb(small.db_bytes),
            small.size,
            bench::report::mb(large.db_bytes),
            large.size
        ));
        text.push_str(&format!("\n## {}: page cost\n\n", product.name));
        let mut rows = Vec::new();
        for (a, b) in small.timings.iter().zip(&large.timings) {
            let r = ratio(b.outcome.p50(), a.outcome.p50());
            let clean =
                a.outcome.non_2xx + a.outcome.failed + b.outcome.non_2xx + b.outcome.failed == 0;
            let met = r <= RATIO_TARGET && clean;
            if !met {
                missed.push(format!(
                    "{}: `GET {}` page {}: {r:.2}×{}",
                    product.name,
                    a.path,
                    a.page,
                    if clean { "" } else { " (non-2xx answers)" }
                ));
            }
            let total = |t: &Timing| t.total.map_or("?".into(), |n| n.to_string());
            rows.push(vec![
                format!("`GET {}`", a.path),
                a.page.to_string(),
                total(a),
                ms(a.outcome.p50()),
                ms(a.outcome.p99()),
                total(b),
                ms(b.outcome.p50()),
                ms(b.outcome.p99()),
                format!("{r:.2}× {}", verdict(met)),
            ]);
        }
        text.push_str(&table(
            &[
                "list",
                "page",
                "total (small)",
                "median ms",
                "p99 ms",
                "total (large)",
                "median ms",
                "p99 ms",
                "large / small",
            ],
            &rows,
        ));
    }
    text.push_str("\n## Targets\n\n");
    text.push_str(&format!(
        "- page cost at {} items within {RATIO_TARGET}× of that at {}: {}\n",
        options.large,
        options.small,
        verdict(missed.is_empty())
    ));
    for line in missed {
        text.push_str(&format!("  - {line}\n"));
    }
    text
}
