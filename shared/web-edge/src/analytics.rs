//! The layer that keeps request analytics (`web_core::analytics`): once a matched route has
//! answered, and before the answer leaves, its hour's counters move by one request, its time
//! and whether it failed. A Lambda is frozen as soon as it answers, so nothing is left for
//! after. A failed write is logged, never the request's error.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use store::DynStore;

pub async fn record(State(store): State<DynStore>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| format!("{} {}", request.method(), path.as_str()));
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    if let Some(route) = route {
        let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let status = response.status().as_u16();
        let (key, update) = web_core::analytics::recorded_now(&route, status, millis);
        if let Err(error) = store.update(&key, update, None).await {
            tracing::warn!(%route, %error, "analytics not recorded");
        }
    }
    response
}
