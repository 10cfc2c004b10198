//! A local Lambda Runtime API (the `2018-06-01` endpoints a function's runtime client polls),
//! on 127.0.0.1, that hands one event to one process and times it: when the process first
//! asks for work (its init is done) and when it answers.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Notify;

/// What happened to the event of one run.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// When the process first called `/invocation/next`.
    pub next_at: Option<Instant>,
    /// When it posted its response (or its error).
    pub answered_at: Option<Instant>,
    pub response: Option<Bytes>,
    /// An `/init/error` or `/invocation/{id}/error` body.
    pub error: Option<String>,
}

#[derive(Default)]
struct Run {
    request_id: String,
    function_arn: String,
    event: Bytes,
    served: bool,
    outcome: Outcome,
}

#[derive(Default)]
struct Shared {
    run: Mutex<Run>,
    answered: Notify,
}

impl Shared {
    fn run(&self) -> MutexGuard<'_, Run> {
        self.run
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub struct RuntimeApi {
    addr: SocketAddr,
    shared: Arc<Shared>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

const PREFIX: &str = "/2018-06-01/runtime";

impl RuntimeApi {
    pub async fn start() -> std::io::Result<Self> {
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route(&format!("{PREFIX}/invocation/next"), get(next))
            .route(
                &format!("{PREFIX}/invocation/{{id}}/response"),
                post(response),
            )
            .route(&format!("{PREFIX}/invocation/{{id}}/error"), post(error))
            .route(&format!("{PREFIX}/init/error"), post(error))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(RuntimeApi {
            addr,
            shared,
            _stop: stop,
        })
    }

    /// `host:port`, as `AWS_LAMBDA_RUNTIME_API` takes it.
    pub fn address(&self) -> String {
        self.addr.to_string()
    }

    /// Makes `event` the one event the next process gets.
    pub fn arm(&self, function_name: &str, event: Bytes) {
        *self.shared.run() = Run {
            request_id: uuid::Uuid::new_v4().to_string(),
            function_arn: format!("arn:aws:lambda:us-east-1:123456789012:function:{function_name}"),
            event,
            ..Run::default()
        };
    }

    /// Waits until the armed event is answered, or `limit` passes.
    pub async fn outcome(&self, limit: Duration) -> Outcome {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let answered = self.shared.answered.notified();
            {
                let run = self.shared.run();
                if run.outcome.answered_at.is_some() {
                    return run.outcome.clone();
                }
            }
            if tokio::time::timeout_at(deadline, answered).await.is_err() {
                return self.shared.run().outcome.clone();
            }
        }
    }
}

fn header(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

/// Hands out the armed event once, with the headers the real Runtime API sends; later
/// polls wait, as a warm function's do between invocations.
async fn next(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let served = {
        let mut run = shared.run();
        if run.served {
            None
        } else {
            run.served = true;
            run.outcome.next_at = Some(Instant::now());
            Some((
                run.request_id.clone(),
                run.function_arn.clone(),
                run.event.clone(),
            ))
        }
    };
    let Some((request_id, arn, event)) = served else {
        std::future::pending::<()>().await;
        return (StatusCode::NO_CONTENT, HeaderMap::new(), Bytes::new());
    };
    let deadline_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() + 30_000);
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert("lambda-runtime-aws-request-id", header(&request_id));
    headers.insert(
        "lambda-runtime-deadline-ms",
        header(&deadline_ms.to_string()),
    );
    headers.insert("lambda-runtime-invoked-function-arn", header(&arn));
    headers.insert(
        "lambda-runtime-trace-id",
        header("Root=1-67a1b2c3-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0"),
    );
    (StatusCode::OK, headers, event)
}

async fn response(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    {
        let mut run = shared.run();
        run.outcome.answered_at = Some(Instant::now());
        run.outcome.response = Some(body);
    }
    shared.answered.notify_one();
    StatusCode::ACCEPTED
}

async fn error(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    {
        let mut run = shared.run();
        run.outcome.answered_at = Some(Instant::now());
        run.outcome.error = Some(String::from_utf8_lossy(&body).into_owned());
    }
    shared.answered.notify_one();
    StatusCode::ACCEPTED
}
