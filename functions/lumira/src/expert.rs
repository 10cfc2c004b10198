//! The expert desk (`expert.ts`, named by `lumira.md` but not documented): the queue of
//! readings awaiting validation, oldest first; one order whole; taking an order; and the
//! decision on its content, which fills `expertReview` and `expertValidation`
//! ([`crate::orders::review`]). An expert sees only the orders open for review (taken by no
//! one) and the ones they took; another expert's are not found. Admins use the desk as
//! experts do.

use crate::AppState;
use crate::order_admin::{found, order_not_found, with_photo_links};
use crate::orders::moves::{self, Change};
use crate::orders::review::{self, Decision};
use crate::orders::view::OrderView;
use crate::orders::{self, Order, status, status_partition};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::{Cond, Query, Update};
use web::auth::AuthUser;
use web::extract::{Command, PathId, Query as QueryParams};
use web::ids::ObjectId;
use web::pagination::{Pager, read_page};
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(pending, Access::Roles(Role::STAFF)),
        route!(get_one, Access::Roles(Role::STAFF)),
        route!(take, Access::Roles(Role::STAFF)),
        route!(validate, Access::Roles(Role::STAFF)),
    ]
}

/// The attribute naming who took an order for review ([`Order::assigned_expert`]).
const ASSIGNEE: &str = "assignedExpert";

/// Whether `expert` may see `order`: awaiting validation, and open or theirs.
fn visible(order: &Order, expert: &str) -> bool {
    order.status == status::AWAITING_VALIDATION
        && order.assigned_expert.as_deref().is_none_or(|t| t == expert)
}

/// The order `id`, if `expert` may see it.
async fn seen(state: &AppState, id: ObjectId, expert: &str) -> ApiResult<Order> {
    let order = found(state, id).await?;
    if !visible(&order, expert) {
        return Err(order_not_found());
    }
    Ok(order)
}

#[derive(Deserialize)]
struct QueueParams {
    page: Option<String>,
    limit: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ExpertQueueOrdersItem)]
struct QueuedOrder {
    #[serde(rename = "_id")]
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    id: String,
    order_number: String,
    #[schema(value_type = i64)]
    level: u8,
    level_name: String,
    #[schema(value_type = crate::openapi::schemas::AwaitingValidation, inline)]
    status: String,
    #[schema(value_type = Option<Object>)]
    form_data: Option<Value>,
    #[schema(value_type = Option<std::collections::HashMap<String, String>>)]
    generated_content: Option<Map<String, Value>>,
    assigned_expert: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ExpertQueue)]
struct Queue {
    #[schema(inline)]
    orders: Vec<QueuedOrder>,
    #[schema(value_type = i64)]
    page: u32,
    #[schema(value_type = i64)]
    limit: u32,
}

/// The readings awaiting validation that the caller may take or took, oldest first.
#[utoipa::path(
    get,
    path = "/api/expert/orders/pending",
    tag = "Expert",
    operation_id = "expertQueue",
    summary = "The review queue",
    description = "Readings awaiting validation that are open or taken by the caller, oldest first. Experts and admins.",
    params(crate::openapi::query::QueueQuery),
    responses(
        (status = 200, description = "A page of the queue.", body = Queue),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn pending(
    State(state): State<AppState>,
    caller: AuthUser,
    QueryParams(params): QueryParams<QueueParams>,
) -> ApiResult<Json<Queue>> {
    let expert = caller.str_id()?.to_owned();
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 20)?;
    let open_or_mine = Cond::Or(vec![
        Cond::attr_not_exists(ASSIGNEE),
        Cond::eq(ASSIGNEE, expert.as_str()),
    ]);
    // An approved reading waits for its delivery, not for a review.
    let undecided = Cond::Or(vec![
        Cond::attr_not_exists(review::REVIEW_STATE),
        Cond::ne(review::REVIEW_STATE, Decision::Approved.as_str()),
    ]);
    let query = Query::partition(
        orders::BY_STATUS,
        status_partition(status::AWAITING_VALIDATION),
    )
    .filter(open_or_mine.and(undecided));
    let items = read_page(&state.store, query, pager).await?;
    let mut orders = Vec::with_capacity(items.len());
    for item in items {
        let order: Order = web::item::parse(item)?;
        orders.push(QueuedOrder {
            id: order.id,
            order_number: order.order_number,
            level: order.level,
            level_name: order.level_name,
            status: order.status,
            form_data: order.form_data,
            generated_content: order.generated_content,
            assigned_expert: order.assigned_expert,
            created_at: order.created_at,
            updated_at: order.updated_at,
        });
    }
    Ok(Json(Queue {
        orders,
        page: pager.page,
        limit: pager.limit,
    }))
}

#[utoipa::path(
    get,
    path = "/api/expert/orders/{id}",
    tag = "Expert",
    operation_id = "expertOrder",
    summary = "An order under review",
    description = "The order whole, its photos through 15-minute links; only if open for review or taken by the caller.",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    responses(
        (status = 200, description = "The order.", body = crate::orders::view::OrderView),
        (status = 404, description = "No order with this id is open for review or taken by the caller.", body = crate::openapi::schemas::Error, example = json!({"error": "Order not found"})),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<ObjectId>,
) -> ApiResult<Json<OrderView>> {
    let expert = caller.str_id()?.to_owned();
    let mut order = seen(&state, id, &expert).await?;
    with_photo_links(&state, &mut order).await?;
    Ok(Json(OrderView::written(order)))
}

/// Takes an open order for review: it leaves the other experts' queues.
#[utoipa::path(
    post,
    path = "/api/expert/orders/{id}/take",
    tag = "Expert",
    operation_id = "expertTake",
    summary = "Take an order for review",
    description = "The order leaves the other experts' queues. Taking an order one took already changes nothing.",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    responses(
        (status = 200, description = "The order, taken.", body = crate::orders::view::OrderView),
        (status = 404, description = "No order with this id is open for review or taken by the caller.", body = crate::openapi::schemas::Error, example = json!({"error": "Order not found"})),
        (status = 409, response = crate::openapi::Conflict),
        (status = 413, response = crate::openapi::PayloadTooLarge),
    )
)]
async fn take(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<ObjectId>,
) -> ApiResult<Json<OrderView>> {
    let expert = caller.str_id()?.to_owned();
    let order = seen(&state, id, &expert).await?;
    if order.assigned_expert.is_some() {
        return Ok(Json(OrderView::written(order)));
    }
    let order = moves::apply(&state.store, order, |order| {
        // Read again on a lost race: taken by another meanwhile, it is no longer open.
        if !visible(order, &expert) {
            return Err(order_not_found());
        }
        Change::fields(order, Update::new().set(ASSIGNEE, expert.as_str()), &expert)
    })
    .await?;
    Ok(Json(OrderView::written(order)))
}

/// An expert's verdict on an order's reading; a rejection says what to change.
#[derive(utoipa::ToSchema)]
#[schema(as = ValidateContent, example = json!({"orderId": "65550b2b8f1b2c3d4e5f6a7c", "action": "approve", "validationNotes": "Contenu conforme aux standards"}))]
struct Verdict {
    #[schema(rename = "orderId", value_type = String, pattern = "^[0-9a-f]{24}$")]
    order_id: ObjectId,
    #[schema(rename = "action", value_type = crate::openapi::schemas::ValidationAction, inline)]
    decision: Decision,
    /// Required to reject: what to change.
    #[schema(rename = "validationNotes", max_length = 5000)]
    notes: Option<String>,
}

impl TryFrom<&Map<String, Value>> for Verdict {
    type Error = ApiError;

    /// The first field that fails is said (an Express API's single `error`).
    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let order_id = body
            .get("orderId")
            .and_then(Value::as_str)
            .and_then(ObjectId::parse)
            .ok_or_else(|| ApiError::bad_request("orderId must be an order id"))?;
        let decision = match body.get("action").and_then(Value::as_str) {
            Some("approve") => Decision::Approved,
            Some("reject") => Decision::Rejected,
            _ => return Err(ApiError::bad_request("action must be approve or reject")),
        };
        let notes = match body.get("validationNotes") {
            None | Some(Value::Null) => None,
            Some(Value::String(notes)) if notes.chars().count() <= review::MAX_NOTES => {
                Some(notes.clone())
            }
            Some(_) => {
                return Err(ApiError::bad_request(format!(
                    "validationNotes must be a string of at most {} characters",
                    review::MAX_NOTES
                )));
            }
        };
        if decision == Decision::Rejected && notes.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(ApiError::bad_request(
                "A rejection needs validationNotes saying what to change",
            ));
        }
        Ok(Verdict {
            order_id,
            decision,
            notes,
        })
    }
}

/// Approves or rejects an order's content; an open order is taken by the same write.
#[utoipa::path(
    post,
    path = "/api/expert/validate-content",
    tag = "Expert",
    operation_id = "validateContent",
    summary = "Approve or reject a reading",
    description = "Fills `expertReview` and `expertValidation`; a rejection (with notes) sends the order back to `processing` to be written again. An open order is taken by the same write.",
    request_body = Verdict,
    responses(
        (status = 200, description = "The order as decided.", body = crate::orders::view::OrderView),
        (status = 404, description = "No order with this id is open for review or taken by the caller.", body = crate::openapi::schemas::Error, example = json!({"error": "Order not found"})),
        (status = 409, response = crate::openapi::Conflict),
    )
)]
async fn validate(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(
        Verdict {
            order_id: id,
            decision,
            notes,
        },
        _,
    ): Command<Verdict>,
) -> ApiResult<Json<OrderView>> {
    let expert = caller.str_id()?.to_owned();
    let order = seen(&state, id, &expert).await?;
    let order = moves::apply(&state.store, order, |order| {
        // Read again on a lost race: taken by another meanwhile, it is no longer ours.
        if !visible(order, &expert) {
            return Err(order_not_found());
        }
        let mut change = review::decide(order, &expert, decision, notes.as_deref(), &expert)?;
        change.update = change.update.set(ASSIGNEE, expert.as_str());
        Ok(change)
    })
    .await?;
    Ok(Json(OrderView::written(order)))
}
