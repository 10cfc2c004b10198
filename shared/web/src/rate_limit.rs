//! Fixed-window rate limits per client IP, counted in the product's table so that every Lambda
//! instance sees the same count. Each window is its own item, expired by TTL.

use crate::ApiError;
use crate::error::ErrorKind;
use crate::extract::ClientIp;
use crate::routes::Route;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use store::{DynStore, Key, Update};

#[derive(Debug, Clone)]
pub struct RateLimit {
    /// Names the counter, so that several limits on one client do not share it.
    pub scope: &'static str,
    pub max: u32,
    pub window_secs: i64,
    /// The documented 429 message.
    pub message: &'static str,
}

/// Counts one request of `ip` against `limit`; 429 once the window's count passes the max.
pub async fn hit(store: &DynStore, limit: &RateLimit, ip: &str) -> Result<(), ApiError> {
    let now = chrono::Utc::now().timestamp();
    let window = limit.window_secs.max(1);
    let start = now - now.rem_euclid(window);
    let key = Key::new(format!("RATE#{}#{ip}", limit.scope), start.to_string());
    let counted = store
        .update(
            &key,
            Update::new().add("hits", 1).set("ttl", start + window + 60),
            None,
        )
        .await?;
    let hits = counted.get("hits").and_then(Value::as_i64).unwrap_or(0);
    if hits > i64::from(limit.max) {
        let retry_after = start + window - now;
        return Err(ApiError::new(ErrorKind::RateLimited, limit.message).retry_after(retry_after));
    }
    Ok(())
}

/// The limits a product counts: one on every request, and more on some routes.
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub every_request: RateLimit,
    /// Counted, besides `every_request`, on requests with this method and exact path.
    pub routes: Vec<(Method, &'static str, RateLimit)>,
}

impl RateLimits {
    pub fn new(every_request: RateLimit) -> Self {
        RateLimits {
            every_request,
            routes: Vec::new(),
        }
    }

    pub fn on(mut self, method: Method, path: &'static str, limit: RateLimit) -> Self {
        self.routes.push((method, path, limit));
        self
    }

    /// Counts one request against every limit that applies to it. The route's limits are
    /// counted beside the one on every request (one store round trip of latency, not two);
    /// that one's refusal speaks first.
    pub async fn hit(
        &self,
        store: &DynStore,
        method: &Method,
        path: &str,
        ip: &str,
    ) -> Result<(), ApiError> {
        let on_route = async {
            for (_, _, limit) in self
                .routes
                .iter()
                .filter(|(m, p, _)| m == method && *p == path)
            {
                hit(store, limit, ip).await?;
            }
            Ok(())
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
    let counted = limits.hit(&store, &method, &path, &ip.0);
    if crate::runs_beside_checks(routes, &method, &path) {
        let (counted, response) = tokio::join!(counted, next.run(request));
        return match counted {
            Ok(()) => response,
            Err(e) => e.into_response(),
        };
    }
    let early = routes
        .iter()
        .any(|r| r.early_reads && r.matches(method.as_str(), &path));
    if !early {
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
}
