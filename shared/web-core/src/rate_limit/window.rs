//! One limit's count over a sliding window. Each fixed window is its own item, expired by
//! TTL, and a request is judged on the current window's count plus the previous one's,
//! weighted by how much of it the sliding window still covers (Cloudflare's estimate). A
//! fixed window alone admits twice the limit to a burst that straddles a boundary. Only
//! admitted requests count: a refused one is taken back, so a client that keeps retrying is
//! not locked out for longer, and `Retry-After` never exceeds the window.

use crate::ApiError;
use crate::error::ErrorKind;
use serde_json::Value;
use store::{DynStore, Item, Key, Update};

#[derive(Debug, Clone)]
pub struct RateLimit {
    /// Names the counter, so that several limits on one client do not share it.
    pub scope: &'static str,
    pub max: u32,
    pub window_secs: i64,
    /// The documented 429 message.
    pub message: &'static str,
}

impl RateLimit {
    /// The counter of `who`'s requests (an address, an account) in the window that starts
    /// at `start`.
    pub fn window_key(&self, who: &str, start: i64) -> Key {
        Key::new(format!("RATE#{}#{who}", self.scope), start.to_string())
    }

    fn window(&self) -> i64 {
        self.window_secs.max(1)
    }

    /// The start of the fixed window holding the instant `now` (seconds).
    pub fn window_start(&self, now: i64) -> i64 {
        now - now.rem_euclid(self.window())
    }

    fn refusal(&self, admitted: SlidingCount) -> ApiError {
        ApiError::new(ErrorKind::RateLimited, self.message)
            .retry_after(admitted.retry_after(i64::from(self.max)))
    }
}

/// Counts one request of `who` against `limit`; 429 once the sliding count passes the max.
pub async fn hit(store: &DynStore, limit: &RateLimit, who: &str) -> Result<(), ApiError> {
    hit_at(store, limit, who, chrono::Utc::now().timestamp()).await
}

/// [`hit`] at the instant `now` (seconds since the epoch).
pub async fn hit_at(
    store: &DynStore,
    limit: &RateLimit,
    who: &str,
    now: i64,
) -> Result<(), ApiError> {
    let (current_key, previous_key, expiry) = keys(limit, who, now);
    // Read beside the count: no more round trips of latency than a fixed window.
    let (counted, previous) = tokio::join!(
        store.update(
            &current_key,
            Update::new().add("hits", 1).set("ttl", expiry),
            None,
        ),
        store.get(&previous_key),
    );
    let count = SlidingCount::new(limit, now, previous?.as_ref(), &counted?);
    if !count.exceeds(i64::from(limit.max)) {
        return Ok(());
    }
    // Refused: taken back, so that only admitted requests count.
    store
        .update(&current_key, Update::new().add("hits", -1), None)
        .await?;
    Err(limit.refusal(SlidingCount {
        current: count.current - 1,
        ..count
    }))
}

/// 429 if one more request of `who` would pass `limit`, without counting it: for what only
/// counts when it fails (a wrong password), which [`count`] then counts.
pub async fn check(store: &DynStore, limit: &RateLimit, who: &str) -> Result<(), ApiError> {
    let now = chrono::Utc::now().timestamp();
    let (current_key, previous_key, _) = keys(limit, who, now);
    let (current, previous) = tokio::join!(store.get(&current_key), store.get(&previous_key));
    let admitted = SlidingCount::new(
        limit,
        now,
        previous?.as_ref(),
        &current?.unwrap_or_default(),
    );
    let with_one_more = SlidingCount {
        current: admitted.current + 1,
        ..admitted
    };
    if with_one_more.exceeds(i64::from(limit.max)) {
        return Err(limit.refusal(admitted));
    }
    Ok(())
}

/// Counts one event of `who` against `limit` (see [`check`]).
pub async fn count(store: &DynStore, limit: &RateLimit, who: &str) -> Result<(), ApiError> {
    let (current_key, _, expiry) = keys(limit, who, chrono::Utc::now().timestamp());
    let update = Update::new().add("hits", 1).set("ttl", expiry);
    store.update(&current_key, update, None).await?;
    Ok(())
}

/// The counters of `who`'s current and previous windows at `now`, and when the current one
/// may expire (kept while the next window still weighs it).
fn keys(limit: &RateLimit, who: &str, now: i64) -> (Key, Key, i64) {
    let window = limit.window();
    let start = limit.window_start(now);
    (
        limit.window_key(who, start),
        limit.window_key(who, start - window),
        start + 2 * window + 60,
    )
}

/// The requests counted in the previous and current fixed windows, `elapsed` seconds into
/// the current one.
#[derive(Debug, Clone, Copy)]
pub(super) struct SlidingCount {
    pub(super) previous: i64,
    pub(super) current: i64,
    pub(super) elapsed: i64,
    pub(super) window: i64,
}

impl SlidingCount {
    fn new(limit: &RateLimit, now: i64, previous: Option<&Item>, current: &Item) -> Self {
        let hits = |item: &Item| item.get("hits").and_then(Value::as_i64).unwrap_or(0);
        SlidingCount {
            previous: previous.map_or(0, hits),
            current: hits(current),
            elapsed: now - limit.window_start(now),
            window: limit.window(),
        }
    }

    /// Whether previous × (window − elapsed) / window + current passes `max` (in integers).
    pub(super) fn exceeds(&self, max: i64) -> bool {
        let (w, e) = (i128::from(self.window), i128::from(self.elapsed));
        i128::from(self.previous) * (w - e) + i128::from(self.current) * w > i128::from(max) * w
    }

    /// Seconds until one more request would be admitted, if no other came meanwhile, at
    /// most the window (a client that waits that long and is refused again waits less).
    pub(super) fn retry_after(&self, max: i64) -> i64 {
        let (w, e) = (i128::from(self.window), i128::from(self.elapsed));
        let (previous, current, max) = (
            i128::from(self.previous),
            i128::from(self.current),
            i128::from(max),
        );
        // Still in this window, once enough of the previous one has slid out.
        if current < max && previous > 0 {
            let at = w - (max - current - 1) * w / previous;
            if at < w {
                return clamp(at - e, w);
            }
        }
        // In the next window, where this one is the previous.
        let at = if current < max || current == 0 {
            0
        } else {
            w - (max - 1).max(0) * w / current
        };
        clamp(w - e + at, w)
    }
}

fn clamp(seconds: i128, window: i128) -> i64 {
    i64::try_from(seconds.clamp(1, window)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;
    use std::sync::Arc;
    use store::embedded::EmbeddedStore;

    fn store() -> DynStore {
        Arc::new(EmbeddedStore::in_memory().unwrap())
    }

    #[tokio::test]
    async fn refuses_past_the_max_per_who_and_scope() {
        let store = store();
        let limit = RateLimit {
            scope: "login",
            max: 2,
            // Long enough that no window boundary falls inside the test.
            window_secs: 1_000_000_000,
            message: "Trop",
        };
        assert!(hit(&store, &limit, "1.2.3.4").await.is_ok());
        assert!(hit(&store, &limit, "1.2.3.4").await.is_ok());
        let err = hit(&store, &limit, "1.2.3.4").await.unwrap_err();
        assert_eq!(err.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(
            hit(&store, &limit, "5.6.7.8").await.is_ok(),
            "another IP has its own count"
        );
        let other = RateLimit {
            scope: "global",
            ..limit
        };
        assert!(
            hit(&store, &other, "1.2.3.4").await.is_ok(),
            "another scope has its own count"
        );
    }

    fn login_limit() -> RateLimit {
        RateLimit {
            scope: "login",
            max: 5,
            window_secs: 100,
            message: "Trop",
        }
    }

    /// `at` seconds after `boundary`, a window boundary a little ahead of the clock (the
    /// store drops counters whose TTL the clock has passed).
    async fn admitted(store: &DynStore, boundary: i64, at: i64) -> Result<(), i64> {
        hit_at(store, &login_limit(), "1.2.3.4", boundary + at)
            .await
            .map_err(|e| e.retry_after.unwrap_or_default())
    }

    fn boundary() -> i64 {
        (chrono::Utc::now().timestamp() / 100 + 10) * 100
    }

    #[tokio::test]
    async fn a_burst_across_a_window_boundary_gets_the_limit_not_twice_it() {
        let store = store();
        let boundary = boundary();
        let admitted = |at| admitted(&store, boundary, at);
        // Five attempts at the very end of a window: all admitted.
        for _ in 0..5 {
            assert_eq!(admitted(199).await, Ok(()));
        }
        // A fixed window would admit five more a second later; the sliding one admits none.
        let refused = admitted(200).await;
        assert!(refused.is_err(), "{refused:?}");
        // Half the previous window has slid out by 250 (the refusal did not count):
        // 5 × ½ + 1 and 5 × ½ + 2 pass, 5 × ½ + 3 does not until 260 (5 × ⅖ + 3 = 5).
        assert_eq!(admitted(250).await, Ok(()));
        assert_eq!(admitted(250).await, Ok(()));
        assert_eq!(admitted(250).await, Err(10));
        assert_eq!(admitted(260).await, Ok(()));
        // Two windows on, nothing of them is left.
        for _ in 0..5 {
            assert_eq!(admitted(400).await, Ok(()));
        }
    }

    #[tokio::test]
    async fn retrying_while_refused_never_lengthens_the_wait() {
        let store = store();
        let boundary = boundary();
        for _ in 0..5 {
            assert_eq!(admitted(&store, boundary, 0).await, Ok(()));
        }
        let first = admitted(&store, boundary, 1).await.unwrap_err();
        for _ in 0..20 {
            assert_eq!(admitted(&store, boundary, 1).await, Err(first));
        }
        assert!(first <= 100, "{first} s is longer than the window");
        // Waiting that long admits the next request, or asks for less than before.
        let at = 1 + first;
        if let Err(again) = admitted(&store, boundary, at).await {
            assert!(again < first, "{again} s after waiting {first} s");
            assert_eq!(admitted(&store, boundary, at + again).await, Ok(()));
        }
    }

    #[tokio::test]
    async fn a_check_counts_nothing_until_told() {
        let store = store();
        let limit = RateLimit {
            window_secs: 1_000_000_000,
            max: 2,
            ..login_limit()
        };
        for _ in 0..10 {
            assert!(check(&store, &limit, "ada").await.is_ok());
        }
        count(&store, &limit, "ada").await.unwrap();
        assert!(check(&store, &limit, "ada").await.is_ok());
        count(&store, &limit, "ada").await.unwrap();
        let refused = check(&store, &limit, "ada").await.unwrap_err();
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(check(&store, &limit, "bob").await.is_ok());
    }

    #[test]
    fn retry_after_is_when_one_more_request_would_pass() {
        let count = |previous, current, elapsed| SlidingCount {
            previous,
            current,
            elapsed,
            window: 100,
        };
        // 5 × (100 − e) / 100 + 2 + 1 ≤ 5 from e = 60.
        assert_eq!(count(5, 2, 10).retry_after(5), 50);
        // Over the max alone: the next window, once 6 × (100 − e) / 100 + 1 ≤ 5 (e ≥ 34).
        assert_eq!(count(0, 6, 90).retry_after(5), 10 + 34);
        // At the max: 20 s into the next window (5 × 80 / 100 + 1 ≤ 5).
        assert_eq!(count(0, 5, 90).retry_after(5), 10 + 20);
        // At the max from the window's start: never more than the window.
        assert_eq!(count(0, 5, 0).retry_after(5), 100);
        for (previous, current, elapsed) in [(5, 2, 10), (0, 6, 90), (9, 4, 0), (3, 5, 99)] {
            let c = count(previous, current, elapsed);
            let wait = c.retry_after(5);
            let next = if elapsed + wait < 100 {
                count(previous, current + 1, elapsed + wait)
            } else {
                count(current, 1, elapsed + wait - 100)
            };
            assert!(!next.exceeds(5), "{c:?} then {wait} s");
        }
    }
}
