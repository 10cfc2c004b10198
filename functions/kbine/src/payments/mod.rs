//! Payments of orders: public lists of methods and statuses; a client records a payment of
//! their own order; staff list and change statuses; the admin edits and soft-deletes.
//!
//! Storage (one item per payment, pk `PAYMENT#<id>`, sk `PAYMENT`):
//! - `gsi1` `PAYMENTS` / `<created_at>#<padded id>`: every live payment, by date;
//! - `gsi2` `PAYMENTS#STATUS#<status>` and `gsi3` `PAYMENTS#METHOD#<method>`, same sort key.
//!
//! A list reads the narrowest of those partitions for its filters, with the date range as a
//! sort-key condition and the remaining filter (method, when both status and method are given)
//! as a query filter. Its total comes from the counter items `payments`,
//! `payments#status#<s>` and `payments#method#<m>` when the filters are exactly one of those;
//! otherwise (a date range, or status and method together) it is counted over the same
//! index range the page is read from, so its cost grows with the matching range, never with
//! the table.
//!
//! References are unique through a guard item `PAYREF#<reference>` written in the same
//! transaction as the payment. A soft-deleted payment keeps `deleted_at`, loses its index
//! attributes (it leaves every list) and its counters; its guard stays, so its reference is
//! never reused.

use crate::AppState;
use crate::history::{self, Entry};
use crate::openapi::Error;
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::{Cond, DynStore, Index, Item, Key, Placement};
use web::auth::AuthUser;
use web::extract::PathId;
use web::money::Money;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

/// The mobile-money methods, the same for orders and payments.
pub use crate::orders::PAYMENT_METHODS as METHODS;
pub const STATUSES: [&str; 4] = ["pending", "success", "failed", "refunded"];

/// Longest payment or external reference.
const MAX_REFERENCE: usize = 100;
/// Largest `callback_data`, in bytes of its JSON form, and its deepest nesting.
const MAX_CALLBACK_BYTES: usize = 16 * 1024;
const MAX_CALLBACK_DEPTH: usize = 16;
/// Longest status-change note.
const MAX_NOTES: usize = 1000;

mod changes;
mod create;
mod input;
mod lifecycle;
mod list;

/// A client pays and reads its own orders' payments; staff list and move them; the admin
/// corrects and deletes them.
pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(methods, Access::Public),
        route!(statuses, Access::Public),
        route!(create::create, Access::AnyUser).headers(&[web::idempotency::HEADER]),
        route!(list::list, Access::Roles(Role::STAFF)),
        route!(details, Access::AnyUser),
        route!(changes::update, Access::Roles(Role::ADMIN)),
        route!(changes::change_status, Access::Roles(Role::STAFF)),
        route!(changes::remove, Access::Roles(Role::ADMIN)),
    ]
}

/// A payment as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Payment {
    pub id: i64,
    pub order_id: i64,
    /// The owner of the order (not necessarily who recorded the payment).
    pub user_id: i64,
    pub amount_minor: i64,
    pub payment_method: String,
    pub payment_reference: String,
    pub external_reference: String,
    pub status: String,
    #[serde(default)]
    pub callback_data: Value,
    /// The order's phone number and amount, copied for the list and details.
    pub phone_number: String,
    pub order_amount_minor: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

pub fn payment_key(id: i64) -> Key {
    Key::new(format!("PAYMENT#{id}"), "PAYMENT")
}

fn reference_key(reference: &str) -> Key {
    Key::new(format!("PAYREF#{reference}"), "PAYREF")
}

/// A payment's key layout: listed with every payment (gsi1), by its status (gsi2) and by
/// its method (gsi3), newest first in each.
fn placement(id: i64, status: &str, method: &str, sort_key: &str) -> Placement {
    Placement::new(payment_key(id))
        .listed(ALL, "PAYMENTS", sort_key)
        .listed(BY_STATUS, status_partition(status), sort_key)
        .listed(BY_METHOD, method_partition(method), sort_key)
}

/// The indexes payments are listed in.
const ALL: Index = Index::Gsi1;
const BY_STATUS: Index = Index::Gsi2;
const BY_METHOD: Index = Index::Gsi3;

fn status_partition(status: &str) -> String {
    format!("PAYMENTS#STATUS#{status}")
}

fn method_partition(method: &str) -> String {
    format!("PAYMENTS#METHOD#{method}")
}

fn status_total(status: &str) -> String {
    format!("payments#status#{status}")
}

fn method_total(method: &str) -> String {
    format!("payments#method#{method}")
}

fn parse(item: Item) -> ApiResult<Payment> {
    web::item::parse(item)
}

fn not_found() -> ApiError {
    ApiError::not_found("Paiement non trouvé")
}

/// The payment `id`, unless it is absent or soft-deleted.
pub async fn find(store: &DynStore, id: i64) -> ApiResult<Option<Payment>> {
    let payment = store.get(&payment_key(id)).await?.map(parse).transpose()?;
    Ok(payment.filter(|p| p.deleted_at.is_none()))
}

async fn find_live(store: &DynStore, id: i64) -> ApiResult<Payment> {
    find(store, id).await?.ok_or_else(not_found)
}

/// The condition every change of a payment holds on: it is still the one that was read
/// (not deleted, same status, so that the status counters move from the right one).
fn unchanged(current: &Payment) -> Cond {
    Cond::Exists
        .and(Cond::attr_not_exists("deleted_at"))
        .and(Cond::eq("status", current.status.as_str()))
        .and(Cond::eq("updated_at", current.updated_at.as_str()))
}

/// A payment as the API renders it. `phone_number` and `order_amount` are shown where the
/// document shows them (list and details), not in the answer of create.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(
    description = "Paiement. `phone_number` et `order_amount` (numéro et montant de la commande) sont absents de la réponse de création. `history` n'apparaît que dans les détails lus par l'admin."
)]
#[schema(as = Payment)]
pub struct PaymentView {
    #[schema(example = json!(45))]
    pub id: i64,
    #[schema(example = json!(123))]
    pub order_id: i64,
    pub amount: Money,
    #[schema(value_type = crate::openapi::schemas::PaymentMethod)]
    pub payment_method: String,
    #[schema(example = json!("PAY-20251008-ABC123"))]
    pub payment_reference: String,
    /// Référence externe (générée, `EXT-…`, si absente à la création).
    #[schema(example = json!("WAVE-TXN-456789"))]
    pub external_reference: String,
    #[schema(value_type = crate::openapi::schemas::PaymentStatus)]
    pub status: String,
    #[schema(schema_with = crate::openapi::schemas::callback_data)]
    pub callback_data: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = crate::openapi::schemas::PhoneNumber)]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = crate::openapi::schemas::Amount)]
    pub order_amount: Option<Money>,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub updated_at: String,
    /// Dans les détails, pour l'admin : tous les changements de statut, du plus ancien au plus récent.
    // Every change, oldest first: in the details, for the admin.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub history: Option<Vec<Entry>>,
}

impl PaymentView {
    fn full(p: Payment) -> Self {
        let order_amount = Some(Money::from_minor(p.order_amount_minor));
        let phone_number = Some(p.phone_number.clone());
        PaymentView {
            phone_number,
            order_amount,
            ..Self::created(p)
        }
    }

    fn created(p: Payment) -> Self {
        PaymentView {
            id: p.id,
            order_id: p.order_id,
            amount: Money::from_minor(p.amount_minor),
            payment_method: p.payment_method,
            payment_reference: p.payment_reference,
            external_reference: p.external_reference,
            status: p.status,
            callback_data: p.callback_data,
            phone_number: None,
            order_amount: None,
            created_at: p.created_at,
            updated_at: p.updated_at,
            history: None,
        }
    }
}

// The answers in `{success, data}`, as the document names them: one type each, for the
// document only (the handlers answer an [`Envelope`]).
#[derive(utoipa::ToSchema)]
#[schema(example = json!({"success": true, "data": ["wave", "orange_money", "mtn_money", "moov_money"]}))]
#[allow(dead_code)] // described, never built
struct PaymentMethods {
    #[schema(example = json!(true))]
    success: bool,
    #[schema(value_type = Vec<crate::openapi::schemas::PaymentMethod>)]
    data: Vec<String>,
}

#[derive(utoipa::ToSchema)]
#[schema(example = json!({"success": true, "data": ["pending", "success", "failed", "refunded"]}))]
#[allow(dead_code)] // described, never built
struct PaymentStatuses {
    #[schema(example = json!(true))]
    success: bool,
    #[schema(value_type = Vec<crate::openapi::schemas::PaymentStatus>)]
    data: Vec<String>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // described, never built
pub(super) struct PaymentResult {
    #[schema(example = json!(true))]
    success: bool,
    #[schema(example = json!("Paiement créé avec succès"), nullable = false)]
    message: Option<String>,
    data: PaymentView,
}

#[derive(Serialize)]
struct Envelope<T> {
    success: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    data: T,
}

fn ok<T>(data: T) -> Json<Envelope<T>> {
    Json(Envelope {
        success: true,
        message: None,
        data,
    })
}

fn done<T>(message: &'static str, data: T) -> Json<Envelope<T>> {
    Json(Envelope {
        success: true,
        message: Some(message),
        data,
    })
}

#[utoipa::path(
    get,
    path = "/api/payments/methods",
    tag = "Paiements",
    operation_id = "listPaymentMethods",
    summary = "Méthodes de paiement disponibles",
    description = "🟢 Accès : Public.",
    responses(
        (status = 200, description = "Les méthodes.", body = PaymentMethods),
    )
)]
async fn methods() -> Json<Envelope<[&'static str; 4]>> {
    ok(METHODS)
}

#[utoipa::path(
    get,
    path = "/api/payments/statuses",
    tag = "Paiements",
    operation_id = "listPaymentStatuses",
    summary = "Statuts de paiement disponibles",
    description = "🟢 Accès : Public.",
    responses(
        (status = 200, description = "Les statuts.", body = PaymentStatuses),
    )
)]
async fn statuses() -> Json<Envelope<[&'static str; 4]>> {
    ok(STATUSES)
}

// ---------------------------------------------------------------------------------------------
// Details, update, status, delete

#[utoipa::path(
    get,
    path = "/api/payments/{id}",
    tag = "Paiements",
    operation_id = "getPayment",
    summary = "Récupérer un paiement par son ID",
    description = "🔵 Accès : Client authentifié (propriétaire de la commande ou admin).",
    responses(
        (status = 200, description = "Paiement.", body = PaymentResult, example = json!({"success": true, "data": {"id": 45, "order_id": 123, "amount": 5000.0, "payment_method": "wave", "payment_reference": "PAY-20251008-ABC123", "external_reference": "WAVE-TXN-456789", "status": "success", "callback_data": {"transaction_id": "12345", "notes": "Paiement validé"}, "phone_number": "0789062079", "order_amount": 5000.0, "created_at": "2025-10-08T10:30:00.000Z", "updated_at": "2025-10-08T10:35:00.000Z"}})),
        (status = 403, description = "Non autorisé à voir ce paiement.", body = Error, example = json!({"error": "Accès non autorisé"})),
        (status = 404, description = "Paiement non trouvé (ou supprimé).", body = Error, example = json!({"error": "Paiement non trouvé"})),
    )
)]
async fn details(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId,
) -> ApiResult<Json<Envelope<PaymentView>>> {
    let is_admin = caller.has_role(Role::ADMIN);
    let history = async {
        match is_admin {
            true => history::read(&state.store, &payment_key(id).pk)
                .await
                .map(Some),
            false => Ok(None),
        }
    };
    let (payment, history) = tokio::join!(find_live(&state.store, id), history);
    let payment = payment?;
    if payment.user_id != caller.int_id()? && !is_admin {
        return Err(ApiError::forbidden("Accès non autorisé"));
    }
    Ok(ok(PaymentView {
        history: history?,
        ..PaymentView::full(payment)
    }))
}
