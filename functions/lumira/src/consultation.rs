//! A consultation with an expert (`lumira.md`, "Créer un Intention de Paiement" under
//! payments, JWT required): a client signed in to their sanctuaire pays for a talk with an
//! expert about one of their readings. The price is the shop's ([`catalogue::CONSULTATION`]):
//! an `amount` the client sends must be that price, never taken for it. The order is a
//! `consultation_expert` order of the client, paid through Stripe like a reading's
//! (confirm-payment, webhooks).

use crate::AppState;
use crate::accounts;
use crate::catalogue::CONSULTATION;
use crate::customers;
use crate::orders::create::Checkout;
use crate::orders::{self, number};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use payments::{NewIntent, idempotency_key};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use web::auth::AuthUser;
use web::extract::Command;
use web::ids::ObjectId;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(create_intent, Access::Roles(Role::CLIENT))]
}

/// A client's request for a consultation: with whom, what about, and (if it names one) one
/// of its readings.
struct Consultation {
    expert_id: ObjectId,
    description: Option<String>,
    about: Option<ObjectId>,
}

impl TryFrom<&Map<String, Value>> for Consultation {
    type Error = ApiError;

    /// The first field that fails is said (an Express API's single `error`).
    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let present = |name: &str| body.get(name).filter(|v| !v.is_null());
        let expert_id = present("expertId")
            .and_then(Value::as_str)
            .and_then(ObjectId::parse)
            .ok_or_else(|| ApiError::bad_request("expertId must be an expert's id"))?;
        // The price is the consultation's; a client may restate it, never change it.
        if present("amount")
            .is_some_and(|a| a.as_i64() != Some(i64::from(CONSULTATION.amount_cents)))
        {
            return Err(ApiError::bad_request(format!(
                "amount must be the consultation's price, {} cents",
                CONSULTATION.amount_cents
            )));
        }
        let description = match present("description") {
            None => None,
            Some(Value::String(d)) if d.chars().count() <= MAX_DESCRIPTION => Some(d.clone()),
            Some(_) => {
                return Err(ApiError::bad_request(format!(
                    "description must be a string of at most {MAX_DESCRIPTION} characters"
                )));
            }
        };
        let about =
            match present("metadata").and_then(|m| m.get("orderId")) {
                None | Some(Value::Null) => None,
                Some(id) => Some(id.as_str().and_then(ObjectId::parse).ok_or_else(|| {
                    ApiError::bad_request("metadata.orderId must be an order id")
                })?),
            };
        Ok(Consultation {
            expert_id,
            description,
            about,
        })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct CreatedConsultation {
    #[schema(required = true)]
    client_secret: Option<String>,
    #[schema(pattern = "^[0-9a-f]{24}$")]
    order_id: String,
    #[schema(value_type = i64)]
    amount: u32,
    expert_name: String,
}

/// The longest description kept with the intent.
const MAX_DESCRIPTION: usize = 500;

#[utoipa::path(
    post,
    path = "/api/payments/create-payment-intent",
    tag = "Payments",
    operation_id = "createConsultationIntent",
    summary = "Pay for a consultation with an expert",
    description = "A client signed in to their sanctuaire (a sanctuaire token) pays for a consultation with an expert, about one of their readings if `metadata.orderId` names it. Creates a `consultation_expert` order and its Stripe PaymentIntent (idempotency key from the order); confirm it with `/api/payments/confirm-payment` or let the webhook.",
    request_body = crate::openapi::bodies::ConsultationRequest,
    responses(
        (status = 200, description = "The intent to pay with.", body = CreatedConsultation),
        (status = 404, description = "No such expert, client, or order of the client's.", body = crate::openapi::schemas::Error, example = json!({"error": "Expert not found"})),
        (status = 503, response = crate::openapi::PaymentsUnavailable),
    )
)]
async fn create_intent(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(
        Consultation {
            expert_id,
            description,
            about,
        },
        _,
    ): Command<Consultation>,
) -> ApiResult<Json<CreatedConsultation>> {
    let client_id = caller.str_id()?;
    let customer = customers::find(&state.store, client_id)
        .await?
        .ok_or_else(|| ApiError::not_found("User not found"))?;
    let expert = accounts::find(&state.store, &expert_id.to_string())
        .await?
        .filter(|a| a.role == Role::Expert.as_str())
        .ok_or_else(|| ApiError::not_found("Expert not found"))?;
    // The reading it is about must be the client's own.
    if let Some(about) = about {
        let order = orders::find(&state.store, &about.to_string()).await?;
        if order.is_none_or(|o| o.user_id != customer.id) {
            return Err(ApiError::not_found("Order not found"));
        }
    }
    let id = ObjectId::new();
    let mut metadata = BTreeMap::from([
        ("orderId".to_owned(), id.to_string()),
        ("product_id".to_owned(), CONSULTATION.id.to_owned()),
        ("customerEmail".to_owned(), customer.email.clone()),
        ("expertId".to_owned(), expert.id.clone()),
        ("service".to_owned(), CONSULTATION.id.to_owned()),
    ]);
    if let Some(about) = about {
        metadata.insert("readingOrderId".to_owned(), about.to_string());
    }
    let new = NewIntent {
        amount: i64::from(CONSULTATION.amount_cents),
        currency: CONSULTATION.currency.to_owned(),
        metadata,
        idempotency_key: idempotency_key("lumira-order", &id.to_string(), "intent"),
    };
    let intent = state.gateway.create_intent(&new).await?;
    let mut client_metadata = Map::new();
    client_metadata.insert("expertId".into(), Value::String(expert.id.clone()));
    client_metadata.insert("expertName".into(), Value::String(expert.name.clone()));
    if let Some(about) = about {
        client_metadata.insert("readingOrderId".into(), Value::String(about.to_string()));
    }
    if let Some(description) = description {
        client_metadata.insert("description".into(), Value::String(description));
    }
    let at = chrono::Utc::now();
    let checkout = Checkout {
        product: &CONSULTATION,
        service: CONSULTATION.id,
        email: customer.email.clone(),
        client_metadata,
        id,
        number: number::next(&state.store, at).await?,
        intent: Some(&intent),
    };
    checkout.save(&state.store, &web::time::format(at)).await?;
    Ok(Json(CreatedConsultation {
        client_secret: intent.client_secret.clone(),
        order_id: id.to_string(),
        amount: CONSULTATION.amount_cents,
        expert_name: expert.name,
    }))
}
