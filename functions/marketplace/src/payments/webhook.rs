//! `POST /api/payments/webhook`: Stripe's word on the marketplace's payment intents. A
//! delivery is checked against `Stripe-Signature` on the raw body before anything is read;
//! `payment_intent.succeeded`, `.payment_failed` and `.canceled` settle the payment named by
//! the intent's `paymentId` ([`super::settle`]); anything else, and an intent that is not
//! one of ours, is acknowledged and left alone (Stripe would otherwise send it again).

use super::PaymentStatus;
use super::settle::{Reported, Settled, settle};
use crate::AppState;
use crate::answers::Done;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Deserialize;
use std::collections::BTreeMap;
use web::error::ErrorKind;
use web::extract::RawBody;
use web::route;
use web::routes::{Access, Endpoint};
use web::webhook;
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(receive, Access::Signed)]
}

#[derive(Deserialize)]
struct Intent {
    id: String,
    #[serde(default)]
    amount: Option<u64>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
}

// What the marketplace reads of a Stripe event.
#[derive(utoipa::ToSchema)]
#[schema(as = StripeEvent)]
#[allow(dead_code)] // described, never built: the body is read as it came
struct Described {
    #[schema(example = json!("evt_1OZ..."))]
    id: String,
    /// `payment_intent.succeeded`, `payment_intent.payment_failed`, `payment_intent.canceled` ; les autres sont acquittés et ignorés.
    #[schema(rename = "type", example = json!("payment_intent.succeeded"))]
    kind: String,
    /// `data.object` : le PaymentIntent (`id`, `amount`, `currency`, `metadata.paymentId`).
    data: BTreeMap<String, serde_json::Value>,
}

/// The status an event reports, for the events that move a payment.
fn reported(kind: &str) -> Option<PaymentStatus> {
    match kind {
        "payment_intent.succeeded" => Some(PaymentStatus::Accepted),
        "payment_intent.payment_failed" => Some(PaymentStatus::Refused),
        "payment_intent.canceled" => Some(PaymentStatus::Cancelled),
        _ => None,
    }
}

#[utoipa::path(
    post,
    path = "/api/payments/webhook",
    tag = "Paiements",
    operation_id = "paymentsWebhook",
    summary = "Webhook Stripe",
    description = "Appelé par Stripe seulement. La signature (`Stripe-Signature`, HMAC-SHA256 du corps brut, 300 s de tolérance) est vérifiée avant tout ; chaque événement est appliqué une fois (un renvoi répond 200 et ne change rien) ; le statut du paiement et ce qu'il achète (abonnement prolongé, boost, mise en avant) sont écrits dans la même transaction. Un paiement accepté ou annulé ne change plus.",
    params(("Stripe-Signature" = String, Header, example = "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd")),
    request_body = Described,
    responses(
        (status = 200, description = "Reçu.", body = Done, example = json!({"success": true, "message": "Événement reçu"})),
        (status = 400, description = "Signature absente, fausse ou trop ancienne, ou corps illisible.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Signature du webhook invalide"})),
        (status = 503, description = "Aucun secret de webhook n'est configuré.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Les webhooks ne sont pas configurés"})),
    )
)]
async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<Done>> {
    let Some(secret) = state.config.stripe.webhook_secret.as_deref() else {
        return Err(ApiError::new(
            ErrorKind::Unavailable,
            "Les webhooks ne sont pas configurés",
        ));
    };
    let event: webhook::Event<serde_json::Value> =
        webhook::verified_event(Some(secret), &headers, &body)?;
    let Some(status) = reported(&event.kind) else {
        return Ok(Done::said("Événement reçu"));
    };
    let intent: Intent = serde_json::from_value(event.data.object)
        .map_err(|_| ApiError::bad_request("Événement illisible"))?;
    let Some(payment_id) = intent
        .metadata
        .get("paymentId")
        .filter(|id| super::is_id(id))
    else {
        tracing::info!(event = %event.id, intent = %intent.id, "not a marketplace intent: ignored");
        return Ok(Done::said("Événement reçu"));
    };
    let reported = Reported {
        event_id: &event.id,
        intent_id: &intent.id,
        amount: intent.amount,
        currency: intent.currency.as_deref(),
        status,
    };
    match settle(&state.store, payment_id, &reported).await? {
        Settled::Ignored(why) => {
            tracing::warn!(event = %event.id, payment = %payment_id, why, "payment event ignored");
        }
        settled => {
            tracing::info!(event = %event.id, payment = %payment_id, ?settled, "payment event")
        }
    }
    Ok(Done::said("Événement reçu"))
}
