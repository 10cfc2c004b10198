//! The back office's clients (`lumira.md`, "Endpoints de Gestion des Utilisateurs"): list
//! with filters, get, patch and stats, all for admins. The stats come from the aggregates
//! each order write keeps on the client ([`crate::customers`]), and its recent orders from
//! the order references in the client's partition: no scan.

use crate::customers::{self, Customer, CustomerView, SUBSCRIPTION_STATUSES, customer_key};
use crate::listing::{Pagination, given};
use crate::orders::status;
use crate::role::Role;
use crate::{AppState, catalogue};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use store::{Cond, Query, TxOp, Update};
use web::auth::AuthUser;
use web::counters::{self, bump};
use web::extract::{Command, PathId, Query as QueryParams};
use web::ids::ObjectId;
use web::pagination::{Pager, read_page};
use web::retry::{self, ATTEMPTS, back_off};
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Roles(Role::ADMIN)),
        route!(get_one, Access::Roles(Role::ADMIN)),
        route!(patch, Access::Roles(Role::ADMIN)),
        route!(stats, Access::Roles(Role::ADMIN)),
    ]
}

pub(crate) fn user_not_found() -> ApiError {
    ApiError::not_found("User not found")
}

async fn found(state: &AppState, id: ObjectId) -> ApiResult<Customer> {
    customers::find(&state.store, &id.to_string())
        .await?
        .ok_or_else(user_not_found)
}

#[derive(Deserialize)]
struct ListParams {
    page: Option<String>,
    limit: Option<String>,
    email: Option<String>,
    status: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct ListedUser {
    #[serde(rename = "_id")]
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    id: String,
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
    #[schema(value_type = crate::openapi::schemas::SubscriptionStatus, inline)]
    subscription_status: String,
    total_orders: i64,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Customer> for ListedUser {
    fn from(c: Customer) -> Self {
        ListedUser {
            id: c.id,
            email: c.email,
            first_name: c.first_name,
            last_name: c.last_name,
            subscription_status: c.subscription_status,
            total_orders: c.total_orders,
            created_at: c.created_at,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct UserList {
    users: Vec<ListedUser>,
    pagination: Pagination,
}

fn invalid_subscription_status() -> ApiError {
    ApiError::bad_request(format!(
        "status must be one of {}",
        SUBSCRIPTION_STATUSES.join(", ")
    ))
}

fn subscription_status(text: &str) -> ApiResult<&'static str> {
    SUBSCRIPTION_STATUSES
        .iter()
        .copied()
        .find(|s| *s == text)
        .ok_or_else(invalid_subscription_status)
}

#[utoipa::path(
    get,
    path = "/api/users",
    tag = "Users",
    operation_id = "listUsers",
    summary = "Clients (admin)",
    description = "Newest first. `email` finds one client by address; `status` filters by subscription status.",
    params(crate::openapi::query::UsersQuery),
    responses(
        (status = 200, description = "A page of clients.", body = UserList),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<UserList>> {
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 20)?;
    let status = given(&params.status).map(subscription_status).transpose()?;
    if let Some(email) = given(&params.email) {
        // One client at most: read through the email's guard.
        let email = web::validate::email(email)
            .ok_or_else(|| ApiError::bad_request("email must be a valid email address"))?;
        let found = customers::find_by_email(&state.store, &email)
            .await?
            .filter(|c| status.is_none_or(|s| c.subscription_status == s));
        let users: Vec<ListedUser> = found
            .into_iter()
            .filter(|_| pager.page == 1)
            .map(ListedUser::from)
            .collect();
        let total = u64::from(!users.is_empty());
        return Ok(Json(UserList {
            pagination: Pagination::new(pager, users.len(), total),
            users,
        }));
    }
    let (query, total_name) = match status {
        Some(s) => (
            Query::partition(
                customers::BY_SUBSCRIPTION,
                customers::subscription_partition(s),
            ),
            format!("users#{s}"),
        ),
        None => (
            Query::partition(customers::ALL, "USERS"),
            "users".to_owned(),
        ),
    };
    let items = read_page(&state.store, query.backward(), pager).await?;
    let total = counters::total(&state.store, total_name).await?;
    let users = items
        .into_iter()
        .map(|item| web::item::parse::<Customer>(item).map(ListedUser::from))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(UserList {
        pagination: Pagination::new(pager, users.len(), total),
        users,
    }))
}

#[utoipa::path(
    get,
    path = "/api/users/{id}",
    tag = "Users",
    operation_id = "getUser",
    summary = "A client (admin)",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    responses(
        (status = 200, description = "The client.", body = crate::openapi::schemas::User),
        (status = 404, response = crate::openapi::UserNotFound),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId<ObjectId>,
) -> ApiResult<Json<CustomerView>> {
    Ok(Json(CustomerView::from(&found(&state, id).await?)))
}

/// The longest name, phone or date an admin may set.
const MAX_FIELD: usize = 100;

/// The changes a patch asks for, checked.
struct UserPatch {
    set: Vec<(&'static str, Value)>,
    status: Option<&'static str>,
}

impl TryFrom<&Map<String, Value>> for UserPatch {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        let mut set = Vec::new();
        for name in ["firstName", "lastName", "phone", "dateOfBirth"] {
            match body.get(name) {
                None => {}
                Some(Value::Null) => set.push((name, Value::Null)),
                Some(Value::String(text)) if text.chars().count() <= MAX_FIELD => {
                    let text = text.trim();
                    if web::text::hides_or_reorders(text) || text.chars().any(char::is_control) {
                        return Err(ApiError::bad_request(format!("{name} is not valid text")));
                    }
                    if name == "dateOfBirth" && web::time::parse_date(text).is_none() {
                        return Err(ApiError::bad_request("dateOfBirth must be a date"));
                    }
                    set.push((name, Value::String(text.to_owned())));
                }
                Some(_) => {
                    return Err(ApiError::bad_request(format!(
                        "{name} must be a string of at most {MAX_FIELD} characters"
                    )));
                }
            }
        }
        let status = match body.get("subscriptionStatus") {
            None => None,
            Some(Value::String(s)) => Some(subscription_status(s)?),
            Some(_) => return Err(invalid_subscription_status()),
        };
        if set.is_empty() && status.is_none() {
            return Err(ApiError::bad_request(
                "Nothing to update: firstName, lastName, phone, dateOfBirth or subscriptionStatus",
            ));
        }
        Ok(UserPatch { set, status })
    }
}

const CUSTOMER: &str = "customer";

#[utoipa::path(
    patch,
    path = "/api/users/{id}",
    tag = "Users",
    operation_id = "updateUser",
    summary = "Update a client (admin)",
    description = "Only the fields sent change; `null` clears a name, phone or date of birth.",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    request_body = crate::openapi::bodies::UserPatch,
    responses(
        (status = 200, description = "The client as updated.", body = crate::openapi::schemas::User),
        (status = 404, response = crate::openapi::UserNotFound),
        (status = 409, response = crate::openapi::Conflict),
    )
)]
async fn patch(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId<ObjectId>,
    Command(patch, _): Command<UserPatch>,
) -> ApiResult<Json<CustomerView>> {
    let mut customer = found(&state, id).await?;
    for attempt in 1..=ATTEMPTS {
        let now = web::time::now();
        let mut update = Update::new().set("updatedAt", now.as_str());
        for (name, value) in &patch.set {
            update = update.set(name, value.clone());
        }
        let was = customer.subscription_status.clone();
        let mut ops = Vec::new();
        if let Some(to) = patch.status.filter(|to| *to != was) {
            update = update.set("subscriptionStatus", to).relist(
                customers::BY_SUBSCRIPTION,
                customers::subscription_partition(to),
            );
            ops.push(("totals", bump(format!("users#{was}"), -1)));
            ops.push(("totals", bump(format!("users#{to}"), 1)));
        }
        let cond = Cond::eq("subscriptionStatus", was.as_str())
            .and(Cond::eq("updatedAt", customer.updated_at.as_str()));
        ops.insert(
            0,
            (
                CUSTOMER,
                TxOp::Update {
                    key: customer_key(&customer.id),
                    update,
                    cond: Some(cond),
                },
            ),
        );
        match state.store.transact_named(ops).await {
            Ok(()) => return Ok(Json(CustomerView::from(&found(&state, id).await?))),
            Err(e) if retry::lost_race(&e, CUSTOMER) => {
                back_off(attempt).await;
                customer = found(&state, id).await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::problem(web::error::Problem::ConcurrentChange))
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = UserStatsUser)]
struct StatsUser {
    #[serde(rename = "_id")]
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    id: String,
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = UserStatsOrderStats)]
struct OrderStats {
    total: i64,
    completed: i64,
    pending: i64,
    /// Cents paid, less refunds.
    total_spent: i64,
    #[schema(value_type = std::collections::HashMap<String, i64>)]
    by_status: BTreeMap<&'static str, i64>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = UserStatsRecentOrdersItem)]
struct RecentOrder {
    #[serde(rename = "_id", alias = "orderId")]
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    id: String,
    order_number: String,
    #[schema(value_type = i64)]
    level: u8,
    amount: i64,
    #[schema(value_type = crate::openapi::schemas::OrderState, inline)]
    status: String,
    #[schema(format = DateTime)]
    created_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct UserStats {
    #[schema(inline)]
    user: StatsUser,
    #[schema(inline)]
    order_stats: OrderStats,
    #[schema(inline)]
    recent_orders: Vec<RecentOrder>,
    /// Orders by level, levels with none left out.
    #[schema(value_type = std::collections::HashMap<String, i64>)]
    level_distribution: BTreeMap<String, i64>,
}

/// How many recent orders the stats show.
const RECENT: u32 = 5;

#[utoipa::path(
    get,
    path = "/api/users/{id}/stats",
    tag = "Users",
    operation_id = "userStats",
    summary = "A client's stats (admin)",
    description = "From aggregates every order write keeps on the client: orders by status and level, total spent, the five most recent orders.",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    responses(
        (status = 200, description = "The stats.", body = UserStats),
        (status = 404, response = crate::openapi::UserNotFound),
    )
)]
async fn stats(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId<ObjectId>,
) -> ApiResult<Json<UserStats>> {
    let customer = found(&state, id).await?;
    let page = state
        .store
        .query(customers::order_refs(&customer.id).backward().limit(RECENT))
        .await?;
    let recent_orders = page
        .items
        .into_iter()
        .map(web::item::parse::<RecentOrder>)
        .collect::<ApiResult<Vec<_>>>()?;
    let by_status = status::ALL
        .iter()
        .map(|s| (*s, customer.count(s)))
        .collect();
    let level_distribution = (1..=catalogue::MAX_LEVEL)
        .map(|l| (l.to_string(), customer.level_count(l)))
        .filter(|(_, n)| *n > 0)
        .collect();
    Ok(Json(UserStats {
        order_stats: OrderStats {
            total: customer.total_orders,
            completed: customer.count(status::COMPLETED),
            pending: customer.count(status::PENDING),
            total_spent: customer.total_spent,
            by_status,
        },
        recent_orders,
        level_distribution,
        user: StatsUser {
            id: customer.id,
            email: customer.email,
            first_name: customer.first_name,
            last_name: customer.last_name,
        },
    }))
}
