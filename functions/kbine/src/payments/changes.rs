//! Changing a payment: the admin's edit, the staff's status change and the admin's soft
//! delete. Each is written on condition that the payment (and, when it moves, its order)
//! is still as read; a lost race is decided again on the state that won.

use super::PaymentResult;
use super::input::{PaymentChanges, status_of};
use super::lifecycle;
use super::{
    BY_STATUS, Envelope, MAX_NOTES, Payment, PaymentView, done, find_live, method_total, not_found,
    parse, payment_key, status_partition, status_total, unchanged,
};
use crate::AppState;
use crate::events::OrderEvent;
use crate::history::{Actor, Entry};
use crate::openapi::{Conflict, Error};
use crate::orders::{self, moves::ORDER_AS_READ};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Map, Value};
use store::{DynStore, Index, TxOp, Update};
use web::auth::AuthUser;
use web::counters::bump;
use web::extract::{Command, PathId};
use web::retry::{self, ATTEMPTS, back_off};
use web::validate::{self, Fields};
use web::{ApiError, ApiResult};

const UNCHANGED_PAYMENT: &str = "unchanged_payment";

fn lost_race(e: &store::StoreError) -> bool {
    retry::lost_race(e, UNCHANGED_PAYMENT) || e.failed(ORDER_AS_READ)
}

/// What a change asks: the payment's update, and its new status if it sets one.
struct Asked {
    update: Update,
    status: Option<&'static str>,
}

/// A payment after a change; when its refund refunded the order, the order's client.
struct Changed {
    payment: Payment,
    order_moved: Option<i64>,
}

/// Applies `change` to the payment `id` as it is now. A status that differs from the
/// current one must be a transition the lifecycle allows; it moves the status totals, the
/// order's side and the history, in the same transaction.
async fn change<F>(
    store: &DynStore,
    id: i64,
    actor: &Actor,
    reason: Option<String>,
    change: F,
) -> ApiResult<Changed>
where
    F: Fn(&Payment, &str) -> ApiResult<Asked>,
{
    for attempt in 1..=ATTEMPTS {
        let mut item = store.get(&payment_key(id)).await?.ok_or_else(not_found)?;
        let current = parse(item.clone())?;
        if current.deleted_at.is_some() {
            return Err(not_found());
        }
        let now = web::time::now();
        let Asked { update, status } = change(&current, &now)?;
        let mut update = update.set("updated_at", now.as_str());
        let mut ops = Vec::new();
        let mut order_moved = None;
        if let Some(status) = status.filter(|s| *s != current.status) {
            if !lifecycle::can_move(&current.status, status) {
                return Err(lifecycle::invalid_transition(&current.status, status));
            }
            update = update
                .set("status", status)
                .relist(BY_STATUS, status_partition(status));
            ops.push(("totals", bump(status_total(&current.status), -1)));
            ops.push(("totals", bump(status_total(status), 1)));
            let entry =
                Entry::new(actor, Some(&current.status), status, &now).because(reason.clone());
            ops.push(("history", entry.write(&payment_key(id).pk)?));
            if let Some(order) = orders::find(store, current.order_id).await? {
                let side =
                    lifecycle::on_status(&order, &current, status, actor, reason.clone(), &now)?;
                if side.refunds_order {
                    order_moved = Some(order.user_id);
                }
                ops.extend(side.ops);
            }
        }
        let written = update.clone();
        ops.push((
            UNCHANGED_PAYMENT,
            TxOp::Update {
                key: payment_key(id),
                update,
                cond: Some(unchanged(&current)),
            },
        ));
        match store.transact_named(ops).await {
            Ok(()) => {
                // Answered from what was written: a read after the commit could fail and
                // turn a done change into a 503.
                store::eval::apply(&written, &mut item)?;
                return Ok(Changed {
                    payment: parse(item)?,
                    order_moved,
                });
            }
            Err(e) if lost_race(&e) && attempt < ATTEMPTS => back_off(attempt).await,
            Err(e) if lost_race(&e) => {
                // Gone meanwhile (404), or still changing under us (409).
                find_live(store, id).await?;
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::internal("payment change: no attempt made"))
}

/// Tells the order's client that its order was refunded.
async fn publish(state: &AppState, changed: &Changed) {
    if let Some(user_id) = changed.order_moved {
        state
            .events
            .publish(OrderEvent::StatusChanged {
                order_id: changed.payment.order_id,
                user_id,
                status: "refunded".to_owned(),
                updated_at: changed.payment.updated_at.clone(),
            })
            .await;
    }
}

#[utoipa::path(
    put,
    path = "/api/payments/{id}",
    tag = "Paiements",
    operation_id = "updatePayment",
    summary = "Mettre à jour un paiement",
    description = "🔴 Accès : Admin uniquement. Au moins un champ doit être fourni.",
    request_body = PaymentChanges,
    responses(
        (status = 200, description = "Paiement mis à jour.", body = PaymentResult, example = json!({"success": true, "message": "Paiement mis à jour avec succès", "data": {"id": 45, "order_id": 123, "amount": 5500.0, "payment_method": "wave", "payment_reference": "PAY-20251008-ABC123", "external_reference": "WAVE-TXN-456789", "status": "success", "callback_data": {"transaction_id": "12345", "validation_code": "OK-123"}, "phone_number": "0789062079", "order_amount": 5000.0, "created_at": "2025-10-08T10:30:00.000Z", "updated_at": "2025-10-08T11:00:00.000Z"}})),
        (status = 400, description = "Données invalides, ou transition de statut invalide.", body = Error, examples(("e1" = (summary = "Au moins un champ doit être fourni", value = json!({"error": "Au moins un champ doit être fourni", "details": "Champs modifiables: amount, status, callback_data"}))), ("e2" = (summary = "Données invalides", value = json!({"error": "Données invalides", "details": "status doit être pending, success, failed ou refunded"}))), ("e3" = (summary = "Identifiant invalide", value = json!({"error": "Identifiant invalide"}))), ("e4" = (summary = "Transition de statut invalide", value = json!({"error": "Transition de statut invalide", "details": "refunded → pending"}))), ("e5" = (summary = "Montant de la commande", value = json!({"error": "Données invalides", "details": "amount: le montant doit être celui de la commande (1000.00)"}))))),
        (status = 404, description = "Paiement non trouvé (ou supprimé).", body = Error, example = json!({"error": "Paiement non trouvé"})),
        (status = 409, response = Conflict),
    )
)]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId,
    Command(changes, _): Command<PaymentChanges>,
) -> ApiResult<Json<Envelope<PaymentView>>> {
    let PaymentChanges {
        amount,
        status,
        callback_data,
    } = changes;
    let actor = Actor::of(&caller)?;
    let changed = change(&state.store, id, &actor, None, |current, _| {
        let mut update = Update::new();
        if let Some(amount) = amount {
            lifecycle::check_order_amount(amount.minor(), current.order_amount_minor)?;
            update = update.set("amount_minor", amount.minor());
        }
        if let Some(data) = &callback_data {
            update = update.set("callback_data", Value::Object(data.clone()));
        }
        Ok(Asked { update, status })
    })
    .await?;
    publish(&state, &changed).await;
    Ok(done(
        "Paiement mis à jour avec succès",
        PaymentView::full(changed.payment),
    ))
}

// A staff move of a payment's status, with notes that explain it. (Plain comments: a doc
// comment would become a description in the French document.)
#[derive(utoipa::ToSchema)]
#[schema(as = PaymentStatusUpdate, description = "Transitions permises : pending → success ou failed ; success → refunded (la commande passe alors à `refunded`). failed et refunded sont finals. Un même statut ne change que les notes.", example = json!({"status": "success", "notes": "Paiement vérifié et validé manuellement"}))]
pub(super) struct StatusChange {
    #[schema(value_type = crate::openapi::schemas::PaymentStatus)]
    status: &'static str,
    /// Notes explicatives (1000 caractères au plus), enregistrées dans `callback_data.notes` ; `callback_data.last_update` reçoit la date. Elles sont aussi le « pourquoi » de l'historique.
    #[schema(example = json!("Paiement vérifié et validé manuellement"), max_length = 1000)]
    notes: Option<String>,
}

impl TryFrom<&Map<String, Value>> for StatusChange {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        let status = fields.required_text_titled(
            "status",
            status_of,
            "Statut invalide",
            "Les statuts valides sont: pending, success, failed, refunded",
        );
        let notes = fields.optional_with("notes", |notes| match notes {
            Value::String(s) if s.chars().count() <= MAX_NOTES => Ok(s.clone()),
            _ => {
                Err(format!("notes doit être une chaîne de {MAX_NOTES} caractères au plus").into())
            }
        });
        let Some(status) = status else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(StatusChange { status, notes })
    }
}

#[utoipa::path(
    patch,
    path = "/api/payments/{id}/status",
    tag = "Paiements",
    operation_id = "updatePaymentStatus",
    summary = "Mettre à jour le statut d'un paiement",
    description = "🟡 Accès : Staff/Admin.",
    request_body = StatusChange,
    responses(
        (status = 200, description = "Statut mis à jour.", body = PaymentResult, example = json!({"success": true, "message": "Statut du paiement mis à jour avec succès", "data": {"id": 45, "order_id": 123, "amount": 5000.0, "payment_method": "wave", "payment_reference": "PAY-20251008-ABC123", "external_reference": "WAVE-TXN-456789", "status": "success", "callback_data": {"transaction_id": "12345", "notes": "Paiement vérifié et validé manuellement", "last_update": "2025-10-08T11:15:00.000Z"}, "phone_number": "0789062079", "order_amount": 5000.0, "created_at": "2025-10-08T10:30:00.000Z", "updated_at": "2025-10-08T11:15:00.000Z"}})),
        (status = 400, description = "Statut invalide, ou transition de statut invalide.", body = Error, examples(("e1" = (summary = "Statut invalide", value = json!({"error": "Statut invalide", "details": "Les statuts valides sont: pending, success, failed, refunded"}))), ("e2" = (summary = "Identifiant invalide", value = json!({"error": "Identifiant invalide"}))), ("e3" = (summary = "Transition de statut invalide", value = json!({"error": "Transition de statut invalide", "details": "refunded → pending"}))))),
        (status = 404, description = "Paiement non trouvé (ou supprimé).", body = Error, example = json!({"error": "Paiement non trouvé"})),
        (status = 409, description = "Un autre paiement de la commande a déjà réussi (commandes antérieures à la règle d'un seul paiement actif).", body = Error, example = json!({"error": "Un paiement est déjà en cours ou réussi pour cette commande"})),
    )
)]
pub(super) async fn change_status(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId,
    Command(StatusChange { status, notes }, _): Command<StatusChange>,
) -> ApiResult<Json<Envelope<PaymentView>>> {
    let actor = Actor::of(&caller)?;
    let changed = change(&state.store, id, &actor, notes.clone(), |current, now| {
        let mut data = match &current.callback_data {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        };
        if let Some(notes) = &notes {
            data.insert("notes".into(), Value::String(notes.clone()));
        }
        data.insert("last_update".into(), Value::String(now.to_string()));
        Ok(Asked {
            update: Update::new().set("callback_data", Value::Object(data)),
            status: Some(status),
        })
    })
    .await?;
    publish(&state, &changed).await;
    Ok(done(
        "Statut du paiement mis à jour avec succès",
        PaymentView::full(changed.payment),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = PaymentDeleted)]
pub(super) struct Deleted {
    #[schema(example = json!(true))]
    success: bool,
    #[schema(example = json!("Paiement supprimé avec succès"))]
    message: &'static str,
}

/// Soft delete: the payment keeps its data and `deleted_at`, leaves every list and total,
/// and its reference stays taken; a live payment frees its order for another.
#[utoipa::path(
    delete,
    path = "/api/payments/{id}",
    tag = "Paiements",
    operation_id = "deletePayment",
    summary = "Supprimer un paiement (Soft delete)",
    description = "🔴 Accès : Admin uniquement. Le paiement est marqué supprimé : il disparaît des listes et des détails, et sa référence reste prise.",
    responses(
        (status = 200, description = "Paiement supprimé.", body = Deleted, example = json!({"success": true, "message": "Paiement supprimé avec succès"})),
        (status = 404, description = "Paiement non trouvé (ou supprimé).", body = Error, example = json!({"error": "Paiement non trouvé"})),
        (status = 409, response = Conflict),
    )
)]
pub(super) async fn remove(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId,
) -> ApiResult<Json<Deleted>> {
    for attempt in 1..=ATTEMPTS {
        let current = find_live(&state.store, id).await?;
        let order = orders::find(&state.store, current.order_id).await?;
        let now = web::time::now();
        let mut update = Update::new()
            .set("deleted_at", now.as_str())
            .set("updated_at", now.as_str());
        for index in Index::GSIS {
            update = update.remove(index.pk_attr()).remove(index.sk_attr());
        }
        let mut ops = vec![
            (
                UNCHANGED_PAYMENT,
                TxOp::Update {
                    key: payment_key(id),
                    update,
                    cond: Some(unchanged(&current)),
                },
            ),
            ("totals", bump("payments", -1)),
            ("totals", bump(status_total(&current.status), -1)),
            ("totals", bump(method_total(&current.payment_method), -1)),
        ];
        ops.extend(
            order
                .as_ref()
                .and_then(|order| lifecycle::on_deleted(order, &current, &now)),
        );
        match state.store.transact_named(ops).await {
            Ok(()) => {
                return Ok(Json(Deleted {
                    success: true,
                    message: "Paiement supprimé avec succès",
                }));
            }
            Err(e) if lost_race(&e) && attempt < ATTEMPTS => back_off(attempt).await,
            Err(e) if lost_race(&e) => {
                find_live(&state.store, id).await?;
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::internal("payment delete: no attempt made"))
}
