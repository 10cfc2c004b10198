//! Staff changes of an order: its status, and its assignment.
//!
//! The rules beyond the status graph (`OrderStatus::can_move_to`): an order becomes
//! `assigned` only through an assignment, which names the assignee; going back to `pending`
//! clears the assignee; `completed` needs a successful payment of the order; `refunded`
//! follows the refund of that payment (`payments`), never a staff choice.

use super::moves::{self, Assignee, ORDER_AS_READ};
use super::{INVALID_STATUS, Order, OrderStatus, find, not_found, valid_statuses};
use crate::AppState;
use crate::events::OrderEvent;
use crate::history::{self, Actor, Entry};
use crate::openapi::{Conflict, Error};
use crate::role::Role;
use crate::users;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Map, Value};
use store::{DynStore, Update};
use web::auth::AuthUser;
use web::extract::{Command, PathId};
use web::retry::{self, ATTEMPTS, back_off};
use web::validate::{self, Choice, Fields};
use web::{ApiError, ApiResult};

/// What a staff action does to an order.
struct Change {
    status: OrderStatus,
    assignee: Assignee,
}

/// An order after a change was written.
struct Changed {
    before: Order,
    status: &'static str,
    updated_at: String,
}

impl Changed {
    /// Tells order `id`'s client of its new status.
    async fn publish(&self, state: &AppState, id: i64) {
        let event = OrderEvent::StatusChanged {
            order_id: id,
            user_id: self.before.user_id,
            status: self.status.to_string(),
            updated_at: self.updated_at.clone(),
        };
        state.events.publish(event).await;
    }
}

fn invalid_transition(from: &str, to: &str) -> ApiError {
    ApiError::bad_request("Transition de statut invalide").with_details(format!("{from} → {to}"))
}

/// Reads order `id`, asks `decide` what to change, and writes the change on condition that
/// the order is still the one read. When another request changed the order first, it is
/// read again and decided again.
async fn change_order(
    store: &DynStore,
    id: i64,
    actor: &Actor,
    reason: Option<String>,
    decide: impl Fn(&Order) -> ApiResult<Change>,
) -> ApiResult<Changed> {
    let mut attempt = 1;
    loop {
        let order = find(store, id).await?.ok_or_else(not_found)?;
        let change = decide(&order)?;
        let status = change.status.as_str();
        let now = web::time::now();
        let mut entry =
            Entry::new(actor, Some(&order.status), status, &now).because(reason.clone());
        if let Assignee::Set(staff) = change.assignee {
            entry = entry.assigning(staff);
        }
        let ops = moves::ops(&order, status, change.assignee, Update::new(), &entry, &now)?;
        match store.transact_named(ops).await {
            Ok(()) => {
                return Ok(Changed {
                    before: order,
                    status,
                    updated_at: now,
                });
            }
            Err(e) if attempt < ATTEMPTS && retry::lost_race(&e, ORDER_AS_READ) => {
                back_off(attempt).await;
                attempt += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

// A staff move of an order's status, and why. (Plain comments on these types: a doc comment
// would become a description in the French document.)
#[derive(utoipa::ToSchema)]
#[schema(as = OrderStatusUpdate, description = "Transitions permises : pending → processing ou cancelled ; assigned → pending (l'assignation est retirée), processing ou cancelled ; processing → completed (seulement après un paiement réussi de la commande) ou cancelled. `assigned` s'obtient par PUT /api/orders/:id/assign ; `refunded` suit le remboursement du paiement (PATCH /api/payments/:id/status). completed et cancelled ne vont plus que vers refunded, qui est final.", example = json!({"status": "processing"}))]
pub(super) struct StatusChange {
    #[schema(value_type = crate::openapi::schemas::OrderStatus)]
    status: OrderStatus,
    /// Pourquoi (1000 caractères au plus) : enregistré dans l'historique de la commande.
    #[schema(max_length = 1000, example = json!("Client injoignable"))]
    reason: Option<String>,
}

impl TryFrom<&Map<String, Value>> for StatusChange {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        let status = fields.required_text_titled(
            "status",
            OrderStatus::parse,
            INVALID_STATUS,
            valid_statuses(),
        );
        let reason = fields.check("reason", history::reason(body.get("reason"), "reason"));
        let Some(status) = status else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(StatusChange {
            status,
            reason: reason.flatten(),
        })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(example = json!({"id": 125, "status": "processing", "updated_at": "2025-01-15T16:33:00.000Z"}))]
#[schema(as = OrderStatusReply)]
pub(super) struct StatusReply {
    #[schema(example = json!(125))]
    id: i64,
    #[schema(value_type = crate::openapi::schemas::OrderStatus)]
    status: &'static str,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    updated_at: String,
}

#[utoipa::path(
    put,
    path = "/api/orders/{id}/status",
    tag = "Commandes",
    operation_id = "updateOrderStatus",
    summary = "Mettre à jour le statut (Staff/Admin)",
    description = "Met à jour le statut d'une commande.\n\n**Permissions :** Staff ou Admin.",
    request_body = StatusChange,
    responses(
        (status = 200, description = "Statut mis à jour.", body = StatusReply),
        (status = 400, description = "Statut ou transition invalide, ou commande non payée.", body = Error, examples(("e1" = (summary = "Statut invalide", value = json!({"error": "Statut invalide", "details": "Les statuts valides sont: pending, assigned, processing, completed, cancelled, refunded"}))), ("e2" = (summary = "Transition de statut invalide", value = json!({"error": "Transition de statut invalide", "details": "completed → processing"}))), ("e3" = (summary = "Identifiant invalide", value = json!({"error": "Identifiant invalide"}))), ("e4" = (summary = "Assignation", value = json!({"error": "Transition de statut invalide", "details": "Une commande s'assigne par PUT /api/orders/:id/assign"}))), ("e5" = (summary = "Commande non payée", value = json!({"error": "Commande non payée", "details": "Une commande n'est terminée qu'après un paiement réussi"}))))),
        (status = 404, description = "Commande non trouvée (ou commande d'un autre client).", body = Error, example = json!({"error": "Commande non trouvée"})),
        (status = 409, response = Conflict),
    )
)]
pub(super) async fn update_status(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId,
    Command(StatusChange { status, reason }, _): Command<StatusChange>,
) -> ApiResult<Json<StatusReply>> {
    let actor = Actor::of(&caller)?;
    let changed = change_order(&state.store, id, &actor, reason, |order| {
        let from = OrderStatus::parse(&order.status);
        if !from.is_some_and(|from| from.can_move_to(status)) {
            return Err(invalid_transition(&order.status, status.as_str()));
        }
        match status {
            OrderStatus::Assigned => Err(invalid_transition(&order.status, status.as_str())
                .with_details("Une commande s'assigne par PUT /api/orders/:id/assign")),
            OrderStatus::Refunded => Err(invalid_transition(&order.status, status.as_str())
                .with_details(
                    "Une commande est remboursée avec son paiement (PATCH /api/payments/:id/status)",
                )),
            OrderStatus::Completed if order.payment_status.as_deref() != Some("success") => {
                Err(ApiError::bad_request("Commande non payée")
                    .with_details("Une commande n'est terminée qu'après un paiement réussi"))
            }
            OrderStatus::Pending => Ok(Change {
                status,
                assignee: Assignee::Clear,
            }),
            _ => Ok(Change {
                status,
                assignee: Assignee::Keep,
            }),
        }
    })
    .await?;
    changed.publish(&state, id).await;
    Ok(Json(StatusReply {
        id,
        status: changed.status,
        updated_at: changed.updated_at,
    }))
}

// An assignment of an order to a staff member, and why.
#[derive(utoipa::ToSchema)]
#[schema(as = OrderAssign, example = json!({"staff_id": 5}))]
pub(super) struct Assignment {
    /// Utilisateur de rôle staff ou admin.
    #[schema(example = json!(5), minimum = 1)]
    staff_id: i64,
    /// Pourquoi (1000 caractères au plus) : enregistré dans l'historique de la commande.
    #[schema(max_length = 1000, example = json!("Zone Cocody"))]
    reason: Option<String>,
}

impl TryFrom<&Map<String, Value>> for Assignment {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        let staff_id = fields
            .value("staff_id")
            .and_then(Value::as_i64)
            .filter(|id| *id > 0);
        if staff_id.is_none() {
            fields.refuse("staff_id", "staff_id doit être un entier positif");
        }
        let reason = fields.check("reason", history::reason(body.get("reason"), "reason"));
        let Some(staff_id) = staff_id else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(Assignment {
            staff_id,
            reason: reason.flatten(),
        })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(example = json!({"id": 125, "assigned_to": 5, "status": "assigned", "updated_at": "2025-01-15T16:31:00.000Z"}))]
#[schema(as = OrderAssignReply)]
pub(super) struct AssignReply {
    #[schema(example = json!(125))]
    id: i64,
    #[schema(example = json!(5))]
    assigned_to: i64,
    #[schema(inline, value_type = crate::openapi::schemas::Assigned)]
    status: &'static str,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    updated_at: String,
}

/// Assigns a pending (or already assigned) order to a staff member or admin; the order
/// becomes `assigned`.
#[utoipa::path(
    put,
    path = "/api/orders/{id}/assign",
    tag = "Commandes",
    operation_id = "assignOrder",
    summary = "Assigner une commande (Staff/Admin)",
    description = "Assigne une commande `pending` ou `assigned` à un membre du staff ; elle passe au statut `assigned`.\n\n**Permissions :** Staff ou Admin.",
    request_body = Assignment,
    responses(
        (status = 200, description = "Commande assignée.", body = AssignReply),
        (status = 400, description = "Données invalides, utilisateur qui n'est pas du staff, ou commande dans un statut qui ne s'assigne pas.", body = Error, examples(("e1" = (summary = "Données invalides", value = json!({"error": "Données invalides", "details": "staff_id doit être un entier positif"}))), ("e2" = (summary = "L'utilisateur doit être un membre du staff", value = json!({"error": "L'utilisateur doit être un membre du staff"}))), ("e3" = (summary = "Transition de statut invalide", value = json!({"error": "Transition de statut invalide", "details": "completed → assigned"}))))),
        (status = 404, description = "Commande ou utilisateur non trouvé.", body = Error, examples(("e1" = (summary = "Commande non trouvée", value = json!({"error": "Commande non trouvée"}))), ("e2" = (summary = "Utilisateur non trouvé", value = json!({"error": "Utilisateur non trouvé"}))))),
        (status = 409, response = Conflict),
    )
)]
pub(super) async fn assign(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId,
    Command(Assignment { staff_id, reason }, _): Command<Assignment>,
) -> ApiResult<Json<AssignReply>> {
    let staff = users::find(&state.store, staff_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Utilisateur non trouvé"))?;
    if !Role::STAFF.contains(&staff.role.as_str()) {
        return Err(ApiError::bad_request(
            "L'utilisateur doit être un membre du staff",
        ));
    }
    let actor = Actor::of(&caller)?;
    let changed = change_order(&state.store, id, &actor, reason, |order| {
        if matches!(order.status.as_str(), "pending" | "assigned") {
            Ok(Change {
                status: OrderStatus::Assigned,
                assignee: Assignee::Set(staff_id),
            })
        } else {
            Err(invalid_transition(&order.status, "assigned"))
        }
    })
    .await?;
    if changed.before.status != changed.status {
        changed.publish(&state, id).await;
    }
    Ok(Json(AssignReply {
        id,
        assigned_to: staff_id,
        status: changed.status,
        updated_at: changed.updated_at,
    }))
}
