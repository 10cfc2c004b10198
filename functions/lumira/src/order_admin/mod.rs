//! The back office's orders (`lumira.md`, "Endpoints de Gestion des Commandes"), for admins:
//! the filtered list, one order whole, and the workflow's writes (status, expert review,
//! generated content, delivery).

mod commands;
mod list;
mod workflow;

use crate::AppState;
use crate::customers::{self, Customer};
use crate::orders::view::{OrderUser, OrderView, populated};
use crate::orders::{self, Order};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde_json::Value;
use std::collections::BTreeMap;
use web::auth::AuthUser;
use web::extract::PathId;
use web::ids::ObjectId;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list::list, Access::Roles(Role::ADMIN)),
        route!(get_one, Access::Roles(Role::ADMIN)),
        route!(workflow::status, Access::Roles(Role::ADMIN)),
        route!(workflow::expert_review, Access::Roles(Role::ADMIN)),
        route!(workflow::content, Access::Roles(Role::ADMIN)),
    ]
}

pub(crate) fn order_not_found() -> ApiError {
    ApiError::not_found("Order not found")
}

/// The order `id`, or the documented 404.
pub(crate) async fn found(state: &AppState, id: ObjectId) -> ApiResult<Order> {
    orders::find(&state.store, &id.to_string())
        .await?
        .ok_or_else(order_not_found)
}

/// Each order's client as its `userId` shows it, each client read once.
async fn populate(
    state: &AppState,
    orders: &[Order],
    known: Option<Customer>,
) -> ApiResult<Vec<OrderUser>> {
    let mut clients: BTreeMap<String, Option<Customer>> = BTreeMap::new();
    if let Some(known) = known {
        clients.insert(known.id.clone(), Some(known));
    }
    let missing: Vec<String> = orders
        .iter()
        .map(|o| o.user_id.clone())
        .filter(|id| !clients.contains_key(id))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let read = customers::find_many(&state.store, &missing).await?;
    clients.extend(missing.into_iter().zip(read));
    Ok(orders
        .iter()
        .map(|o| populated(clients.get(&o.user_id).and_then(Option::as_ref), o))
        .collect())
}

/// How long a link to an uploaded photo works.
const PHOTO_LINK: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Each stored photo of `order` with a short-lived `url` to see it by (the files are private).
pub(crate) async fn with_photo_links(state: &AppState, order: &mut Order) -> ApiResult<()> {
    for file in &mut order.files {
        let Some(path) = file.get("path").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        let url = state.blobs.presigned_get(&path, PHOTO_LINK).await?;
        if let Value::Object(entry) = file {
            entry.insert("url".into(), Value::String(url));
        }
    }
    Ok(())
}

#[utoipa::path(
    get,
    path = "/api/orders/{id}",
    tag = "Orders",
    operation_id = "getOrder",
    summary = "An order, whole (admin)",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    responses(
        (status = 200, description = "The order.", body = crate::orders::view::OrderView),
        (status = 404, response = crate::openapi::StaffOrderNotFound),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId<ObjectId>,
) -> ApiResult<Json<OrderView>> {
    let mut order = found(&state, id).await?;
    with_photo_links(&state, &mut order).await?;
    crate::delivery::with_reading_link(&state, &mut order).await?;
    let user = populate(&state, std::slice::from_ref(&order), None).await?;
    let user = user
        .into_iter()
        .next()
        .unwrap_or_else(|| OrderUser::Id(order.user_id.clone()));
    Ok(Json(OrderView::new(order, user)))
}
