//! Serving a product router on a local socket (the local API server, the black-box tests,
//! the benchmarks), safe on a laptop: a connection that sends no complete request head in
//! time is closed (a half-sent request, or an idle keep-alive), a body that stalls ends the
//! request, only the loopback names and the configured host are answered (a page that
//! rebinds its DNS name to 127.0.0.1 gets nothing, not the outbox of magic links), and every
//! refusal, the HTTP layer's and the file links' included, has the product's error body.

mod bare_answers;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::timeout::RequestBodyTimeoutLayer;
use web_core::error::{ApiError, ErrorKind, ErrorStyle, Problem, response_in};

/// Longest URI a client may send: Node's whole request head (the Express backends') is 16
/// KiB, and an id or query value of 10,000 characters still gets its route's own answer.
pub const MAX_URI_BYTES: usize = 16 * 1024;
/// Most header bytes a request may carry.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// How a local listener guards itself.
#[derive(Clone)]
pub struct Guard {
    /// How the product words its refusals.
    pub style: &'static dyn ErrorStyle,
    /// Host names answered besides the loopback names and IP addresses (which no page can
    /// rebind): `LOCAL_ALLOWED_HOSTS`, for a machine reached by name on a network.
    pub hosts: Vec<String>,
    /// How long a connection may take to send a request head, and stay idle between
    /// requests.
    pub head_timeout: Duration,
    /// How long a request body may stall.
    pub body_timeout: Duration,
}

impl Guard {
    /// The guard of a listener on a loopback address, in `style`'s words.
    pub fn loopback(style: &'static dyn ErrorStyle) -> Guard {
        Guard {
            style,
            hosts: Vec::new(),
            head_timeout: Duration::from_secs(15),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, with the peer address available
/// to [`ClientIp`](web_core::extract::ClientIp), behind `guard`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    guard: Guard,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (timeout, style) = (guard.head_timeout, guard.style);
    let router = router
        .layer(RequestBodyTimeoutLayer::new(guard.body_timeout))
        .layer(from_fn_with_state(guard.style, bodiless_errors))
        .layer(from_fn_with_state(guard, checked));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeout)
        // Larger than the checks below, so that they answer, in the product's words.
        .max_buf_size(4 * MAX_HEADER_BYTES);
    let connections = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors, a connection reset before it was taken: the
                    // listener itself is fine.
                    tracing::warn!(error = %e, "accepting a connection");
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(tower::Layer::layer(
            &axum::Extension(ConnectInfo(peer)),
            router.clone(),
        ));
        let io = TokioIo::new(bare_answers::Styled::new(stream, style));
        let connection = http.serve_connection(io, service);
        let connection = connections.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    connections.shutdown().await;
    Ok(())
}

/// Refuses a request for another host, or too long a URI or header block.
async fn checked(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let refusal = if !host_allowed(&request, &guard.hosts) {
        Some(ApiError::problem(Problem::UnknownHost))
    } else if uri_len(request.uri()) > MAX_URI_BYTES {
        Some(ApiError::of(ErrorKind::UriTooLong))
    } else if header_bytes(&request) > MAX_HEADER_BYTES {
        Some(ApiError::of(ErrorKind::HeadersTooLarge))
    } else {
        None
    };
    match refusal {
        Some(error) => response_in(guard.style, &error),
        None => next.run(request).await,
    }
}

fn host_allowed(request: &Request, hosts: &[String]) -> bool {
    let Some(host) = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
    else {
        // HTTP/1.0 without a Host header names no other site.
        return true;
    };
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.to_ascii_lowercase();
    let ip = name.trim_start_matches('[').trim_end_matches(']');
    name == "localhost"
        || name.ends_with(".localhost")
        || ip.parse::<std::net::IpAddr>().is_ok()
        || hosts.iter().any(|h| h.eq_ignore_ascii_case(&name))
}

/// The length of `uri` as written (`scheme://authority/path?query`), without writing it.
fn uri_len(uri: &axum::http::Uri) -> usize {
    let scheme = uri.scheme_str().map_or(0, |s| s.len() + "://".len());
    let authority = uri.authority().map_or(0, |a| a.as_str().len());
    let rest = uri.path_and_query().map_or(0, |p| p.as_str().len());
    scheme + authority + rest
}

fn header_bytes(request: &Request) -> usize {
    request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

/// An error answer without a body (a file link's refusal, a timed-out body) gets the
/// product's error body for its status.
async fn bodiless_errors(
    State(style): State<&'static dyn ErrorStyle>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let bodiless = !response.headers().contains_key(header::CONTENT_TYPE);
    if !(status.is_client_error() || status.is_server_error()) || !bodiless {
        return response;
    }
    let mut rendered = response_in(style, &ApiError::of(kind_of(status)));
    for (name, value) in response.headers() {
        if name != header::CONTENT_LENGTH {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    *rendered.status_mut() = status;
    rendered
        .headers_mut()
        .entry(header::CONTENT_TYPE)
        .or_insert(HeaderValue::from_static("application/json"));
    rendered
}

fn kind_of(status: StatusCode) -> ErrorKind {
    match status {
        StatusCode::UNAUTHORIZED => ErrorKind::InvalidToken,
        StatusCode::FORBIDDEN => ErrorKind::Forbidden,
        StatusCode::NOT_FOUND | StatusCode::GONE => ErrorKind::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorKind::MethodNotAllowed,
        StatusCode::REQUEST_TIMEOUT => ErrorKind::RequestTimeout,
        StatusCode::CONFLICT => ErrorKind::Conflict,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorKind::PayloadTooLarge,
        StatusCode::URI_TOO_LONG => ErrorKind::UriTooLong,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => ErrorKind::HeadersTooLarge,
        StatusCode::TOO_MANY_REQUESTS => ErrorKind::RateLimited,
        StatusCode::SERVICE_UNAVAILABLE => ErrorKind::Unavailable,
        status if status.is_server_error() => ErrorKind::Internal,
        _ => ErrorKind::InvalidBody,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uri_is_measured_as_written() {
        for text in [
            "/api/orders?page=2",
            "/",
            "http://localhost:3000/api/plans?q=a%20b",
            "*",
        ] {
            let uri: axum::http::Uri = text.parse().unwrap();
            assert_eq!(uri_len(&uri), uri.to_string().len(), "{text}");
        }
    }
}
