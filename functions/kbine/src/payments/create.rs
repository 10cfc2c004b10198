//! Recording a payment of an order: the order's own amount and method, one live payment per
//! order, a unique reference, and the first answer again for a retried `Idempotency-Key`.

use super::PaymentResult;
use super::input::NewPayment;
use super::lifecycle;
use super::{
    Payment, PaymentView, done, method_total, payment_key, placement, reference_key, status_total,
};
use crate::AppState;
use crate::history::{Actor, Entry};
use crate::openapi::Error;
use crate::orders::{self, moves::ORDER_AS_READ};
use crate::role::Role;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use store::{Cond, TxOp};
use web::auth::AuthUser;
use web::counters::{self, bump, list_sort_key};
use web::extract::{Command, Sent};
use web::idempotency::{self, IdempotencyKey};
use web::retry::{self, ATTEMPTS, back_off};
use web::{ApiError, ApiResult};

/// The names of the transaction steps whose failed conditions mean something.
pub const REFERENCE_GUARD: &str = "reference_guard";

/// `EXT-` and 12 uppercase hexadecimal digits of a random UUID.
fn generated_external_reference() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("EXT-{}", hex.chars().take(12).collect::<String>())
}

#[utoipa::path(
    post,
    path = "/api/payments",
    tag = "Paiements",
    operation_id = "createPayment",
    summary = "Créer un nouveau paiement",
    description = "🔵 Accès : Client authentifié, pour une commande qui est la sienne (l'admin pour toute commande). Le paiement est créé au statut `pending`.\n\nLe montant et la méthode sont ceux de la commande ; une commande n'a qu'un paiement actif (en attente ou réussi) à la fois, et ne se paie plus une fois terminée, annulée ou remboursée.",
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = NewPayment,
    responses(
        (status = 201, description = "Paiement créé.", headers(("Idempotent-Replayed" = String)), body = PaymentResult, example = json!({"success": true, "message": "Paiement créé avec succès", "data": {"id": 45, "order_id": 123, "amount": 5000.0, "payment_method": "wave", "payment_reference": "PAY-20251008-ABC123", "external_reference": "WAVE-TXN-456789", "status": "pending", "callback_data": {"transaction_id": "12345", "customer_phone": "0789062079"}, "created_at": "2025-10-08T10:30:00.000Z", "updated_at": "2025-10-08T10:30:00.000Z"}})),
        (status = 400, description = "Données invalides (dont un montant ou une méthode autres que ceux de la commande), commande qui ne se paie plus, ou en-tête Idempotency-Key invalide.", body = Error, examples(("e1" = (summary = "Données invalides", value = json!({"error": "Données invalides", "details": "order_id est requis"}))), ("e2" = (summary = "Données invalides", value = json!({"error": "Données invalides", "details": "amount: le montant doit avoir au plus 2 décimales"}))), ("e3" = (summary = "Clé d'idempotence invalide", value = json!({"error": "Clé d'idempotence invalide", "details": "L'en-tête Idempotency-Key doit compter de 1 à 255 caractères ASCII visibles"}))), ("e4" = (summary = "Montant de la commande", value = json!({"error": "Données invalides", "details": "amount: le montant doit être celui de la commande (1000.00)"}))), ("e5" = (summary = "Commande qui ne se paie plus", value = json!({"error": "Cette commande ne peut plus être payée", "details": "Statut de la commande : completed"}))))),
        (status = 404, description = "Commande non trouvée, ou commande d'un autre client (comme à sa lecture : l'existence d'une commande d'autrui n'est pas confirmée).", body = Error, example = json!({"error": "Commande non trouvée"})),
        (status = 409, description = "Référence de paiement déjà existante, paiement déjà en cours ou réussi pour la commande, ou clé Idempotency-Key déjà utilisée avec un autre corps.", body = Error, examples(("e1" = (summary = "Référence de paiement déjà existante", value = json!({"error": "Référence de paiement déjà existante"}))), ("e2" = (summary = "Clé d'idempotence déjà utilisée pour une autre requête", value = json!({"error": "Clé d'idempotence déjà utilisée pour une autre requête", "details": "Une même clé Idempotency-Key doit accompagner le même corps"}))), ("e3" = (summary = "Un paiement est déjà en cours ou réussi pour cette commande", value = json!({"error": "Un paiement est déjà en cours ou réussi pour cette commande"}))))),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    idempotency: IdempotencyKey,
    Command(new, Sent(body)): Command<NewPayment>,
) -> ApiResult<Response> {
    let retry = idempotency.scoped("payments", &caller.id, &body);
    if let Some(retry) = &retry
        && let Some(first) = retry.earlier(&state.store).await?
    {
        return Ok(first);
    }
    let actor = Actor::of(&caller)?;
    let method = new.method.as_str();
    let external_reference = new
        .external_reference
        .clone()
        .unwrap_or_else(generated_external_reference);
    let callback_data = new.callback_data.clone().map_or(Value::Null, Value::Object);
    let order_not_found = || ApiError::not_found("Commande non trouvée");
    let mut id = None;
    for attempt in 1..=ATTEMPTS {
        let order = orders::find(&state.store, new.order_id)
            .await?
            .ok_or_else(order_not_found)?;
        // Another client's order does not exist for this caller, as when reading it (a 403
        // would confirm that the id is someone's order).
        if order.user_id != actor.id && !caller.has_role(Role::ADMIN) {
            return Err(order_not_found());
        }
        lifecycle::check_matches_order(&order, new.amount.minor(), method)?;
        if let Err(refused) = lifecycle::check_payable(&order) {
            // A retry whose first try recorded the payment meanwhile: the first answer.
            if let Some(retry) = &retry
                && let Some(first) = retry.earlier(&state.store).await?
            {
                return Ok(first);
            }
            return Err(refused);
        }
        let id = match id {
            Some(id) => id,
            None => *id.insert(counters::next_id(&state.store, "payment").await?),
        };
        let now = web::time::now();
        let sort_key = list_sort_key(&now, id);
        let payment = Payment {
            id,
            order_id: order.id,
            user_id: order.user_id,
            amount_minor: new.amount.minor(),
            payment_method: method.to_owned(),
            payment_reference: new.reference.clone(),
            external_reference: external_reference.clone(),
            status: "pending".into(),
            callback_data: callback_data.clone(),
            phone_number: order.phone_number.clone(),
            order_amount_minor: order.amount_minor,
            created_at: now.clone(),
            updated_at: now.clone(),
            deleted_at: None,
        };
        let item = placement(id, "pending", method, &sort_key).item(web::item::record(&payment)?);
        let mut guard = reference_key(&new.reference).to_item();
        guard.insert("payment_id".into(), id.into());
        let answer = done("Paiement créé avec succès", PaymentView::created(payment));
        let entry = Entry::new(&actor, None, "pending", &now);
        let mut ops = vec![
            (
                REFERENCE_GUARD,
                TxOp::Put {
                    item: guard,
                    cond: Some(Cond::NotExists),
                },
            ),
            lifecycle::on_created(&order, id, &now),
            (
                "payment",
                TxOp::Put {
                    item,
                    cond: Some(Cond::NotExists),
                },
            ),
            ("history", entry.write(&payment_key(id).pk)?),
            ("totals", bump("payments", 1)),
            ("totals", bump(status_total("pending"), 1)),
            ("totals", bump(method_total(method), 1)),
        ];
        if let Some(retry) = &retry {
            // First, so that a retry whose first try got there first fails on it (a store
            // names the first failed step), not on the reference the first try took.
            ops.insert(
                0,
                (
                    idempotency::STEP,
                    retry.record(StatusCode::CREATED, &answer.0)?,
                ),
            );
        }
        match state.store.transact_named(ops).await {
            Ok(()) => return Ok((StatusCode::CREATED, answer).into_response()),
            Err(e) if e.failed(REFERENCE_GUARD) => {
                return Err(ApiError::conflict("Référence de paiement déjà existante"));
            }
            // The order changed meanwhile (another payment, a status): decided again on it.
            Err(e) if retry::lost_race(&e, ORDER_AS_READ) && attempt < ATTEMPTS => {
                back_off(attempt).await;
            }
            Err(e) => return idempotency::settle(retry.as_ref(), &state.store, e).await,
        }
    }
    Err(ApiError::problem(web::error::Problem::ConcurrentChange))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_references_are_generated() {
        let r = generated_external_reference();
        assert_eq!(r.len(), 16);
        assert!(r.starts_with("EXT-"));
        assert!(
            r[4..]
                .chars()
                .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c))
        );
    }
}
