//! The client's completed readings, as the sanctuaire shows them: the parts a client may
//! see of each, and of its expert's validation only the outcome and when.

use crate::AppState;
use crate::catalogue;
use crate::customers;
use crate::orders::{self, status};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Map, Value};
use store::Cond;
use web::auth::AuthUser;
use web::{ApiError, ApiResult};

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CompletedOrdersOrdersItem)]
struct CompletedOrder {
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    id: String,
    order_number: String,
    #[schema(value_type = i64)]
    level: u8,
    level_name: String,
    amount: i64,
    #[schema(value_type = crate::openapi::schemas::CompletedState, inline)]
    status: String,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    delivered_at: Option<String>,
    #[schema(value_type = crate::openapi::schemas::CompletedOrdersOrdersItemGeneratedContent, inline)]
    generated_content: Map<String, Value>,
    #[schema(inline)]
    expert_validation: ShownValidation,
}

/// What a client sees of an expert's validation: its outcome and when.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CompletedOrdersOrdersItemExpertValidation)]
struct ShownValidation {
    validation_status: Option<String>,
    validated_at: Option<String>,
}

fn text(object: &Value, name: &str) -> Option<String> {
    object.get(name).and_then(Value::as_str).map(str::to_owned)
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CompletedOrdersUser)]
struct ReaderUser {
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    #[schema(value_type = i64)]
    level: u8,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = CompletedOrders)]
pub(super) struct Completed {
    #[schema(inline)]
    orders: Vec<CompletedOrder>,
    #[schema(value_type = i64)]
    total: usize,
    #[schema(inline)]
    user: ReaderUser,
}

/// What the sanctuaire shows of a reading's content.
const SHOWN_PARTS: &[&str] = &["reading", "audioUrl", "pdfUrl"];

/// The caller's delivered readings, newest first.
#[utoipa::path(
    get,
    path = "/api/users/orders/completed",
    tag = "Sanctuaire",
    operation_id = "completedOrders",
    summary = "The client's delivered readings",
    description = "Newest first. A sanctuaire token only; each client sees their own.",
    responses(
        (status = 200, description = "The readings.", body = Completed),
        (status = 404, response = crate::openapi::UserNotFound),
    )
)]
pub(super) async fn completed(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Completed>> {
    let id = caller.str_id()?;
    let customer = customers::find(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::not_found("User not found"))?;
    let query = customers::order_refs(&customer.id)
        .filter(Cond::eq("status", status::COMPLETED))
        .backward();
    let references = web::pagination::read_all(&state.store, query).await?;
    let ids = references
        .into_iter()
        .map(|item| web::item::parse::<customers::OrderRef>(item).map(|r| r.order_id))
        .collect::<ApiResult<Vec<String>>>()?;
    let found = orders::find_many(&state.store, &ids).await?;
    let mut shown = Vec::new();
    for order in found {
        // Only the caller's: each reference is theirs, and each order says so again.
        let Some(mut order) = order.filter(|o| o.user_id == customer.id) else {
            continue;
        };
        crate::delivery::with_reading_link(&state, &mut order).await?;
        let content = order.generated_content.unwrap_or_default();
        let generated_content = content
            .into_iter()
            .filter(|(part, _)| SHOWN_PARTS.contains(&part.as_str()))
            .collect();
        let validation = order.expert_validation.unwrap_or(Value::Null);
        shown.push(CompletedOrder {
            level_name: catalogue::level_name(order.level)
                .map_or(order.level_name.clone(), str::to_owned),
            id: order.id,
            order_number: order.order_number,
            level: order.level,
            amount: order.amount,
            status: order.status,
            created_at: order.created_at,
            delivered_at: order.delivered_at,
            generated_content,
            expert_validation: ShownValidation {
                validation_status: text(&validation, "validationStatus"),
                validated_at: text(&validation, "validatedAt"),
            },
        });
    }
    Ok(Json(Completed {
        total: shown.len(),
        orders: shown,
        user: ReaderUser {
            id: customer.id.clone(),
            first_name: customer.first_name.clone(),
            last_name: customer.last_name.clone(),
            level: customer.level(),
        },
    }))
}
