//! Orders (commandes): a client buys a plan for a phone number; staff move the order through
//! its statuses and assign it. An order keeps the plan and operator names it was bought under.
//!
//! Storage: the order item (`ORDER#<id>`) is listed by three indexes, all sorted by creation
//! time: gsi1 per user (a client's list), gsi2 for every order (the staff list) and gsi3 per
//! status (the staff status filter). Totals are counter items moved in the same transaction
//! as the order, so lists never count by scanning.

use crate::AppState;
use crate::counters::{self, bump, list_sort_key};
use crate::events::OrderEvent;
use crate::history::{self, Actor, Entry};
use crate::operators;
use crate::plans;
use crate::role::Role;
use crate::users;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::{Cond, DynStore, Item, Key, TxOp};
use web::auth::AuthUser;
use web::extract::{Json as JsonBody, PathId};
use web::idempotency::{self, IdempotencyKey};
use web::item::fields;
use web::money::Money;
use web::validate::Choice;
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
mod list;
pub mod moves;
mod new_order;
mod status;
pub use new_order::{NewOrder, PaymentMethod};
pub use status::OrderStatus;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/orders", get(list::list).post(create))
        .route("/api/orders/counts", get(list::counts_route))
        .route("/api/orders/{id}", get(details))
        .route("/api/orders/{id}/status", put(changes::update_status))
        .route("/api/orders/{id}/assign", put(changes::assign))
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
    #[serde(default)]
    pub live_payment_id: Option<i64>,
    /// That payment's status (`pending`, `success`), or `refunded` once it was refunded.
    #[serde(default)]
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

/// The names of the creation's steps whose failed conditions mean something.
const ACTIVE_PLAN: &str = "active_plan";
const OPERATOR: &str = "operator";

fn not_found() -> ApiError {
    ApiError::not_found("Commande non trouvée")
}

fn unavailable_plan() -> ApiError {
    ApiError::bad_request("Ce forfait n'est pas disponible")
}

fn invalid_status() -> ApiError {
    ApiError::bad_request("Statut invalide")
        .with_details(format!("Les statuts valides sont: {}", STATUSES.join(", ")))
}

pub async fn find(store: &DynStore, id: i64) -> ApiResult<Option<Order>> {
    store.get(&order_key(id)).await?.map(parse).transpose()
}

// ---------------------------------------------------------------------------------------
// Create

/// The created order, as documented.
#[derive(Serialize)]
struct CreatedOrder {
    id: i64,
    user_id: i64,
    plan_id: i64,
    phone_number: String,
    amount: Money,
    status: String,
    payment_method: String,
    payment_reference: String,
    created_at: String,
}

async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    idempotency: IdempotencyKey,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> ApiResult<Response> {
    let user_id = caller.int_id()?;
    // What the body says, checked before reading anything.
    let NewOrder {
        plan_id,
        phone,
        payment_method,
    } = NewOrder::try_from(&body)?;
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
    let mut item = order_key(id).to_item();
    item.extend(fields(json!({
        "id": id,
        "user_id": user_id,
        "plan_id": plan_id,
        "operator_id": operator.id,
        "plan_name": plan.name,
        "operator_name": operator.name,
        "phone_number": order.phone_number,
        "amount_minor": order.amount.minor(),
        "status": order.status,
        "payment_method": order.payment_method,
        "payment_reference": order.payment_reference,
        "assigned_to": null,
        "created_at": now,
        "updated_at": now,
        "gsi1pk": user_partition(user_id),
        "gsi1sk": sort_key,
        "gsi2pk": "ORDERS",
        "gsi2sk": sort_key,
        "gsi3pk": status_partition("pending"),
        "gsi3sk": sort_key,
    })));
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
        .publish(OrderEvent::Created { order: rendered });
    Ok((StatusCode::CREATED, Json(order)).into_response())
}

// ---------------------------------------------------------------------------------------
// Details

#[derive(Serialize)]
struct OrderDetails {
    id: i64,
    user_id: i64,
    plan_id: i64,
    plan_name: String,
    operator_name: String,
    phone_number: String,
    amount: Money,
    status: String,
    assigned_to: Option<i64>,
    assigned_to_name: Option<String>,
    payment_method: String,
    payment_reference: String,
    created_at: String,
    updated_at: String,
    /// Every change, oldest first: for staff and admin only.
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<Vec<Entry>>,
}

/// The owner, staff and admin see an order; to anyone else it does not exist (a 404 rather
/// than a 403, so that ids of other clients' orders are not revealed).
async fn details(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId,
) -> ApiResult<Json<OrderDetails>> {
    let order = find(&state.store, id).await?.ok_or_else(not_found)?;
    if !caller.has_role(Role::STAFF) && order.user_id != caller.int_id()? {
        return Err(not_found());
    }
    let is_staff = caller.has_role(Role::STAFF);
    let assignee = async {
        match order.assigned_to {
            Some(staff) => users::find(&state.store, staff).await,
            None => Ok(None),
        }
    };
    let history = async {
        match is_staff {
            true => history::read(&state.store, &order_key(id).pk)
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
    Ok(Json(OrderDetails {
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
    }))
}
