//! The PDF benchmark's peer: the same document's HTML page printed by headless Chromium
//! (Debian's package), the way Reactive Resume and most résumé builders make their PDFs, one
//! browser process per PDF as a function without a warm browser does. Measured beside our
//! own first PDF in a fresh process: process start to PDF written, and the largest process's
//! peak memory.

use crate::BenchResult;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One way of making a PDF from nothing, repeated: each run's time, the peak memory and the
/// size of the last PDF.
pub struct ColdPdf {
    pub runs: Vec<Duration>,
    pub peak_kb: u64,
    pub pdf_bytes: usize,
}

/// The Chromium to print with: `BENCH_CHROMIUM`, else `chromium` on the PATH.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BENCH_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join("chromium"))
        .find(|candidate| candidate.is_file())
}

/// GNU time's `%M` (the largest process's peak resident memory, kB) from its output file.
fn peak_from(file: &Path) -> u64 {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| text.lines().last()?.trim().parse().ok())
        .unwrap_or(0)
}

/// Prints `html` to PDF `runs` times with `chromium`, each a new browser with a new profile.
pub fn print_with_chromium(chromium: &Path, html: &str, runs: usize) -> BenchResult<ColdPdf> {
    let dir = tempfile::tempdir()?;
    let page = dir.path().join("resume.html");
    std::fs::write(&page, html)?;
    let pdf = dir.path().join("resume.pdf");
    let rusage = dir.path().join("time.txt");
    let mut measured = ColdPdf {
        runs: Vec::with_capacity(runs),
        peak_kb: 0,
        pdf_bytes: 0,
    };
    for run in 0..runs {
        let profile = dir.path().join(format!("profile-{run}"));
        let _ = std::fs::remove_file(&pdf);
        let started = Instant::now();
        // The flags tools.md found a closed network needs: no background connections.
        let status = Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&rusage)
            .arg(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()?;
        measured.runs.push(started.elapsed());
        let bytes = std::fs::read(&pdf).unwrap_or_default();
        if !status.success() || !bytes.starts_with(b"%PDF-") {
            return Err(format!("Chromium printed no PDF ({status})").into());
        }
        measured.pdf_bytes = bytes.len();
        measured.peak_kb = measured.peak_kb.max(peak_from(&rusage));
    }
    Ok(measured)
}

/// Our first PDF in a fresh process, `runs` times: this benchmark's binary started again to
/// render document `index` of `product` once (`--first`), which prints its size and peak.
pub fn ours_first(product: &str, index: usize, runs: usize) -> BenchResult<ColdPdf> {
    let me = std::env::current_exe()?;
    let mut measured = ColdPdf {
        runs: Vec::with_capacity(runs),
        peak_kb: 0,
        pdf_bytes: 0,
    };
    for _ in 0..runs {
        let started = Instant::now();
        let output = Command::new(&me)
            .args(["--first", product, &index.to_string()])
            .output()?;
        measured.runs.push(started.elapsed());
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
        }
        let said = String::from_utf8_lossy(&output.stdout);
        let mut words = said.split_whitespace().map(str::parse::<u64>);
        match (words.next(), words.next()) {
            (Some(Ok(bytes)), Some(Ok(peak))) => {
                measured.pdf_bytes = usize::try_from(bytes)?;
                measured.peak_kb = measured.peak_kb.max(peak);
            }
            _ => return Err(format!("render --first said {said:?}").into()),
        }
    }
    Ok(measured)
}
