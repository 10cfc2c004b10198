//! Request analytics kept by the API itself: each request moves, before its answer leaves
//! (a Lambda is frozen once it answers), the counters of its hour: how many requests, how
//! long they took and how many failed, in all and per route.
//!
//! Items: `ANALYTICS#<day>` / `<hour>#<shard>`, with fields `requests`, `ms`, `errors` and,
//! per route, `requests|<route>`, `ms|<route>`, `errors|<route>` (`GET /api/providers/{id}`).
//! A request adds to one of [`SHARDS`] items of its hour, picked at random, so that a busy
//! hour is not one hot key; a day is one query of its partition. Items expire after
//! [`KEPT_DAYS`].

use crate::ApiResult;
use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use serde_json::Value;
use std::collections::BTreeMap;
use store::{DynStore, Index, Key, Query, Update};

/// How many items share an hour's writes.
pub const SHARDS: u32 = 8;
/// How long an hour's counters are kept.
pub const KEPT_DAYS: i64 = 400;
/// The partitions' prefix: a failed request still moves them (bookkeeping, like rate-limit
/// windows).
pub const PREFIX: &str = "ANALYTICS#";

fn partition(day: NaiveDate) -> String {
    format!("{PREFIX}{}", day.format("%Y-%m-%d"))
}

/// Whether a status counts as an error: a client's (4xx) or the server's (5xx).
pub fn is_error(status: u16) -> bool {
    status >= 400
}

/// The write of one request to `route` answered `status` in `millis`, at `at`: an update
/// of one item, made on its own (a transaction of one would cost twice the write).
pub fn recorded(route: &str, status: u16, millis: u64, at: DateTime<Utc>) -> (Key, Update) {
    let shard = uuid::Uuid::new_v4().as_u128() % u128::from(SHARDS);
    let key = Key::new(
        partition(at.date_naive()),
        format!("{:02}#{shard}", at.hour()),
    );
    let millis = i64::try_from(millis).unwrap_or(i64::MAX);
    let error = i64::from(is_error(status));
    let expires = (at + Duration::days(KEPT_DAYS)).timestamp();
    let update = Update::new()
        .add("requests", 1)
        .add("ms", millis)
        .add("errors", error)
        .add(&format!("requests|{route}"), 1)
        .add(&format!("ms|{route}"), millis)
        .add(&format!("errors|{route}"), error)
        .set("ttl", expires);
    (key, update)
}

/// [`recorded`] now.
pub fn recorded_now(route: &str, status: u16, millis: u64) -> (Key, Update) {
    recorded(route, status, millis, Utc::now())
}

/// Counts: requests, milliseconds spent, errors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub requests: u64,
    pub millis: u64,
    pub errors: u64,
}

impl Tally {
    /// The mean answer time, in whole milliseconds.
    pub fn mean_millis(&self) -> u64 {
        self.millis.checked_div(self.requests).unwrap_or(0)
    }

    /// The share of errors, from 0 to 1, to four decimals.
    pub fn error_rate(&self) -> f64 {
        if self.requests == 0 {
            return 0.0;
        }
        let rate = self.errors as f64 / self.requests as f64;
        (rate * 10_000.0).round() / 10_000.0
    }

    fn add(&mut self, other: &Tally) {
        self.requests += other.requests;
        self.millis += other.millis;
        self.errors += other.errors;
    }
}

/// An hour's counts, in all and per route.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hour {
    pub total: Tally,
    pub routes: BTreeMap<String, Tally>,
}

impl Hour {
    fn add_item(&mut self, item: &store::Item) {
        let number = |value: &Value| value.as_u64().unwrap_or(0);
        for (field, value) in item {
            let (kind, route) = match field.split_once('|') {
                Some((kind, route)) => (kind, Some(route)),
                None => (field.as_str(), None),
            };
            let tally = match route {
                Some(route) => self.routes.entry(route.to_owned()).or_default(),
                None => &mut self.total,
            };
            match kind {
                "requests" => tally.requests += number(value),
                "ms" => tally.millis += number(value),
                "errors" => tally.errors += number(value),
                _ => {}
            }
        }
    }

    pub fn add(&mut self, other: &Hour) {
        self.total.add(&other.total);
        for (route, tally) in &other.routes {
            self.routes.entry(route.clone()).or_default().add(tally);
        }
    }
}

/// The 24 hours of `day` (UTC), hour 0 first.
pub async fn day(store: &DynStore, day: NaiveDate) -> ApiResult<Vec<Hour>> {
    let query = Query::partition(Index::Table, partition(day));
    let mut hours = vec![Hour::default(); 24];
    for item in crate::pagination::read_all(store, query).await? {
        let sk = item.get("sk").and_then(Value::as_str).unwrap_or_default();
        let hour: usize = sk.get(..2).and_then(|h| h.parse().ok()).unwrap_or(0);
        if let Some(slot) = hours.get_mut(hour) {
            slot.add_item(&item);
        }
    }
    Ok(hours)
}

/// The sum of the `days` days up to `today`, read at once.
pub async fn period(store: &DynStore, today: NaiveDate, days: u32) -> ApiResult<Hour> {
    let reads = (0..days).map(|back| day(store, today - Duration::days(i64::from(back))));
    let mut sum = Hour::default();
    for hours in futures_util::future::try_join_all(reads).await? {
        for hour in &hours {
            sum.add(hour);
        }
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::Arc;
    use store::embedded::EmbeddedStore;

    #[tokio::test]
    async fn requests_add_up_by_hour_and_route() {
        let store: DynStore = Arc::new(EmbeddedStore::in_memory().unwrap());
        let at = |h: u32| {
            NaiveDate::from_ymd_opt(2026, 1, 15)
                .unwrap()
                .and_hms_opt(h, 10, 0)
                .unwrap()
                .and_utc()
        };
        let writes = vec![
            recorded("GET /api/providers", 200, 30, at(9)),
            recorded("GET /api/providers", 200, 50, at(9)),
            recorded("POST /api/auth/login", 401, 100, at(9)),
            recorded("GET /api/providers", 500, 20, at(17)),
        ];
        for (key, update) in writes {
            store.update(&key, update, None).await.unwrap();
        }
        let hours = day(&store, at(0).date_naive()).await.unwrap();
        assert_eq!(
            hours[9].total,
            Tally {
                requests: 3,
                millis: 180,
                errors: 1
            }
        );
        assert_eq!(hours[9].routes["GET /api/providers"].mean_millis(), 40);
        assert_eq!(hours[17].total.error_rate(), 1.0);
        assert_eq!(hours[10].total, Tally::default());
        let sum = period(&store, at(0).date_naive(), 2).await.unwrap();
        assert_eq!(sum.total.requests, 4);
        assert_eq!(sum.routes["GET /api/providers"].errors, 1);
        assert_eq!(sum.total.error_rate(), 0.5);
    }
}
