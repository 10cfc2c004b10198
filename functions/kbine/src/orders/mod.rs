//! Orders (commandes): a client buys a plan for a phone number; staff move the order through
//! its statuses and assign it. An order keeps the plan and operator names it was bought under.
//!
//! Storage: the order item (`ORDER#<id>`) is listed by three indexes, all sorted by creation
//! time: gsi1 per user (a client's list), gsi2 for every order (the staff list) and gsi3 per
//! status (the staff status filter). Totals are counter items moved in the same transaction
//! as the order, so lists never count by scanning.

use crate::AppState;
use crate::history::{self, Entry};
use crate::openapi::Error;
use crate::role::Role;
use crate::users;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::{DynStore, Index, Item, Key, Placement};
use web::auth::AuthUser;
use web::extract::PathId;
use web::money::Money;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub const STATUSES: [&str; 6] = [
    "pending",
    "assigned",
    "processing",
    "completed",
    "cancelled",
    "refunded",
];
pub const PAYMENT_METHODS: [&str; 4] = ["wave", "orange_money", "mtn_money", "moov_money"];

mod changes;
mod create;
mod list;
pub mod moves;
mod new_order;
mod status;
pub use new_order::{NewOrder, PaymentMethod};
pub use status::OrderStatus;

/// Orders are open to any user, who sees only their own; staff see and move every order.
pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(create::create, Access::AnyUser).headers(&[web::idempotency::HEADER]),
        route!(list::list, Access::AnyUser),
        route!(list::counts_route, Access::Roles(Role::STAFF)),
        route!(details, Access::AnyUser),
        route!(changes::update_status, Access::Roles(Role::STAFF)),
        route!(changes::assign, Access::Roles(Role::STAFF)),
    ]
}

/// An order as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Order {
    pub id: i64,
    pub user_id: i64,
    pub plan_id: i64,
    pub operator_id: i64,
    pub plan_name: String,
    pub operator_name: String,
    pub phone_number: String,
    pub amount_minor: i64,
    pub status: String,
    pub payment_method: String,
    pub payment_reference: String,
    pub assigned_to: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    /// The payment that is pending or succeeded, if any: an order has one at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_payment_id: Option<i64>,
    /// That payment's status (`pending`, `success`), or `refunded` once it was refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_status: Option<String>,
}

impl Order {
    pub fn amount(&self) -> Money {
        Money::from_minor(self.amount_minor)
    }
}

pub fn order_key(id: i64) -> Key {
    Key::new(format!("ORDER#{id}"), "ORDER")
}

/// An order's key layout: listed by its client (gsi1), with every order (gsi2) and by its
/// status (gsi3), newest first in each.
pub(crate) fn placement(id: i64, user_id: i64, status: &str, sort_key: &str) -> Placement {
    Placement::new(order_key(id))
        .listed(BY_USER, user_partition(user_id), sort_key)
        .listed(ALL, "ORDERS", sort_key)
        .listed(BY_STATUS, status_partition(status), sort_key)
}

/// The indexes orders are listed in.
pub(crate) const BY_USER: Index = Index::Gsi1;
pub(crate) const ALL: Index = Index::Gsi2;
pub(crate) const BY_STATUS: Index = Index::Gsi3;

fn user_partition(user_id: i64) -> String {
    format!("ORDERS#USER#{user_id}")
}

fn status_partition(status: &str) -> String {
    format!("ORDERS#STATUS#{status}")
}

/// Names of the totals an order counts in.
fn user_total(user_id: i64) -> String {
    format!("orders#user#{user_id}")
}

fn status_total(status: &str) -> String {
    format!("orders#status#{status}")
}

fn user_status_total(user_id: i64, status: &str) -> String {
    format!("orders#user#{user_id}#status#{status}")
}

fn parse(item: Item) -> ApiResult<Order> {
    web::item::parse(item)
}

fn not_found() -> ApiError {
    ApiError::not_found("Commande non trouvée")
}

fn unavailable_plan() -> ApiError {
    ApiError::bad_request("Ce forfait n'est pas disponible")
}

const INVALID_STATUS: &str = "Statut invalide";

fn valid_statuses() -> String {
    format!("Les statuts valides sont: {}", STATUSES.join(", "))
}

fn invalid_status() -> ApiError {
    ApiError::bad_request(INVALID_STATUS).with_details(valid_statuses())
}

pub async fn find(store: &DynStore, id: i64) -> ApiResult<Option<Order>> {
    store.get(&order_key(id)).await?.map(parse).transpose()
}

// ---------------------------------------------------------------------------------------
// Details

#[derive(Serialize, utoipa::ToSchema)]
#[schema(description = "Détails d'une commande ; `history` pour le staff et l'admin.")]
pub struct OrderDetails {
    #[schema(example = json!(125))]
    id: i64,
    #[schema(example = json!(1))]
    user_id: i64,
    #[schema(example = json!(1))]
    plan_id: i64,
    #[schema(example = json!("Recharge 1000 FCFA"))]
    plan_name: String,
    #[schema(example = json!("Orange CI"))]
    operator_name: String,
    #[schema(value_type = crate::openapi::schemas::PhoneNumber)]
    phone_number: String,
    amount: Money,
    #[schema(value_type = crate::openapi::schemas::OrderStatus)]
    status: String,
    /// Staff assigné, ou `null`.
    #[schema(required = true, example = json!(5))]
    assigned_to: Option<i64>,
    /// Numéro du staff assigné, ou `null`. Entier pour le staff et l'admin ; masqué pour le client (indicatif et quatre derniers chiffres : `05••••5943`).
    #[schema(required = true, example = json!("0566955943"))]
    assigned_to_name: Option<String>,
    #[schema(value_type = crate::openapi::schemas::PaymentMethod)]
    payment_method: String,
    #[schema(example = json!("ORD-125-1736951234"))]
    payment_reference: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    updated_at: String,
    /// Tous les changements, du plus ancien au plus récent : pour le staff et l'admin seulement (absent pour le client).
    // Every change, oldest first: for staff and admin only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    history: Option<Vec<Entry>>,
}

/// The owner, staff and admin see an order; to anyone else it does not exist (a 404 rather
/// than a 403, so that ids of other clients' orders are not revealed).
#[utoipa::path(
    get,
    path = "/api/orders/{id}",
    tag = "Commandes",
    operation_id = "getOrder",
    summary = "Détails d'une commande",
    description = "Récupère les détails d'une commande spécifique : la sienne pour un client, toute commande pour le staff et l'admin.",
    responses(
        (status = 200, description = "Commande.", body = OrderDetails, example = json!({"id": 125, "user_id": 1, "plan_id": 1, "plan_name": "Recharge 1000 FCFA", "operator_name": "Orange CI", "phone_number": "0701020304", "amount": 1000.0, "status": "completed", "assigned_to": 5, "assigned_to_name": "0566955943", "payment_method": "wave", "payment_reference": "ORD-125-1736951234", "created_at": "2025-01-15T16:30:00.000Z", "updated_at": "2025-01-15T16:35:00.000Z"})),
        (status = 404, description = "Commande non trouvée (ou commande d'un autre client).", body = Error, example = json!({"error": "Commande non trouvée"})),
    )
)]
async fn details(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId,
) -> ApiResult<Json<OrderDetails>> {
    let order = find(&state.store, id).await?.ok_or_else(not_found)?;
    if !caller.has_role(Role::STAFF) && order.user_id != caller.int_id()? {
        return Err(not_found());
    }
    Ok(Json(
        view(&state.store, order, caller.has_role(Role::STAFF)).await?,
    ))
}

/// An order as staff see it (with its history and the assignee's number), or as its client
/// sees it (neither: the number masked). Live events carry the client's view.
pub async fn view(store: &DynStore, order: Order, is_staff: bool) -> ApiResult<OrderDetails> {
    let assignee = async {
        match order.assigned_to {
            Some(staff) => users::find(store, staff).await,
            None => Ok(None),
        }
    };
    let history = async {
        match is_staff {
            true => history::read(store, &order_key(order.id).pk)
                .await
                .map(Some),
            false => Ok(None),
        }
    };
    let (assignee, history) = tokio::join!(assignee, history);
    let assigned_to_name = assignee?.map(|u| {
        if is_staff {
            u.phone_number
        } else {
            crate::phone::masked(&u.phone_number)
        }
    });
    Ok(OrderDetails {
        amount: order.amount(),
        id: order.id,
        user_id: order.user_id,
        plan_id: order.plan_id,
        plan_name: order.plan_name,
        operator_name: order.operator_name,
        phone_number: order.phone_number,
        status: order.status,
        assigned_to: order.assigned_to,
        assigned_to_name,
        payment_method: order.payment_method,
        payment_reference: order.payment_reference,
        created_at: order.created_at,
        updated_at: order.updated_at,
        history: history?,
    })
}
