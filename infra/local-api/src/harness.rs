//! Signed-in callers of any role, over HTTP, for the fuzzing that runs against this server
//! (`--harness-callers`). The matrix tests make their callers in process with
//! [`Product::caller`]; a script outside the process has only HTTP, and a product's own
//! sign-in may need more than one request (Lumira's sanctuaire mails a one-time link) or an
//! account no demo has. This route makes the caller the same way, so that every protected
//! operation can be swept by a role it admits, with no product named in the scripts.
//!
//! It hands out tokens to anyone who asks: only ever served under that flag, on a server
//! nobody else can reach.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;
use std::sync::Arc;
use web::config::Env;
use web::product::{Deps, Product};

/// Where a caller of `{role}` is made.
pub const CALLERS_PATH: &str = "/_harness/callers/{role}";

/// The path that makes a caller of `role`.
pub fn callers_path(role: &str) -> String {
    CALLERS_PATH.replace("{role}", role)
}

struct Harness {
    product: &'static dyn Product,
    deps: Deps,
    env: Env,
}

/// The callers route of `product`, over the same store and settings as its API.
pub fn router(product: &'static dyn Product, deps: Deps, env: Env) -> axum::Router {
    let harness = Arc::new(Harness { product, deps, env });
    axum::Router::new()
        .route(CALLERS_PATH, post(make_caller))
        .with_state(harness)
}

/// `{"accessToken", "refreshToken"}` of a new caller of `role`, or 404 for a role the
/// product does not have.
async fn make_caller(State(harness): State<Arc<Harness>>, Path(role): Path<String>) -> Response {
    if !harness.product.roles().contains(&role.as_str()) {
        let message = format!(
            "{} has no role {role}; its roles: {}",
            harness.product.title(),
            harness.product.roles().join(", ")
        );
        return (StatusCode::NOT_FOUND, Json(json!({ "error": message }))).into_response();
    }
    match harness
        .product
        .caller(&harness.deps, &harness.env, &role)
        .await
    {
        Ok(caller) => Json(json!({
            "accessToken": caller.access_token,
            "refreshToken": caller.refresh_token,
        }))
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, role, "the harness could not make a caller");
            let body = json!({ "error": format!("no caller of role {role}: {e}") });
            (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
        }
    }
}
