//! A closed-loop HTTP load generator: a fixed number of connections, each sending its next
//! request as soon as the previous answer is read, until a request budget or a deadline is
//! spent, whichever comes first. It stops by itself. Used by `warm` (latency and throughput
//! of the local server) and `scale` (filling a store through the API, timing list pages).

pub mod readers;
pub mod server;

use crate::stats::{median, ms, quantile};
use reqwest::Method;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One request shape, sent many times.
#[derive(Debug, Clone)]
pub struct Target {
    pub method: Method,
    /// Absolute URL, query string included.
    pub url: String,
    pub token: Option<String>,
    /// The JSON body; every `{n}` in it becomes a number unique within this process, so
    /// writes with unique fields (references, phone numbers) do not collide, and `{k}` the
    /// count of this body's requests (1, 2, 3...), to refer to the k-th item another write
    /// made (a payment of the k-th order).
    pub body: Option<String>,
    /// `METHOD /path`, for reports.
    pub label: String,
}

/// How much load: `connections` in parallel, `requests` in all, for at most `max_duration`.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub connections: usize,
    pub requests: usize,
    pub max_duration: Duration,
}

/// What one run measured.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Latency of every answered request (sent to body fully read).
    pub latencies: Vec<Duration>,
    /// Answers outside 2xx.
    pub non_2xx: usize,
    /// Requests that got no answer (connection error, timeout).
    pub failed: usize,
    /// The first non-2xx answer or failure, to say why in the report.
    pub first_problem: Option<String>,
    /// First request sent to last answer read.
    pub elapsed: Duration,
}

impl Outcome {
    pub fn requests(&self) -> usize {
        self.latencies.len() + self.failed
    }

    pub fn p50(&self) -> Duration {
        median(&self.latencies)
    }

    pub fn p99(&self) -> Duration {
        quantile(&self.latencies, 0.99)
    }

    pub fn max(&self) -> Duration {
        self.latencies.iter().max().copied().unwrap_or_default()
    }

    pub fn per_second(&self) -> f64 {
        if self.elapsed.is_zero() {
            0.0
        } else {
            self.requests() as f64 / self.elapsed.as_secs_f64()
        }
    }

    /// `requests, non-2xx, p50, p99, max, req/s` cells of a report row.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.requests().to_string(),
            (self.non_2xx + self.failed).to_string(),
            ms(self.p50()),
            ms(self.p99()),
            ms(self.max()),
            format!("{:.0}", self.per_second()),
        ]
    }

    /// Adds `other`'s requests to these (the elapsed time is the caller's to set).
    pub fn merge(&mut self, other: Outcome) {
        self.latencies.extend(other.latencies);
        self.non_2xx += other.non_2xx;
        self.failed += other.failed;
        if self.first_problem.is_none() {
            self.first_problem = other.first_problem;
        }
    }
}

/// The header cells matching [`Outcome::cells`].
pub const COLUMNS: [&str; 6] = ["requests", "non-2xx", "p50 ms", "p99 ms", "max ms", "req/s"];

/// The 1, 5 and 15 minute load averages: other work on the machine (a build) skews the
/// figures, so reports say how busy it was.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

/// Source of the `{n}` numbers: unique for the life of the process.
static SEQUENCE: AtomicU64 = AtomicU64::new(1);

/// How many requests each body with a `{k}` has made, for the life of the process.
static COUNTS: std::sync::Mutex<BTreeMap<String, u64>> = std::sync::Mutex::new(BTreeMap::new());

/// `template` with its `{k}`, `{n}` and `{n8}` filled (see [`Target::body`]).
fn body_for(template: &str) -> String {
    let k = if template.contains("{k}") {
        COUNTS.lock().map_or(1, |mut counts| {
            let count = counts.entry(template.to_string()).or_insert(0);
            *count += 1;
            *count
        })
    } else {
        1
    };
    filled(template, k)
}

/// The body of the first request of `template` on a table of its own: `{k}` is 1, whatever
/// was sent to other tables before.
pub fn first_body_for(template: &str) -> String {
    filled(template, 1)
}

fn filled(template: &str, k: u64) -> String {
    let mut body = template.replace("{k}", &k.to_string());
    if template.contains("{n}") || template.contains("{n8}") {
        let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        body = body
            .replace("{n8}", &format!("{:08}", n % 100_000_000))
            .replace("{n}", &n.to_string());
    }
    body
}

/// A client that holds exactly one keep-alive connection to one host, never through a proxy
/// (everything here is on 127.0.0.1).
pub fn client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
}

/// Sends `target` once on `client`; the status and the body text.
pub async fn send(client: &reqwest::Client, target: &Target) -> reqwest::Result<(u16, String)> {
    let mut request = client.request(target.method.clone(), &target.url);
    if let Some(token) = &target.token {
        request = request.bearer_auth(token);
    }
    if let Some(template) = &target.body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body_for(template));
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

/// Runs `plan` against `target` and returns every latency.
pub async fn run(target: &Target, plan: Plan) -> reqwest::Result<Outcome> {
    let issued = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + plan.max_duration;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..plan.connections.max(1) {
        let client = client()?;
        let target = target.clone();
        let issued = issued.clone();
        workers.spawn(async move {
            let mut outcome = Outcome::default();
            while Instant::now() < deadline
                && issued.fetch_add(1, Ordering::Relaxed) < plan.requests
            {
                let sent = Instant::now();
                match send(&client, &target).await {
                    Ok((status, text)) => {
                        outcome.latencies.push(sent.elapsed());
                        if !(200..300).contains(&status) {
                            outcome.non_2xx += 1;
                            outcome.first_problem.get_or_insert_with(|| {
                                format!("{status} {}", text.chars().take(200).collect::<String>())
                            });
                        }
                    }
                    Err(e) => {
                        outcome.failed += 1;
                        outcome.first_problem.get_or_insert_with(|| e.to_string());
                    }
                }
            }
            outcome
        });
    }
    let mut total = Outcome::default();
    while let Some(worker) = workers.join_next().await {
        // A worker only ends by returning its outcome; a panic would abort (release profile).
        if let Ok(outcome) = worker {
            total.merge(outcome);
        }
    }
    total.elapsed = started.elapsed();
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_unique_and_plain_bodies_kept() {
        let a = body_for(r#"{"ref": "R-{n}"}"#);
        let b = body_for(r#"{"ref": "R-{n}"}"#);
        assert_ne!(a, b);
        assert!(!a.contains("{n}"));
        let first = body_for(r#"{"order_id": {k}, "ref": "K-{n}"}"#);
        let second = body_for(r#"{"order_id": {k}, "ref": "K-{n}"}"#);
        assert!(first.starts_with(r#"{"order_id": 1, "#), "{first}");
        assert!(second.starts_with(r#"{"order_id": 2, "#), "{second}");
        let phone = body_for(r#"{"phoneNumber": "01{n8}"}"#);
        assert_eq!(
            phone.len(),
            r#"{"phoneNumber": "0100000000"}"#.len(),
            "{phone}"
        );
        assert_eq!(body_for(r#"{"x": 1}"#), r#"{"x": 1}"#);
    }

    #[test]
    fn outcome_cells_count_failures_as_non_2xx() {
        let outcome = Outcome {
            latencies: vec![Duration::from_millis(1), Duration::from_millis(3)],
            non_2xx: 1,
            failed: 1,
            first_problem: None,
            elapsed: Duration::from_secs(1),
        };
        assert_eq!(outcome.requests(), 3);
        assert_eq!(outcome.cells()[1], "2");
        assert_eq!(outcome.max(), Duration::from_millis(3));
        assert_eq!(outcome.cells()[5], "3");
    }
}
