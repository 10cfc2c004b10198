//! Render time of every document the products make (`LoadPlan::documents`): the first
//! render in this process (the fonts registered, the engine's code paged in) and warm
//! renders after it, with the memory rendering adds to the process's peak. The function's
//! own start is in the cold start report. A document with an HTML page (CV Builder's
//! résumés) is also made from nothing in a fresh process, beside the same page printed by
//! headless Chromium ([`bench::browser_peer`]). Writes a Markdown report.

use bench::browser_peer::{self, ColdPdf};
use bench::coldstart::peak_rss_kb;
use bench::products;
use bench::report::{publish, table, verdict};
use bench::stats::{median, ms, quantile};
use bench::{BenchResult, cli, workspace_root};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: render [--runs N] [--peer-runs N] [--report FILE]";

/// The target against the browser: our first PDF from nothing in under a tenth of its time.
const PEER_RATIO_TARGET: f64 = 0.1;

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
    /// From nothing: ours in a fresh process, and the browser printing the HTML page.
    peer: Option<(ColdPdf, Result<ColdPdf, String>)>,
}

/// Our first PDF and the browser's, from nothing, for a document with an HTML page.
fn against_the_browser(
    product: &'static str,
    index: usize,
    document: &web::product::Rendered,
    runs: usize,
) -> BenchResult<Option<(ColdPdf, Result<ColdPdf, String>)>> {
    let Some(html) = document.html else {
        return Ok(None);
    };
    let ours = browser_peer::ours_first(product, index, runs)?;
    let peer = match browser_peer::chromium() {
        Some(chromium) => {
            browser_peer::print_with_chromium(&chromium, &html()?, runs).map_err(|e| e.to_string())
        }
        None => Err("Chromium is not installed (bench/run.sh installs Debian's)".into()),
    };
    Ok(Some((ours, peer)))
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
        peer: None,
    })
}

/// The section comparing our first PDF from nothing with the browser's.
fn peer_report(rows: &[Row], missed: &mut Vec<String>) -> String {
    let compared: Vec<(&Row, &ColdPdf, &Result<ColdPdf, String>)> = rows
        .iter()
        .filter_map(|row| row.peer.as_ref().map(|(ours, peer)| (row, ours, peer)))
        .collect();
    if compared.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n## Against a browser\n\nThe document made from nothing, median of {} runs: *ours* \
         is this benchmark started again to render it once (process start, fonts, layout, \
         PDF), *Chromium* is Debian's headless Chromium printing the same résumé's HTML \
         template (`--print-to-pdf`, a new browser and profile each time, as a function \
         without a warm browser). *Peak* is the largest process's peak resident memory. \
         Target: ours under 1/10 of the browser's time.\n\n",
        compared[0].1.runs.len()
    );
    let table_rows = compared
        .into_iter()
        .map(|(row, ours, peer)| {
            let ours_time = median(&ours.runs);
            let (peer_time, ratio, peer_peak, peer_pdf) = match peer {
                Ok(peer) => {
                    let time = median(&peer.runs);
                    let ratio = ours_time.as_secs_f64() / time.as_secs_f64();
                    let met = ratio < PEER_RATIO_TARGET;
                    if !met {
                        missed.push(format!(
                            "{}: ours takes {ratio:.2} of the browser's time",
                            row.name
                        ));
                    }
                    (
                        ms(time),
                        format!("1/{:.0} {}", 1.0 / ratio, verdict(met)),
                        format!("{:.1} MB", peer.peak_kb as f64 / 1024.0),
                        format!("{:.0} kB", peer.pdf_bytes as f64 / 1000.0),
                    )
                }
                Err(why) => (why.clone(), "—".into(), "—".into(), "—".into()),
            };
            vec![
                row.name.to_owned(),
                ms(ours_time),
                format!("{:.1} MB", ours.peak_kb as f64 / 1024.0),
                format!("{:.0} kB", ours.pdf_bytes as f64 / 1000.0),
                peer_time,
                peer_peak,
                peer_pdf,
                ratio,
            ]
        })
        .collect::<Vec<_>>();
    out.push_str(&table(
        &[
            "document",
            "ours ms",
            "ours peak",
            "ours PDF",
            "Chromium ms",
            "Chromium peak",
            "Chromium PDF",
            "ours / Chromium",
        ],
        &table_rows,
    ));
    out
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
    out.push_str(&peer_report(rows, &mut missed));
    if !missed.is_empty() {
        out.push_str("\n## Targets missed\n\n");
        for line in missed {
            out.push_str(&format!("- {line}\n"));
        }
    }
    out
}

/// `--first PRODUCT INDEX`: renders that document once and prints its size and this
/// process's peak memory (kB): the fresh process [`browser_peer::ours_first`] times.
fn first(product: Option<String>, index: Option<String>) -> BenchResult<()> {
    let (Some(product), Some(index)) = (product, index) else {
        return Err(USAGE.into());
    };
    let index: usize = index.parse()?;
    let found = products::all()
        .into_iter()
        .find(|p| p.name == product)
        .and_then(|p| p.def.load_plan().documents.get(index).copied())
        .ok_or("no such document")?;
    let pdf = (found.render)()?;
    println!("{} {}", pdf.len(), peak_rss_kb(std::process::id()));
    Ok(())
}

fn main() -> BenchResult<()> {
    if std::env::args().nth(1).as_deref() == Some("--first") {
        let mut args = std::env::args().skip(2);
        return first(args.next(), args.next());
    }
    let mut peer_runs = 5;
    let mut runs = 30;
    let mut path = workspace_root().join("bench/results/render.md");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = cli::positive(args.next(), "--runs")?,
            "--peer-runs" => peer_runs = cli::positive(args.next(), "--peer-runs")?,
            "--report" => path = cli::path(args.next(), "--report")?,
            _ => return Err(USAGE.into()),
        }
    }
    let mut rows = Vec::new();
    for product in products::all() {
        for (index, document) in product.def.load_plan().documents.iter().enumerate() {
            let mut row = measure(product.name, document, runs)?;
            row.peer = against_the_browser(product.name, index, document, peer_runs)?;
            rows.push(row);
        }
    }
    publish(&path, &report(&rows, runs))?;
    Ok(())
}
