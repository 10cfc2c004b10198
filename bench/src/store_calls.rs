//! Counts a cold request's store round trips: a pass-through HTTP proxy between the
//! functions and DynamoDB Local records when each call starts and ends, so a sample can say
//! how many calls its invocation made and how many of them ran one after another (the
//! longest chain in which each call starts after the one before it ended): what a cold
//! start pays in round trips, whatever the emulator's speed.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};
use std::time::Instant;

type Calls = Arc<Mutex<Vec<(Instant, Instant)>>>;

#[derive(Clone)]
struct Upstream {
    base: String,
    client: reqwest::Client,
    calls: Calls,
}

pub struct StoreProxy {
    pub endpoint: String,
    calls: Calls,
}

impl StoreProxy {
    /// Serves on a free port of 127.0.0.1, forwarding everything to `upstream`.
    pub async fn start(upstream: &str) -> std::io::Result<StoreProxy> {
        let calls = Calls::default();
        let state = Upstream {
            base: upstream.trim_end_matches('/').to_string(),
            client: reqwest::Client::builder()
                .no_proxy()
                .build()
                .map_err(std::io::Error::other)?,
            calls: calls.clone(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let endpoint = format!("http://{}", listener.local_addr()?);
        let router = Router::new().fallback(forward).with_state(state);
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(StoreProxy { endpoint, calls })
    }

    /// The calls made since the last `take`, as (started, ended).
    pub fn take(&self) -> Vec<(Instant, Instant)> {
        self.calls
            .lock()
            .map(|mut calls| std::mem::take(&mut *calls))
            .unwrap_or_default()
    }
}

/// The longest chain of calls each of which starts after the one before it ended.
pub fn sequential(calls: &[(Instant, Instant)]) -> usize {
    let mut by_end = calls.to_vec();
    by_end.sort_by_key(|(_, end)| *end);
    let mut chain = 0;
    let mut last_end: Option<Instant> = None;
    for (start, end) in by_end {
        if last_end.is_none_or(|last| start >= last) {
            chain += 1;
            last_end = Some(end);
        }
    }
    chain
}

async fn forward(State(upstream): State<Upstream>, request: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 << 20).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let Ok(method) = reqwest::Method::from_bytes(parts.method.as_str().as_bytes()) else {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    };
    let mut outgoing = upstream
        .client
        .request(method, format!("{}{path}", upstream.base))
        .body(body);
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            outgoing = outgoing.header(name.as_str(), value.as_bytes());
        }
    }
    let reply = match outgoing.send().await {
        Ok(reply) => reply,
        Err(_) => return StatusCode::BAD_GATEWAY.into_response(),
    };
    let status = StatusCode::from_u16(reply.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let headers: Vec<(HeaderName, Vec<u8>)> = reply
        .headers()
        .iter()
        .filter(|(name, _)| *name != "content-length" && *name != "transfer-encoding")
        .filter_map(|(name, value)| {
            Some((
                HeaderName::from_bytes(name.as_str().as_bytes()).ok()?,
                value.as_bytes().to_vec(),
            ))
        })
        .collect();
    let bytes = reply.bytes().await.unwrap_or_default();
    if let Ok(mut calls) = upstream.calls.lock() {
        calls.push((started, Instant::now()));
    }
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    for (name, value) in headers {
        if let Ok(value) = axum::http::HeaderValue::from_bytes(&value) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn overlapping_calls_count_once_in_a_chain() {
        let t = Instant::now();
        let at = |ms: u64| t + Duration::from_millis(ms);
        // Two calls side by side, then one after both: two in sequence.
        let calls = [(at(0), at(5)), (at(1), at(6)), (at(7), at(9))];
        assert_eq!(sequential(&calls), 2);
        assert_eq!(
            sequential(&[(at(0), at(1)), (at(2), at(3)), (at(4), at(5))]),
            3
        );
        assert_eq!(sequential(&[]), 0);
    }
}
