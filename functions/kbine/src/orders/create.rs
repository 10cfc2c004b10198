//! A client orders a plan for a phone number: the plan's price, the operator's prefixes, and
//! the first answer again for a retried `Idempotency-Key`.

use super::{
    NewOrder, Order, order_key, placement, status_total, unavailable_plan, user_status_total,
    user_total,
};
use crate::AppState;
use crate::events::OrderEvent;
use crate::history::{Actor, Entry};
use crate::openapi::Error;
use crate::{operators, plans};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use store::{Cond, TxOp};
use web::auth::AuthUser;
use web::counters::{self, bump, list_sort_key};
use web::extract::{Command, Sent};
use web::idempotency::{self, IdempotencyKey};
use web::money::Money;
use web::{ApiError, ApiResult};

/// The names of the creation's steps whose failed conditions mean something.
const ACTIVE_PLAN: &str = "active_plan";
const OPERATOR: &str = "operator";

/// The created order, as documented.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(description = "Commande créée. Le montant est le prix du forfait.")]
#[schema(as = Order)]
struct CreatedOrder {
    #[schema(example = json!(125))]
    id: i64,
    #[schema(example = json!(1))]
    user_id: i64,
    #[schema(example = json!(1))]
    plan_id: i64,
    #[schema(value_type = crate::openapi::schemas::PhoneNumber)]
    phone_number: String,
    amount: Money,
    #[schema(value_type = crate::openapi::schemas::OrderStatus)]
    status: String,
    #[schema(value_type = crate::openapi::schemas::PaymentMethod)]
    payment_method: String,
    #[schema(example = json!("ORD-125-1736951234"))]
    payment_reference: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    created_at: String,
}

#[utoipa::path(
    post,
    path = "/api/orders",
    tag = "Commandes",
    operation_id = "createOrder",
    summary = "Créer une commande",
    description = "Crée une nouvelle commande de crédit ou forfait, au prix du forfait, au statut `pending`.",
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = NewOrder,
    responses(
        (status = 201, description = "Commande créée.", headers(("Idempotent-Replayed" = String)), body = CreatedOrder, example = json!({"id": 125, "user_id": 1, "plan_id": 1, "phone_number": "0701020304", "amount": 1000.0, "status": "pending", "payment_method": "wave", "payment_reference": "ORD-125-1736951234", "created_at": "2025-01-15T16:30:00.000Z"})),
        (status = 400, description = "Données invalides, forfait indisponible, numéro d'un autre opérateur, ou en-tête Idempotency-Key invalide.", body = Error, examples(("e1" = (summary = "Données invalides", value = json!({"error": "Données invalides", "details": "plan_id est requis"}))), ("e2" = (summary = "Méthode de paiement invalide", value = json!({"error": "Méthode de paiement invalide", "details": "Les méthodes valides sont: wave, orange_money, mtn_money, moov_money"}))), ("e3" = (summary = "Numéro de téléphone invalide", value = json!({"error": "Numéro de téléphone invalide", "details": "Le numéro ne correspond pas à l'opérateur du forfait"}))), ("e4" = (summary = "Ce forfait n'est pas disponible", value = json!({"error": "Ce forfait n'est pas disponible"}))), ("e5" = (summary = "Clé d'idempotence invalide", value = json!({"error": "Clé d'idempotence invalide", "details": "L'en-tête Idempotency-Key doit compter de 1 à 255 caractères ASCII visibles"}))))),
        (status = 404, description = "Forfait non trouvé.", body = Error, example = json!({"error": "Plan non trouvé"})),
        (status = 409, description = "Clé Idempotency-Key déjà utilisée avec un autre corps.", body = Error, example = json!({"error": "Clé d'idempotence déjà utilisée pour une autre requête", "details": "Une même clé Idempotency-Key doit accompagner le même corps"})),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    idempotency: IdempotencyKey,
    Command(order, Sent(body)): Command<NewOrder>,
) -> ApiResult<Response> {
    let user_id = caller.int_id()?;
    let NewOrder {
        plan_id,
        phone,
        payment_method,
    } = order;
    let retry = idempotency.scoped("orders", &caller.id, &body);
    if let Some(retry) = &retry
        && let Some(first) = retry.earlier(&state.store).await?
    {
        return Ok(first);
    }

    // What the catalogue says.
    let plan = plans::find(&state.store, plan_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Plan non trouvé"))?;
    if !plan.active {
        return Err(unavailable_plan());
    }
    let operator = operators::find(&state.store, plan.operator_id)
        .await?
        .ok_or_else(unavailable_plan)?;
    if !operator.prefixes.iter().any(|p| p == phone.prefix()) {
        return Err(
            ApiError::bad_request("Numéro de téléphone invalide").with_details(format!(
                "Le numéro ne correspond pas à l'opérateur du forfait ({} : {})",
                operator.name,
                operator.prefixes.join(", ")
            )),
        );
    }

    let id = counters::next_id(&state.store, "order").await?;
    let at = chrono::Utc::now();
    let now = web::time::format(at);
    let order = CreatedOrder {
        id,
        user_id,
        plan_id,
        phone_number: phone.as_str().to_string(),
        // The price is the plan's, never the client's.
        amount: plan.price(),
        status: "pending".into(),
        payment_method: payment_method.as_str().to_string(),
        payment_reference: format!("ORD-{id}-{}", at.timestamp()),
        created_at: now.clone(),
    };
    let sort_key = list_sort_key(&now, id);
    let item = placement(id, user_id, "pending", &sort_key).item(web::item::record(&Order {
        id,
        user_id,
        plan_id,
        operator_id: operator.id,
        plan_name: plan.name.clone(),
        operator_name: operator.name.clone(),
        phone_number: order.phone_number.clone(),
        amount_minor: order.amount.minor(),
        status: order.status.clone(),
        payment_method: order.payment_method.clone(),
        payment_reference: order.payment_reference.clone(),
        assigned_to: None,
        created_at: now.clone(),
        updated_at: now.clone(),
        live_payment_id: None,
        payment_status: None,
    })?);
    let mut ops = vec![
        (ACTIVE_PLAN, plans::count_order(&plan)),
        (
            OPERATOR,
            operators::count_use(operator.id, "order_count", 1),
        ),
        (
            "order",
            TxOp::Put {
                item,
                cond: Some(Cond::NotExists),
            },
        ),
        ("totals", bump("orders", 1)),
        ("totals", bump(status_total("pending"), 1)),
        ("totals", bump(user_total(user_id), 1)),
        ("totals", bump(user_status_total(user_id, "pending"), 1)),
        (
            "history",
            Entry::new(&Actor::of(&caller)?, None, "pending", &now).write(&order_key(id).pk)?,
        ),
    ];
    if let Some(retry) = &retry {
        // First: a retry whose first try got there first must fail on it, not on the plan.
        ops.insert(
            0,
            (
                idempotency::STEP,
                retry.record(StatusCode::CREATED, &order)?,
            ),
        );
    }
    match state.store.transact_named(ops).await {
        Ok(()) => {}
        // The plan was deactivated or deleted, or its operator deleted, meanwhile.
        Err(e) if e.failed(ACTIVE_PLAN) || e.failed(OPERATOR) => return Err(unavailable_plan()),
        // Perhaps the same request, sent again, got there first.
        Err(e) => return idempotency::settle(retry.as_ref(), &state.store, e).await,
    }
    let rendered = serde_json::to_value(&order).map_err(ApiError::internal)?;
    state
        .events
        .publish(OrderEvent::Created { order: rendered })
        .await;
    Ok((StatusCode::CREATED, Json(order)).into_response())
}
