//! The workflow's writes on one order, each along the allowed transitions and recorded with
//! who made it ([`crate::orders::moves`]).

use super::commands::{Content, Review, StatusMove};
use super::found;
use crate::AppState;
use crate::accounts;
use crate::orders::moves::{self, Change};
use crate::orders::review::{self, Decision};
use crate::orders::status;
use crate::orders::view::OrderView;
use axum::Json;
use axum::extract::State;
use serde_json::Value;
use store::Update;
use web::auth::AuthUser;
use web::extract::{Command, PathId};
use web::ids::ObjectId;
use web::{ApiError, ApiResult};

#[utoipa::path(
    patch,
    path = "/api/orders/{id}/status",
    tag = "Orders",
    operation_id = "updateOrderStatus",
    summary = "Move an order (admin)",
    description = "Along the allowed moves: pending → cancelled; paid → processing, cancelled; processing → awaiting_validation, completed, cancelled; awaiting_validation → processing, completed, cancelled. Only Stripe makes an order paid or refunded. Each move is kept in `statusHistory` with who and when.",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    request_body = super::commands::StatusMove,
    responses(
        (status = 200, description = "The order as written (`userId` is the client's id).", body = crate::orders::view::OrderView),
        (status = 404, response = crate::openapi::StaffOrderNotFound),
        (status = 409, response = crate::openapi::Conflict),
    )
)]
pub(super) async fn status(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<ObjectId>,
    Command(StatusMove { to }, _): Command<StatusMove>,
) -> ApiResult<Json<OrderView>> {
    let by = caller.str_id()?.to_owned();
    let order = found(&state, id).await?;
    let order = moves::apply(&state.store, order, |order| {
        if !status::staff_may_move(&order.status, to) {
            let allowed = status::staff_moves_from(&order.status);
            return Err(ApiError::bad_request(format!(
                "An order cannot go from {} to {to}",
                order.status
            ))
            .with_details(format!("Allowed: {}", allowed.join(", "))));
        }
        Ok(Change::moving(to, Update::new(), &by))
    })
    .await?;
    Ok(Json(OrderView::written(order)))
}

#[utoipa::path(
    patch,
    path = "/api/orders/{id}/expert-review",
    tag = "Orders",
    operation_id = "updateExpertReview",
    summary = "Record an expert review (admin)",
    description = "Fills `expertReview`; `approved` or `rejected` also fills `expertValidation`, and a rejection sends the order back to `processing`. Only content awaiting validation is approved or rejected.",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    request_body = super::commands::Review,
    responses(
        (status = 200, description = "The order as written (`userId` is the client's id).", body = crate::orders::view::OrderView),
        (status = 404, response = crate::openapi::StaffOrderNotFound),
        (status = 409, response = crate::openapi::Conflict),
    )
)]
pub(super) async fn expert_review(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<ObjectId>,
    Command(review, _): Command<Review>,
) -> ApiResult<Json<OrderView>> {
    let Review {
        decision,
        notes,
        expert_id,
    } = review;
    let by = caller.str_id()?.to_owned();
    // The reviewer is the expert named, who must be one, or the caller.
    let expert = match expert_id {
        None => by.clone(),
        Some(id) => {
            let account = match ObjectId::parse(&id) {
                Some(id) => accounts::find(&state.store, &id.to_string()).await?,
                None => None,
            };
            account
                .filter(|a| a.role == crate::role::Role::Expert.as_str())
                .ok_or_else(|| ApiError::bad_request("expertId names no expert"))?
                .id
        }
    };
    let order = found(&state, id).await?;
    let order = moves::apply(&state.store, order, |order| {
        review::decide(order, &expert, decision, notes.as_deref(), &by)
    })
    .await?;
    Ok(Json(OrderView::written(order)))
}

/// Writing the content puts the reading in the experts' queue, its validation pending.
#[utoipa::path(
    patch,
    path = "/api/orders/{id}/content",
    tag = "Orders",
    operation_id = "updateGeneratedContent",
    summary = "Write the generated content (admin)",
    description = "Stores the reading's parts and puts the order in the experts' queue (`awaiting_validation`, validation pending). For paid, processing or awaiting orders. Experts are emailed that the reading awaits their validation: the expert who took the order, or every expert while no one has.",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    request_body = super::commands::Content,
    responses(
        (status = 200, description = "The order as written (`userId` is the client's id).", body = crate::orders::view::OrderView),
        (status = 404, response = crate::openapi::StaffOrderNotFound),
        (status = 409, response = crate::openapi::Conflict),
    )
)]
pub(super) async fn content(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<ObjectId>,
    Command(
        Content {
            generated_content: content,
        },
        _,
    ): Command<Content>,
) -> ApiResult<Json<OrderView>> {
    let by = caller.str_id()?.to_owned();
    let order = found(&state, id).await?;
    let order = moves::apply(&state.store, order, |order| {
        if ![
            status::PAID,
            status::PROCESSING,
            status::AWAITING_VALIDATION,
        ]
        .contains(&order.status.as_str())
        {
            return Err(ApiError::bad_request(format!(
                "Content cannot be written for an order that is {}",
                order.status
            )));
        }
        let update = Update::new()
            .set("generatedContent", Value::Object(content.clone()))
            .set(
                "expertValidation",
                serde_json::json!({"validationStatus": "pending"}),
            )
            .set(review::REVIEW_STATE, Decision::Pending.as_str());
        Ok(Change::moving(status::AWAITING_VALIDATION, update, &by))
    })
    .await?;
    crate::notify::reading_awaits_validation(&state, &order).await;
    Ok(Json(OrderView::written(order)))
}
