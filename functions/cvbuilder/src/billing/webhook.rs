//! `POST /api/payments/webhook/` (`cvbuilder.md` 4.2): Stripe's events, signature-checked on
//! the raw body, each processed once (its id and its effect in one transaction).
//!
//! A paid `single` checkout unlocks its résumé. Everything about a subscription is settled
//! by the subscription's own state, read from Stripe when an event names it: events arrive
//! in any order and more than once, and the latest state is the same whichever brought the
//! news. A failed invoice takes premium away when it is the subscription's latest (a later
//! invoice that was paid makes an old failure moot); an old subscription ending does not end
//! the one the user has now.

use super::Purchase;
use crate::AppState;
use crate::{resumes, users};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use payments::GatewayError;
use serde::Serialize;
use serde_json::Value;
use store::{TxOp, Update};
use web::ApiResult;
use web::extract::RawBody;
use web::route;
use web::routes::{Access, Endpoint};
use web::webhook::{self, ONCE_STEP};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        // Signed by Stripe, not by a token.
        route!(receive, Access::Signed),
    ]
}

/// An event, its object as sent.
type Event = webhook::Event<Value>;

fn text<'a>(object: &'a Value, pointer: &str) -> Option<&'a str> {
    object.pointer(pointer).and_then(Value::as_str)
}

#[utoipa::path(
    post,
    path = "/api/payments/webhook/",
    tag = "Payments",
    operation_id = "paymentsWebhook",
    summary = "Stripe's events (called by Stripe only)",
    description = "The signature is checked on the raw body (`Stripe-Signature`, HMAC-SHA256, 300 s tolerance); each event is processed once (a replay answers 200 and changes nothing). `checkout.session.completed` of a paid `single` checkout unlocks its résumé (`is_paid`, `payment_type: single`). `customer.subscription.created`, `.updated`, `.deleted`, `invoice.payment_succeeded` and a subscription checkout's completion are settled by the subscription's state read from Stripe, whatever their order: `is_premium`, `subscription_type`, `subscription_end_date` and `subscription_status` follow it. `invoice.payment_failed` of the subscription's latest invoice takes premium away (`past_due`). Other events are acknowledged.",
    params(("Stripe-Signature" = String, Header, example = "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd")),
    request_body = crate::openapi::bodies::StripeEvent,
    responses(
        (status = 200, description = "Acknowledged.", body = WebhookReceived),
    )
)]
async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<WebhookReceived>> {
    let secret = state.config.stripe.webhook_secret.as_deref();
    let event: Event = webhook::verified_event(secret, &headers, &body)?;
    let object = &event.data.object;
    match event.kind.as_str() {
        "checkout.session.completed" => match text(object, "/mode") {
            Some("payment") => single_paid(&state, &event).await?,
            Some("subscription") => {
                if let Some(id) = text(object, "/subscription") {
                    settle(&state, &event.id, id, None).await?;
                }
            }
            _ => {}
        },
        "customer.subscription.created"
        | "customer.subscription.updated"
        | "customer.subscription.deleted" => {
            if let Some(id) = text(object, "/id") {
                settle(&state, &event.id, id, None).await?;
            }
        }
        "invoice.payment_succeeded" | "invoice.payment_failed" => {
            // Where each API version keeps an invoice's subscription.
            let subscription = text(object, "/subscription")
                .or_else(|| text(object, "/parent/subscription_details/subscription"));
            let failed = (event.kind == "invoice.payment_failed")
                .then(|| text(object, "/id"))
                .flatten();
            if let Some(id) = subscription {
                settle(&state, &event.id, id, failed).await?;
            }
        }
        other => tracing::info!(event = %event.id, kind = other, "event not used: acknowledged"),
    }
    Ok(Json(WebhookReceived {
        status: Received::Success,
    }))
}

/// The acknowledgement Stripe gets for every event, used or not.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(example = json!({"status": "success"}))]
pub struct WebhookReceived {
    #[schema(inline)]
    status: Received,
}

#[derive(Serialize, utoipa::ToSchema)]
pub enum Received {
    #[serde(rename = "success")]
    Success,
}

/// Runs `effect` with the event's once-guard: a replay changes nothing.
async fn once(state: &AppState, event_id: &str, effect: TxOp) -> ApiResult<()> {
    let ops = vec![
        (ONCE_STEP, webhook::once("stripe", event_id)),
        ("effect", effect),
    ];
    match state.store.transact_named(ops).await {
        Ok(()) => Ok(()),
        Err(e) if e.failed(ONCE_STEP) => {
            tracing::info!(event = %event_id, "replayed event: already processed");
            Ok(())
        }
        // The résumé or the user is gone: nothing left to unlock.
        Err(e) if e.failed("effect") => {
            tracing::info!(event = %event_id, "event for a record that is gone: ignored");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// A paid `single` checkout: its résumé is paid for, for good.
async fn single_paid(state: &AppState, event: &Event) -> ApiResult<()> {
    let session = &event.data.object;
    let resume = text(session, "/metadata/resume_id").and_then(|id| id.parse::<i64>().ok());
    let single = text(session, "/metadata/payment_type") == Some(Purchase::Single.as_str());
    let (Some(resume), true) = (resume, single) else {
        tracing::info!(event = %event.id, "not a checkout of this API's: ignored");
        return Ok(());
    };
    if text(session, "/payment_status") != Some("paid") {
        // A delayed method (a bank debit) pays later, in an event not taken here.
        tracing::info!(event = %event.id, resume, "checkout completed unpaid: left as it is");
        return Ok(());
    }
    let amount = session.pointer("/amount_total").and_then(Value::as_i64);
    if amount != Some(Purchase::Single.price_cents()) {
        tracing::error!(event = %event.id, resume, ?amount, "paid amount is not the price: ignored");
        return Ok(());
    }
    once(state, &event.id, resumes::paid_op(resume)).await
}

/// The subscription's type: the one its checkout named, else its interval's.
fn subscription_type(subscription: &payments::Subscription) -> Option<&'static str> {
    let named = subscription
        .metadata
        .get("payment_type")
        .map(String::as_str);
    match (named, subscription.interval.as_deref()) {
        (Some("monthly"), _) | (None, Some("month")) => Some("monthly"),
        (Some("yearly"), _) | (None, Some("year")) => Some("yearly"),
        _ => None,
    }
}

/// Applies subscription `id`'s state now to its user; `failed_invoice`: an invoice whose
/// payment failed.
async fn settle(
    state: &AppState,
    event_id: &str,
    id: &str,
    failed_invoice: Option<&str>,
) -> ApiResult<()> {
    let subscription = match state.gateway.subscription(id).await {
        Ok(subscription) => subscription,
        Err(GatewayError::NotFound) => {
            tracing::warn!(event = %event_id, subscription = id, "unknown to Stripe: ignored");
            return Ok(());
        }
        // Unanswered, Stripe delivers the event again later.
        Err(e) => return Err(e.into()),
    };
    let user_id = subscription
        .metadata
        .get("user_id")
        .and_then(|u| u.parse::<i64>().ok());
    let user = match user_id {
        Some(id) => users::find(&state.store, id).await?,
        None => None,
    };
    let Some(user) = user else {
        tracing::info!(event = %event_id, subscription = id, "no user of ours: ignored");
        return Ok(());
    };
    let replaced = user
        .stripe_subscription_id
        .as_deref()
        .is_some_and(|current| current != subscription.id);
    if replaced && !subscription.is_running() {
        tracing::info!(event = %event_id, subscription = id, "an earlier subscription: ignored");
        return Ok(());
    }
    let failed = failed_invoice.is_some_and(|i| subscription.latest_invoice.as_deref() == Some(i));
    let (premium, status) = if failed && subscription.is_running() {
        (false, "past_due")
    } else {
        (subscription.is_running(), subscription.status.as_str())
    };
    let end = subscription
        .current_period_end
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(web::time::format_seconds);
    let update = Update::new()
        .set("is_premium", premium)
        .set("subscription_status", status)
        .set("stripe_subscription_id", subscription.id.as_str())
        .set(
            "subscription_type",
            subscription_type(&subscription).map_or(Value::Null, Value::from),
        )
        .set(
            "subscription_end_date",
            end.map_or(Value::Null, Value::from),
        );
    once(state, event_id, users::change_op(user.id, update)).await
}
