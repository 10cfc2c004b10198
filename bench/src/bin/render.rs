//! Render time of every document the products make (`LoadPlan::documents`): the first
//! render in this process (the fonts registered, the engine's code paged in) and warm
//! renders after it, with the memory rendering adds to the process's peak. The function's
//! own start is in the cold start report. Writes a Markdown report.

use bench::coldstart::peak_rss_kb;
use bench::products;
use bench::report::{publish, table, verdict};
use bench::stats::{median, ms, quantile};
use bench::{BenchResult, cli, workspace_root};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: render [--runs N] [--report FILE]";

/// The PDF functions' target for a warm render (CV Builder's issue sets it for résumés).
const WARM_TARGET: Duration = Duration::from_millis(50);

/// What rendering may add to a function's peak memory: the PDF functions' 64 MB, less
/// what a function holds before its first request (about 10 MB in the cold start report).
const GROWTH_TARGET_KB: u64 = 54 * 1024;

struct Row {
    product: &'static str,
    function: &'static str,
    name: &'static str,
    bytes: usize,
    first: Duration,
    warm: Vec<Duration>,
    growth_kb: u64,
}

fn measure(
    product: &'static str,
    document: &web::product::Rendered,
    runs: usize,
) -> BenchResult<Row> {
    let before = peak_rss_kb(std::process::id());
    let started = Instant::now();
    let pdf = (document.render)()?;
    let first = started.elapsed();
    let mut warm = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let again = (document.render)()?;
        warm.push(started.elapsed());
        if again.len() != pdf.len() {
            return Err(
                format!("{}: renders of one document differ in size", document.name).into(),
            );
        }
    }
    Ok(Row {
        product,
        function: document.function,
        name: document.name,
        bytes: pdf.len(),
        first,
        warm,
        growth_kb: peak_rss_kb(std::process::id()).saturating_sub(before),
    })
}

fn report(rows: &[Row], runs: usize) -> String {
    let mut out = format!(
        "# Render time\n\nEvery document of the products' load plans, rendered in one \
         process: *first* is the first render (fonts registered, the engine's code paged \
         in), *warm* the median and p99 of the {runs} renders after it, *added to peak* what \
         rendering added to the process's peak resident memory. Targets: warm render under \
         {} ms; rendering adds under {} MB to a function's peak (64 MB in all).\n\n",
        WARM_TARGET.as_millis(),
        GROWTH_TARGET_KB / 1024
    );
    let mut missed = Vec::new();
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let warm = median(&row.warm);
            let warm_met = warm < WARM_TARGET;
            let growth_met = row.growth_kb < GROWTH_TARGET_KB;
            if !warm_met {
                missed.push(format!("{}: warm render {} ms", row.name, ms(warm)));
            }
            if !growth_met {
                missed.push(format!(
                    "{}: added {} kB to the peak",
                    row.name, row.growth_kb
                ));
            }
            vec![
                row.product.to_owned(),
                format!("`{}`", row.function),
                row.name.to_owned(),
                format!("{:.0} kB", row.bytes as f64 / 1000.0),
                ms(row.first),
                format!("{} {}", ms(warm), verdict(warm_met)),
                ms(quantile(&row.warm, 0.99)),
                format!(
                    "{:.1} MB {}",
                    row.growth_kb as f64 / 1024.0,
                    verdict(growth_met)
                ),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "product",
            "function",
            "document",
            "PDF",
            "first ms",
            "warm ms (median)",
            "warm p99 ms",
            "added to peak",
        ],
        &table_rows,
    ));
    if !missed.is_empty() {
        out.push_str("\n## Targets missed\n\n");
        for line in missed {
            out.push_str(&format!("- {line}\n"));
        }
    }
    out
}

fn main() -> BenchResult<()> {
    let mut runs = 30;
    let mut path = workspace_root().join("bench/results/render.md");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = cli::positive(args.next(), "--runs")?,
            "--report" => path = cli::path(args.next(), "--report")?,
            _ => return Err(USAGE.into()),
        }
    }
    let mut rows = Vec::new();
    for product in products::all() {
        for document in product.def.load_plan().documents {
            rows.push(measure(product.name, document, runs)?);
        }
    }
    publish(&path, &report(&rows, runs))?;
    Ok(())
}
