//! Counts of security events by minute and by hour, and of refused sign-ins by address and
//! hour: what the risk of an attempt and the security dashboard read. Each is an item moved
//! in the same transaction as the event it counts, and forgotten (TTL) once no reading needs
//! it. A dashboard figure is one query: the last 60 minutes' items of a count, or its last 24
//! hours'.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use store::{DynStore, Index, Key, Query, SortKey, TxOp, Update};
use web::ApiResult;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    /// Refused sign-ins (wrong credentials, shut out, throttled).
    FailedSignIns,
    /// Events of high risk.
    HighRisk,
}

impl Tally {
    fn name(self) -> &'static str {
        match self {
            Tally::FailedSignIns => "loginfail",
            Tally::HighRisk => "highrisk",
        }
    }
}

fn minute(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

pub fn hour(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H").to_string()
}

fn moved(key: Key, expires: DateTime<Utc>) -> TxOp {
    TxOp::Update {
        key,
        update: Update::new()
            .add("value", 1)
            .set("ttl", expires.timestamp()),
        cond: None,
    }
}

/// The writes that count one `tally` at `at`, by minute and by hour.
pub fn counted(tally: Tally, at: DateTime<Utc>) -> [TxOp; 2] {
    let name = tally.name();
    [
        moved(
            Key::new(format!("TALLY#{name}#m"), minute(at)),
            at + Duration::days(2),
        ),
        moved(
            Key::new(format!("TALLY#{name}#h"), hour(at)),
            at + Duration::days(3),
        ),
    ]
}

fn ip_partition(hour: &str) -> String {
    format!("IPFAIL#{hour}")
}

/// The write that counts one refused sign-in of `ip` in the hour of `at`.
pub fn ip_failed(ip: &str, at: DateTime<Utc>) -> TxOp {
    moved(
        Key::new(ip_partition(&hour(at)), ip),
        at + Duration::days(2),
    )
}

fn value(item: &store::Item) -> u64 {
    item.get("value").and_then(Value::as_u64).unwrap_or(0)
}

/// The refused sign-ins of `ip` in the hour of `at`.
pub async fn ip_failures(store: &DynStore, ip: &str, at: DateTime<Utc>) -> ApiResult<u64> {
    let item = store.get(&Key::new(ip_partition(&hour(at)), ip)).await?;
    Ok(item.as_ref().map_or(0, value))
}

async fn sum(store: &DynStore, partition: String, from: String) -> ApiResult<u64> {
    let query = Query::partition(Index::Table, partition).sort_key(SortKey::Ge(from));
    let items = web::pagination::read_all(store, query).await?;
    Ok(items.iter().map(value).sum())
}

/// `tally` over the 60 minutes up to `now` (the current minute included).
pub async fn last_hour(store: &DynStore, tally: Tally, now: DateTime<Utc>) -> ApiResult<u64> {
    let from = minute(now - Duration::minutes(59));
    sum(store, format!("TALLY#{}#m", tally.name()), from).await
}

/// `tally` over the last 24 hours, by whole hours (the current one included).
pub async fn last_day(store: &DynStore, tally: Tally, now: DateTime<Utc>) -> ApiResult<u64> {
    let from = hour(now - Duration::hours(23));
    sum(store, format!("TALLY#{}#h", tally.name()), from).await
}

/// The addresses with the most refused sign-ins over the last 24 hours (by whole hours),
/// most first, at most `top`.
pub async fn most_failing(
    store: &DynStore,
    now: DateTime<Utc>,
    top: usize,
) -> ApiResult<Vec<(String, u64)>> {
    let hours = (0..24).map(|back| ip_partition(&hour(now - Duration::hours(back))));
    let reads = hours.map(|partition| {
        web::pagination::read_all(store, Query::partition(Index::Table, partition))
    });
    let mut counts: std::collections::HashMap<String, u64> = Default::default();
    for item in futures_util::future::try_join_all(reads)
        .await?
        .into_iter()
        .flatten()
    {
        if let Some(ip) = item.get("sk").and_then(Value::as_str) {
            *counts.entry(ip.to_owned()).or_default() += value(&item);
        }
    }
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(top);
    Ok(ranked)
}
