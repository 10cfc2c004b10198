//! Rate limits per client IP, counted in the product's table so that every Lambda instance
//! sees the same count. Each fixed window is its own item, expired by TTL, and a request is
//! judged on a sliding window: the current window's count plus the previous one's, weighted
//! by how much of it the sliding window still covers (Cloudflare's estimate). A fixed window
//! alone admits twice the limit to a burst that straddles a boundary.

use crate::ApiError;
use crate::error::ErrorKind;
use crate::extract::ClientIp;
use crate::routes::Route;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use store::{DynStore, Key, Update};

/// The rate-limit class of sign-in routes (`Endpoint::signs_in`): every product limits its
/// logins per address with it.
pub const LOGIN: &str = "login";

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
    /// The counter of `ip`'s requests in the window that starts at `start`.
    pub fn window_key(&self, ip: &str, start: i64) -> Key {
        Key::new(format!("RATE#{}#{ip}", self.scope), start.to_string())
    }

    fn window(&self) -> i64 {
        self.window_secs.max(1)
    }

    /// The start of the fixed window holding the instant `now` (seconds).
    pub fn window_start(&self, now: i64) -> i64 {
        now - now.rem_euclid(self.window())
    }
}

/// Counts one request of `ip` against `limit`; 429 once the sliding count passes the max.
pub async fn hit(store: &DynStore, limit: &RateLimit, ip: &str) -> Result<(), ApiError> {
    hit_at(store, limit, ip, chrono::Utc::now().timestamp()).await
}

/// [`hit`] at the instant `now` (seconds since the epoch).
pub async fn hit_at(
    store: &DynStore,
    limit: &RateLimit,
    ip: &str,
    now: i64,
) -> Result<(), ApiError> {
    let window = limit.window();
    let start = limit.window_start(now);
    // Kept while the next window still weighs it.
    let expiry = start + 2 * window + 60;
    let current_key = limit.window_key(ip, start);
    let previous_key = limit.window_key(ip, start - window);
    // Read beside the count: no more round trips of latency than a fixed window.
    let (counted, previous) = tokio::join!(
        store.update(
            &current_key,
            Update::new().add("hits", 1).set("ttl", expiry),
            None,
        ),
        store.get(&previous_key),
    );
    let hits = |item: &store::Item| item.get("hits").and_then(Value::as_i64).unwrap_or(0);
    let count = SlidingCount {
        previous: previous?.as_ref().map_or(0, hits),
        current: hits(&counted?),
        elapsed: now - start,
        window,
    };
    let max = i64::from(limit.max);
    if count.exceeds(max) {
        return Err(ApiError::new(ErrorKind::RateLimited, limit.message)
            .retry_after(count.retry_after(max)));
    }
    Ok(())
}

/// The requests counted in the previous and current fixed windows, `elapsed` seconds into
/// the current one.
#[derive(Debug, Clone, Copy)]
struct SlidingCount {
    previous: i64,
    current: i64,
    elapsed: i64,
    window: i64,
}

impl SlidingCount {
    /// Whether previous × (window − elapsed) / window + current passes `max` (in integers).
    fn exceeds(&self, max: i64) -> bool {
        let (w, e) = (i128::from(self.window), i128::from(self.elapsed));
        i128::from(self.previous) * (w - e) + i128::from(self.current) * w > i128::from(max) * w
    }

    /// Seconds until one more request would be admitted, if no other came meanwhile.
    fn retry_after(&self, max: i64) -> i64 {
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
    i64::try_from(seconds.clamp(1, 2 * window)).unwrap_or(i64::MAX)
}

/// The limits a product counts: one on every request, and one more on each route declared
/// with a rate-limit class (`Endpoint::limited`).
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub every_request: RateLimit,
    /// What each class allows, by its name.
    pub classes: Vec<(&'static str, RateLimit)>,
}

impl RateLimits {
    pub fn new(every_request: RateLimit) -> Self {
        RateLimits {
            every_request,
            classes: Vec::new(),
        }
    }

    /// What the routes of `class` allow.
    pub fn class(mut self, class: &'static str, limit: RateLimit) -> Self {
        self.classes.push((class, limit));
        self
    }

    fn of(&self, class: &str) -> Option<&RateLimit> {
        self.classes
            .iter()
            .find(|(name, _)| *name == class)
            .map(|(_, limit)| limit)
    }

    /// The classes `routes` declare that these limits do not say: a declaration mistake
    /// (such a route would be counted by the limit on every request alone).
    pub fn unknown_classes(&self, routes: &[Route]) -> Vec<&'static str> {
        let mut unknown: Vec<&'static str> = routes
            .iter()
            .filter_map(|r| r.limit)
            .filter(|class| self.of(class).is_none())
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        unknown
    }

    /// Counts one request against every limit that applies to it: the one on every
    /// request, and its route's `class`, counted beside it (one store round trip of
    /// latency, not two); the one on every request speaks first.
    pub async fn hit(
        &self,
        store: &DynStore,
        class: Option<&str>,
        ip: &str,
    ) -> Result<(), ApiError> {
        let limit = class.and_then(|class| self.of(class));
        let on_route = async {
            match limit {
                Some(limit) => hit(store, limit, ip).await,
                None => Ok(()),
            }
        };
        let (every, route) = tokio::join!(hit(store, &self.every_request, ip), on_route);
        every.and(route)
    }
}

/// Middleware: `axum::middleware::from_fn_with_state((store, limits, routes), rate_limit)`.
///
/// A read (GET, HEAD) runs while its hits are counted, and its answer is dropped if a
/// count refuses it: reads change nothing, and this takes the counters' writes off their
/// latency (one store round trip in every cold start). A write that `routes` declares with
/// early reads (`Route::with_early_reads`, a login reading its account) runs beside its
/// counts too, up to its first write, where it waits at its [`WriteGate`]. Other writes,
/// and reads that `routes` declares with side effects, wait for the counts.
pub async fn rate_limit(
    State((store, limits, routes)): State<(DynStore, RateLimits, &'static [Route])>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let ip = ClientIp::of(&parts);
    let (method, path) = (parts.method.clone(), parts.uri.path().to_owned());
    let mut request = Request::from_parts(parts, body);
    let route = crate::routes::lookup(routes, method.as_str(), &path);
    let counted = limits.hit(&store, route.and_then(|r| r.limit), &ip.0);
    if crate::runs_beside_checks(routes, &method, &path) {
        let (counted, response) = tokio::join!(counted, next.run(request));
        return match counted {
            Ok(()) => response,
            Err(e) => e.into_response(),
        };
    }
    if !route.is_some_and(|r| r.early_reads) {
        return match counted.await {
            Ok(()) => next.run(request).await,
            Err(e) => e.into_response(),
        };
    }
    let (open, gate) = tokio::sync::watch::channel(false);
    request.extensions_mut().insert(WriteGate(Some(gate)));
    let handler = next.run(request);
    tokio::pin!(counted, handler);
    tokio::select! {
        counted = &mut counted => match counted {
            Ok(()) => {
                let _ = open.send(true);
                handler.await
            }
            // Refused: the handler, waiting at its gate or still reading, is dropped.
            Err(e) => e.into_response(),
        },
        // Done before the counts: it made no write (it would be waiting at the gate).
        response = &mut handler => match counted.await {
            Ok(()) => response,
            Err(e) => e.into_response(),
        },
    }
}

/// Where a handler of a route with early reads waits, before its first write, for its
/// request's rate-limit counts. Elsewhere it is open.
#[derive(Clone, Debug, Default)]
pub struct WriteGate(Option<tokio::sync::watch::Receiver<bool>>);

impl WriteGate {
    /// Returns once the counts have let the request through; a refused request never gets
    /// past this (its handler is dropped).
    pub async fn open(&mut self) -> Result<(), ApiError> {
        match &mut self.0 {
            None => Ok(()),
            Some(gate) => gate
                .wait_for(|open| *open)
                .await
                .map(drop)
                .map_err(|_| ApiError::internal("rate-limit gate closed")),
        }
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for WriteGate {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<WriteGate>()
            .cloned()
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;
    use std::sync::Arc;
    use store::embedded::EmbeddedStore;

    #[test]
    fn a_class_no_limit_says_is_named() {
        let limits = RateLimits::new(login_limit()).class("login", login_limit());
        let mut signed = Route::new("POST", "/api/login", crate::routes::Access::Public);
        signed.limit = Some("login");
        let mut other = signed;
        other.limit = Some("signup");
        assert!(limits.unknown_classes(&[signed]).is_empty());
        assert_eq!(limits.unknown_classes(&[signed, other]), ["signup"]);
    }

    #[tokio::test]
    async fn refuses_past_the_max_per_ip_and_scope() {
        let store: DynStore = Arc::new(EmbeddedStore::in_memory().unwrap());
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

    #[tokio::test]
    async fn a_burst_across_a_window_boundary_gets_the_limit_not_twice_it() {
        let store: DynStore = Arc::new(EmbeddedStore::in_memory().unwrap());
        let boundary = (chrono::Utc::now().timestamp() / 100 + 10) * 100;
        let admitted = |at| admitted(&store, boundary, at);
        // Five attempts at the very end of a window: all admitted.
        for _ in 0..5 {
            assert_eq!(admitted(199).await, Ok(()));
        }
        // A fixed window would admit five more a second later; the sliding one admits none.
        let refused = admitted(200).await;
        assert!(refused.is_err(), "{refused:?}");
        // Half the previous window has slid out by 250: 5 × ½ + 1 refused + 1 = 4.5.
        assert_eq!(admitted(250).await, Ok(()));
        // One more is 5.5, until 280: 5 × ⅕ + 4 = 5.
        assert_eq!(admitted(250).await, Err(30));
        assert_eq!(admitted(280).await, Ok(()));
        // Two windows on, nothing of them is left.
        for _ in 0..5 {
            assert_eq!(admitted(400).await, Ok(()));
        }
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
