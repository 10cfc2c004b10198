//! Stripe's webhooks (`POST /api/products/webhook`, `POST /api/payments/webhook`): one
//! endpoint for the catalogue's checkouts and one for payments (the document stops at the
//! second; both take the same events and do the same thing, so either can be registered).
//!
//! A delivery is checked against `Stripe-Signature` on the raw body before anything is read
//! (400 when forged or stale); each event id is processed once; an event for an intent this
//! shop did not make (no `orderId` in its metadata, or an order that is not that intent's)
//! is acknowledged and ignored; and an event arriving late never moves an order back
//! ([`crate::orders::payment`]). A client who paid and closed the page still gets the order
//! paid here. A charge refunded in full (`charge.refunded`, from Stripe's dashboard or API)
//! refunds its intent's order; a partial refund is acknowledged and left to the staff.

use crate::AppState;
use crate::orders::{self, PaymentStatus, payment};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use web::ApiResult;
use web::extract::RawBody;
use web::route;
use web::routes::{Access, Endpoint};
use web::webhook;

pub fn products_routes() -> Vec<Endpoint<AppState>> {
    vec![route!(receive_for_products, Access::Signed)]
}

pub fn payments_routes() -> Vec<Endpoint<AppState>> {
    vec![route!(receive_for_payments, Access::Signed)]
}

/// The parts of an event this shop reads.
type Event = webhook::Event<EventObject>;

#[derive(Deserialize)]
struct EventObject {
    id: String,
    #[serde(default)]
    amount: Option<i64>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    /// A charge's intent.
    #[serde(default)]
    payment_intent: Option<String>,
    /// Whether a charge was refunded in full.
    #[serde(default)]
    refunded: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = WebhookReceived)]
struct Received {
    received: bool,
    event_type: String,
}

/// The payment status an event reports, for the events that move one.
fn reported(kind: &str) -> Option<PaymentStatus> {
    match kind {
        "payment_intent.succeeded" => Some(PaymentStatus::Succeeded),
        "payment_intent.payment_failed" => Some(PaymentStatus::Failed),
        "payment_intent.canceled" => Some(PaymentStatus::Canceled),
        _ => None,
    }
}

#[utoipa::path(
    post,
    path = "/api/products/webhook",
    tag = "Products",
    operation_id = "productsWebhook",
    summary = "Stripe webhook for the checkout",
    description = "Called by Stripe only. The signature is checked on the raw body (HMAC-SHA256, 300 s tolerance); a replayed event answers 200 and changes nothing; a late event never moves an order back. A `charge.refunded` event refunds the order of the charge's `payment_intent` when the charge is refunded in full (a partial refund is acknowledged and left to the staff).",
    params(("Stripe-Signature" = String, Header, example = "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd")),
    request_body = crate::openapi::bodies::StripeEvent,
    responses(
        (status = 200, description = "Acknowledged.", body = Received, example = json!({"received": true, "event_type": "payment_intent.succeeded"})),
        (status = 400, response = crate::openapi::InvalidSignature),
        (status = 503, response = crate::openapi::WebhooksUnavailable),
    )
)]
async fn receive_for_products(
    state: State<AppState>,
    headers: HeaderMap,
    body: RawBody,
) -> ApiResult<Json<Received>> {
    receive(state, headers, body).await
}

/// The same endpoint under the payments group's path (either may be registered in Stripe).
#[utoipa::path(
    post,
    path = "/api/payments/webhook",
    tag = "Payments",
    operation_id = "paymentsWebhook",
    summary = "Stripe webhook for payments",
    description = "Called by Stripe only. The signature is checked on the raw body (HMAC-SHA256, 300 s tolerance); a replayed event answers 200 and changes nothing; a late event never moves an order back. A `charge.refunded` event refunds the order of the charge's `payment_intent` when the charge is refunded in full (a partial refund is acknowledged and left to the staff).",
    params(("Stripe-Signature" = String, Header, example = "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd")),
    request_body = crate::openapi::bodies::StripeEvent,
    responses(
        (status = 200, description = "Acknowledged.", body = Received, example = json!({"received": true, "event_type": "payment_intent.succeeded"})),
        (status = 400, response = crate::openapi::InvalidSignature),
        (status = 503, response = crate::openapi::WebhooksUnavailable),
    )
)]
async fn receive_for_payments(
    state: State<AppState>,
    headers: HeaderMap,
    body: RawBody,
) -> ApiResult<Json<Received>> {
    receive(state, headers, body).await
}

async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<Received>> {
    let secret = state.config.stripe.webhook_secret.as_deref();
    let event: Event = webhook::verified_event(secret, &headers, &body)?;
    if let Some(next) = reported(&event.kind) {
        apply(&state, &event, next).await?;
    } else if event.kind == "charge.refunded" {
        refund(&state, &event).await?;
    }
    Ok(Json(Received {
        received: true,
        event_type: event.kind,
    }))
}

async fn apply(state: &AppState, event: &Event, next: PaymentStatus) -> ApiResult<()> {
    let intent = &event.data.object;
    let Some(order_id) = intent.metadata.get("orderId") else {
        tracing::info!(event = %event.id, intent = %intent.id, "not this shop's intent: ignored");
        return Ok(());
    };
    let order = match orders::find(&state.store, order_id).await? {
        Some(order) if order.payment_intent_id == intent.id => order,
        _ => {
            tracing::warn!(event = %event.id, intent = %intent.id, "no order for this intent: ignored");
            return Ok(());
        }
    };
    if !payment::accepts(&order, next, intent.amount) {
        tracing::error!(event = %event.id, order = %order.id, "paid amount is not the order's: ignored");
        return Ok(());
    }
    let (_, recorded) = payment::record(&state.store, order, next, Some(&event.id)).await?;
    tracing::info!(event = %event.id, ?recorded, "payment event");
    Ok(())
}

/// A refunded charge: its intent's order, found by the intent (a charge carries no order
/// reference of its own), is refunded when the whole charge is.
async fn refund(state: &AppState, event: &Event) -> ApiResult<()> {
    let charge = &event.data.object;
    let Some(intent) = charge.payment_intent.as_deref() else {
        tracing::info!(event = %event.id, charge = %charge.id, "charge without an intent: ignored");
        return Ok(());
    };
    let Some(order) = orders::find_by_intent(&state.store, intent).await? else {
        tracing::info!(event = %event.id, %intent, "not this shop's charge: ignored");
        return Ok(());
    };
    if !charge.refunded {
        tracing::warn!(event = %event.id, order = %order.id, "partial refund: left to the staff");
        return Ok(());
    }
    let (_, recorded) = payment::record(
        &state.store,
        order,
        PaymentStatus::Refunded,
        Some(&event.id),
    )
    .await?;
    tracing::info!(event = %event.id, ?recorded, "refund event");
    Ok(())
}
