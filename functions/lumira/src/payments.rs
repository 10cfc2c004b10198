//! Payments (`lumira.md`, "Endpoints de Paiements"). `POST /api/payments/confirm-payment`
//! asks Stripe how the intent stands (the client's word is never trusted) and records what
//! Stripe says, as the webhook would, so a client back from paying sees its order paid even
//! before the webhook arrives.

use crate::AppState;
use crate::orders::{self, IntentId, PaymentStatus, payment};
use axum::Json;
use axum::extract::State;
use payments::IntentStatus;
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use web::extract::Command;
use web::ids::IdKind;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{ENGLISH, Fields};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(confirm, Access::Public)]
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct ConfirmedOrder {
    id: String,
    status: String,
    #[schema(value_type = crate::openapi::schemas::PaymentStatus, inline)]
    payment_status: PaymentStatus,
    amount: i64,
    #[schema(value_type = crate::openapi::schemas::Service, inline)]
    service: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Confirmed {
    success: bool,
    #[schema(inline)]
    order: ConfirmedOrder,
}

/// The payment to confirm, by its intent.
#[derive(utoipa::ToSchema)]
#[schema(as = ConfirmRequest)]
struct Confirmation {
    #[schema(
        rename = "paymentIntentId",
        max_length = 255,
        pattern = "^(pi|free)_[A-Za-z0-9_]+$"
    )]
    intent_id: String,
}

impl TryFrom<&Map<String, Value>> for Confirmation {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        let mut fields = Fields::new(body, &ENGLISH);
        let id = fields.required_with("paymentIntentId", |v| {
            v.as_str()
                .and_then(IntentId::parse_id)
                .ok_or(Cow::Borrowed("paymentIntentId must be a payment intent id"))
        });
        match id {
            Some(IntentId(intent_id)) => Ok(Confirmation { intent_id }),
            None => Err(fields.into_error()),
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/payments/confirm-payment",
    tag = "Payments",
    operation_id = "confirmPayment",
    summary = "Confirm a payment with Stripe",
    description = "Reads the PaymentIntent from Stripe (the client's word is never trusted) and records what Stripe says, as the webhook would. Public.",
    request_body = Confirmation,
    responses(
        (status = 200, description = "Paid.", body = Confirmed, example = json!({"success": true, "order": {"id": "65550b2b8f1b2c3d4e5f6a7c", "status": "paid", "paymentStatus": "succeeded", "amount": 1400, "service": "reading"}})),
        (status = 400, description = "Invalid body, or Stripe does not say the payment succeeded.", body = crate::openapi::schemas::Error, example = json!({"error": "Payment not completed", "details": "Payment intent status: requires_payment_method"})),
        (status = 404, description = "No order for this intent, or Stripe has no such intent.", body = crate::openapi::schemas::Error, example = json!({"error": "Order not found"})),
        (status = 503, response = crate::openapi::PaymentsUnavailable),
    )
)]
async fn confirm(
    State(state): State<AppState>,
    Command(Confirmation { intent_id }, _): Command<Confirmation>,
) -> ApiResult<Json<Confirmed>> {
    let mut order = orders::find_by_intent(&state.store, &intent_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Order not found"))?;
    // A free order was paid when it was made; any other asks Stripe.
    if order.payment_status != PaymentStatus::Succeeded {
        let intent = state.gateway.intent(&intent_id).await?;
        let next = match intent.status {
            IntentStatus::Succeeded => Some(PaymentStatus::Succeeded),
            IntentStatus::Canceled => Some(PaymentStatus::Canceled),
            _ => None,
        }
        .filter(|next| payment::accepts(&order, *next, Some(intent.amount)));
        if let Some(next) = next {
            order = payment::record(&state.store, order, next, None).await?.0;
        }
        if order.payment_status != PaymentStatus::Succeeded {
            return Err(ApiError::bad_request("Payment not completed")
                .with_details(format!("Payment intent status: {}", intent.status.as_str())));
        }
    }
    Ok(Json(Confirmed {
        success: true,
        order: ConfirmedOrder {
            id: order.id,
            status: order.status,
            payment_status: order.payment_status,
            amount: order.amount,
            service: order.service,
        },
    }))
}
