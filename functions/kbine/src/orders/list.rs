//! Lists of orders and their counts. A client lists its own orders; staff and admin list
//! every order, or their own (`assigned_to=me`); newest first, or oldest first
//! (`sort=oldest`: the work queue of pending orders). Each list is one index partition and
//! its total one counter: nothing is scanned.

use super::moves::{assignee_partition, assignee_status_total, assignee_total};
use super::{
    ALL, BY_STATUS, BY_USER, STATUSES, invalid_status, parse, status_partition, status_total,
    user_partition, user_status_total, user_total,
};
use crate::AppState;
use crate::openapi::query::{AssignedTo, SortOrder};
use crate::openapi::{Error, Forbidden};
use crate::orders::status::OrderStatus;
use crate::role::Role;
use crate::users::Pagination;
use axum::Json;
use axum::extract::State;
use futures_util::future::join_all;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use store::{Cond, Index, Query};
use web::auth::AuthUser;
use web::counters;
use web::error::Problem;
use web::extract::Query as QueryParams;
use web::money::Money;
use web::pagination::{Pager, read_page};
use web::{ApiError, ApiResult};

/// The list's query, as sent (each value is checked with its own message).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ListParams {
    /// Filtrer par statut.
    #[param(value_type = Option<OrderStatus>)]
    status: Option<String>,
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Éléments par page (entier ≥ 1, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 20)]
    limit: Option<String>,
    /// Ordre : `newest` (défaut, la plus récente d'abord) ou `oldest`.
    #[param(value_type = Option<SortOrder>, inline, default = "newest")]
    sort: Option<String>,
    /// `me` : seulement les commandes assignées à l'appelant (staff et admin ; 403 pour un client).
    #[param(value_type = Option<AssignedTo>, inline)]
    assigned_to: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(description = "Commande dans une liste.")]
#[schema(as = OrderSummary)]
struct ListedOrder {
    #[schema(example = json!(125))]
    id: i64,
    #[schema(example = json!("Recharge 1000 FCFA"))]
    plan_name: String,
    #[schema(example = json!("Orange CI"))]
    operator_name: String,
    #[schema(value_type = crate::openapi::schemas::PhoneNumber)]
    phone_number: String,
    amount: Money,
    #[schema(value_type = crate::openapi::schemas::OrderStatus)]
    status: String,
    #[schema(value_type = crate::openapi::schemas::PaymentMethod)]
    payment_method: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    updated_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct OrderList {
    orders: Vec<ListedOrder>,
    pagination: Pagination,
}

fn invalid_query(reason: &str) -> ApiError {
    ApiError::problem(Problem::InvalidQuery(reason.to_owned()))
}

/// Whether the list runs oldest first.
fn oldest_first(sort: Option<&str>) -> ApiResult<bool> {
    match sort.filter(|s| !s.is_empty()) {
        None | Some("newest") => Ok(false),
        Some("oldest") => Ok(true),
        Some(_) => Err(invalid_query("sort doit être newest ou oldest")),
    }
}

/// The partition a caller's list reads, and the counter of its total.
fn listing(caller: &AuthUser, params: &ListParams) -> ApiResult<(Query, String)> {
    let status = match params.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) if STATUSES.contains(&s) => Some(s),
        Some(_) => return Err(invalid_status()),
        None => None,
    };
    let is_staff = caller.has_role(Role::STAFF);
    let mine = match params.assigned_to.as_deref().filter(|s| !s.is_empty()) {
        None => false,
        Some("me") if is_staff => true,
        Some("me") => return Err(ApiError::forbidden("Accès non autorisé")),
        Some(_) => return Err(invalid_query("assigned_to n'accepte que me")),
    };
    if mine {
        let staff = caller.int_id()?;
        let query = Query::partition(Index::Table, assignee_partition(staff));
        return Ok(match status {
            Some(s) => (
                query.filter(Cond::eq("status", s)),
                assignee_status_total(staff, s),
            ),
            None => (query, assignee_total(staff)),
        });
    }
    if is_staff {
        return Ok(match status {
            Some(s) => (
                Query::partition(BY_STATUS, status_partition(s)),
                status_total(s),
            ),
            None => (Query::partition(ALL, "ORDERS"), "orders".to_owned()),
        });
    }
    let user_id = caller.int_id()?;
    let query = Query::partition(BY_USER, user_partition(user_id));
    Ok(match status {
        Some(s) => (
            query.filter(Cond::eq("status", s)),
            user_status_total(user_id, s),
        ),
        None => (query, user_total(user_id)),
    })
}

#[utoipa::path(
    get,
    path = "/api/orders",
    tag = "Commandes",
    operation_id = "listOrders",
    summary = "Liste des commandes",
    description = "Récupère la liste des commandes de l'utilisateur connecté (toutes les commandes pour le staff et l'admin), de la plus récente à la plus ancienne, ou de la plus ancienne à la plus récente avec `sort=oldest` (la file d'attente : `?status=pending&sort=oldest`). Le staff et l'admin lisent leurs propres commandes avec `assigned_to=me`.",
    params(ListParams),
    responses(
        (status = 200, description = "Une page de commandes.", body = OrderList, example = json!({"orders": [{"id": 125, "plan_name": "Recharge 1000 FCFA", "operator_name": "Orange CI", "phone_number": "0701020304", "amount": 1000.0, "status": "completed", "payment_method": "wave", "created_at": "2025-01-15T16:30:00.000Z", "updated_at": "2025-01-15T16:35:00.000Z"}], "pagination": {"page": 1, "limit": 20, "total": 45, "totalPages": 3}})),
        (status = 400, description = "Paramètre invalide.", body = Error, examples(("e1" = (summary = "Statut invalide", value = json!({"error": "Statut invalide", "details": "Les statuts valides sont: pending, assigned, processing, completed, cancelled, refunded"}))), ("e2" = (summary = "Paramètres de pagination invalides", value = json!({"error": "Paramètres de pagination invalides", "details": "limit doit être un entier positif"}))), ("e3" = (summary = "Paramètres de requête invalides", value = json!({"error": "Paramètres de requête invalides", "details": "sort doit être newest ou oldest"}))))),
        (status = 403, response = Forbidden),
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<OrderList>> {
    let (query, total_name) = listing(&caller, &params)?;
    let query = match oldest_first(params.sort.as_deref())? {
        true => query,
        false => query.backward(),
    };
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 20)?;
    // One after the other: at a cold start a second request at once would open a second
    // connection to the table (a TLS handshake in AWS), dearer than the round trip it saves.
    let items = read_page(&state.store, query, pager).await?;
    let total = counters::total(&state.store, total_name).await;
    let orders = items
        .into_iter()
        .map(|item| {
            parse(item).map(|o| ListedOrder {
                amount: o.amount(),
                id: o.id,
                plan_name: o.plan_name,
                operator_name: o.operator_name,
                phone_number: o.phone_number,
                status: o.status,
                payment_method: o.payment_method,
                created_at: o.created_at,
                updated_at: o.updated_at,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(OrderList {
        orders,
        pagination: Pagination::new(pager, total?),
    }))
}

// A total and its share by status.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = OrderCountsPart)]
pub(super) struct Counts {
    #[schema(example = json!(19))]
    total: u64,
    /// Nombre de commandes par statut (chaque statut est présent).
    #[schema(example = json!({"pending": 3, "assigned": 1, "processing": 2, "completed": 12, "cancelled": 1, "refunded": 0}))]
    by_status: BTreeMap<&'static str, u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(
    description = "Les compteurs de la file : toutes les commandes, et celles assignées à l'appelant."
)]
pub(super) struct OrderCounts {
    #[serde(flatten)]
    all: Counts,
    assigned_to_me: Counts,
}

/// Reads the counter `total` and the counter of each status, at once.
async fn counts(
    store: &store::DynStore,
    total: String,
    by_status: impl Fn(&str) -> String,
) -> ApiResult<Counts> {
    let reads = STATUSES.map(|s| counters::total(store, by_status(s)));
    let (total, each) = tokio::join!(counters::total(store, total), join_all(reads));
    let mut by_status = BTreeMap::new();
    for (status, count) in STATUSES.into_iter().zip(each) {
        by_status.insert(status, count?);
    }
    Ok(Counts {
        total: total?,
        by_status,
    })
}

/// Staff's view of the work: every order's count by status, and their own.
#[utoipa::path(
    get,
    path = "/api/orders/counts",
    tag = "Commandes",
    operation_id = "countOrders",
    summary = "Compteurs des commandes",
    description = "🟡 Staff et admin. Le nombre de commandes par statut, et de celles assignées à l'appelant, lus dans des compteurs (jamais en parcourant les commandes).",
    responses(
        (status = 200, description = "Les compteurs.", body = OrderCounts, example = json!({"total": 19, "by_status": {"assigned": 1, "cancelled": 1, "completed": 12, "pending": 3, "processing": 2, "refunded": 0}, "assigned_to_me": {"total": 3, "by_status": {"assigned": 1, "cancelled": 0, "completed": 1, "pending": 0, "processing": 1, "refunded": 0}}})),
    )
)]
pub(super) async fn counts_route(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<OrderCounts>> {
    let staff = caller.int_id()?;
    let (all, mine) = tokio::join!(
        counts(&state.store, "orders".to_owned(), status_total),
        counts(&state.store, assignee_total(staff), |s| {
            assignee_status_total(staff, s)
        }),
    );
    Ok(Json(OrderCounts {
        all: all?,
        assigned_to_me: mine?,
    }))
}
