//! `GET /api/health` and `GET /api/ready` (`lumira.md`, "Endpoints de Surveillance"): each
//! really asks the table and the file store, and answers 503 with the documented body when
//! one of them does not answer. Neither changes anything, so both run beside their
//! rate-limit count like every read.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::time::Instant;
use store::Key;
use web::route;
use web::routes::{Access, Endpoint};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(health, Access::Public),
        route!(ready, Access::Public),
    ]
}

/// One dependency's answer, timed.
struct Check {
    ok: bool,
    millis: u64,
}

async fn timed<T, E: std::fmt::Display>(
    what: &str,
    call: impl Future<Output = Result<T, E>>,
) -> Check {
    let started = Instant::now();
    let result = call.await;
    if let Err(e) = &result {
        tracing::error!(error = %e, "{what} health check failed");
    }
    Check {
        ok: result.is_ok(),
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

/// The table and the file store, asked at once: a read of a key that is never written.
async fn check_dependencies(state: &AppState) -> (Check, Check) {
    let probe = Key::new("HEALTH#probe", "HEALTH#probe");
    tokio::join!(
        timed("table", state.store.get(&probe)),
        timed("file store", state.blobs.get("health/probe")),
    )
}

/// Why the service is not healthy, in the document's words.
fn failure(table: &Check, files: &Check) -> Option<&'static str> {
    if !table.ok {
        Some("Database connection failed")
    } else if !files.ok {
        Some("File storage connection failed")
    } else {
        None
    }
}

fn connected(check: &Check) -> &'static str {
    if check.ok {
        "connected"
    } else {
        "disconnected"
    }
}

#[utoipa::path(
    get,
    path = "/api/health",
    tag = "Monitoring",
    operation_id = "health",
    summary = "Health of the service",
    description = "Asks the table and the file store. Public.",
    responses(
        (status = 200, description = "Healthy.", body = crate::openapi::schemas::Health),
        (status = 503, description = "A dependency does not answer.", body = crate::openapi::schemas::Unhealthy, example = json!({"status": "unhealthy", "timestamp": "2024-01-15T10:30:00.000Z", "error": "Health check failed", "details": "Database connection failed"})),
    )
)]
async fn health(State(state): State<AppState>) -> Response {
    let (table, files) = check_dependencies(&state).await;
    let timestamp = web::time::now();
    if let Some(details) = failure(&table, &files) {
        let body = json!({
            "status": "unhealthy",
            "timestamp": timestamp,
            "error": "Health check failed",
            "details": details,
        });
        return (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    }
    let memory = Memory::now();
    Json(json!({
        "status": "healthy",
        "timestamp": timestamp,
        "uptime": state.started.elapsed().as_secs(),
        "version": env!("CARGO_PKG_VERSION"),
        "environment": state.config.environment,
        "services": {
            "database": connected(&table),
            "storage": connected(&files),
            "stripe": if state.config.stripe_configured() { "configured" } else { "not_configured" },
        },
        "memory": {"used": memory.used_mb, "total": memory.total_mb, "percentage": memory.percentage()},
    }))
    .into_response()
}

#[utoipa::path(
    get,
    path = "/api/ready",
    tag = "Monitoring",
    operation_id = "ready",
    summary = "Readiness for traffic",
    description = "Asks every critical service, with its response time. Public.",
    responses(
        (status = 200, description = "Ready.", body = crate::openapi::schemas::Ready),
        (status = 503, description = "Not ready: a dependency does not answer.", body = crate::openapi::schemas::NotReady),
    )
)]
async fn ready(State(state): State<AppState>) -> Response {
    let (table, files) = check_dependencies(&state).await;
    let memory = Memory::now();
    let mut body = json!({
        "ready": true,
        "timestamp": web::time::now(),
        "services": {
            "mongodb": {"connected": table.ok, "responseTime": table.millis},
            "storage": {"connected": files.ok, "responseTime": files.millis},
            // No call to Stripe here: its readiness is whether the key is set.
            "stripe": {"initialized": state.config.stripe_configured(), "responseTime": 0},
            "memory": {
                "status": if memory.percentage() < 90 { "ok" } else { "high" },
                "used": memory.used_mb,
                "free": memory.total_mb.saturating_sub(memory.used_mb),
                "percentage": memory.percentage(),
            },
            "uptime": state.started.elapsed().as_secs(),
        },
        "version": env!("CARGO_PKG_VERSION"),
        "environment": state.config.environment,
    });
    match failure(&table, &files) {
        None => Json(body).into_response(),
        Some(details) => {
            body["ready"] = Value::Bool(false);
            body["error"] = "Service not ready".into();
            body["details"] = details.into();
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

/// The process's resident memory against what it may use, in MiB.
struct Memory {
    used_mb: u64,
    total_mb: u64,
}

impl Memory {
    fn now() -> Memory {
        const PAGE: u64 = 4096;
        let used = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(0, |pages| (pages * PAGE) >> 20);
        // A function may use its configured memory; elsewhere, the machine's.
        let total = std::env::var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
            .ok()
            .and_then(|mb| mb.parse().ok())
            .or_else(|| {
                let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
                let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
                let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some(kb >> 10)
            })
            .unwrap_or(0);
        Memory {
            used_mb: used,
            total_mb: total.max(used),
        }
    }

    fn percentage(&self) -> u64 {
        (self.used_mb * 100).checked_div(self.total_mb).unwrap_or(0)
    }
}
