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
use crate::counters;
use crate::history::{self, Entry};
use crate::role::Role;
use axum::extract::State;
use axum::routing::{get, patch};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::{Cond, DynStore, Index, Item, Key, Query, SortKey};
use web::auth::AuthUser;
use web::extract::{PathId, Query as QueryParams};
use web::money::Money;
use web::pagination::{Pager, count, read_page};
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
use crate::orders::PaymentMethod;
use input::status_of;
use web::validate::Choice;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/payments/methods", get(methods))
        .route("/api/payments/statuses", get(statuses))
        .route("/api/payments", get(list).post(create::create))
        .route(
            "/api/payments/{id}",
            get(details).put(changes::update).delete(changes::remove),
        )
        .route("/api/payments/{id}/status", patch(changes::change_status))
}

/// A payment as stored.
#[derive(Debug, Clone, Deserialize)]
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
    #[serde(default)]
    pub deleted_at: Option<String>,
}

pub fn payment_key(id: i64) -> Key {
    Key::new(format!("PAYMENT#{id}"), "PAYMENT")
}

fn reference_key(reference: &str) -> Key {
    Key::new(format!("PAYREF#{reference}"), "PAYREF")
}

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
#[derive(Debug, Serialize)]
pub struct PaymentView {
    pub id: i64,
    pub order_id: i64,
    pub amount: Money,
    pub payment_method: String,
    pub payment_reference: String,
    pub external_reference: String,
    pub status: String,
    pub callback_data: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_amount: Option<Money>,
    pub created_at: String,
    pub updated_at: String,
    /// Every change, oldest first: in the details, for the admin.
    #[serde(skip_serializing_if = "Option::is_none")]
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

async fn methods() -> Json<Envelope<[&'static str; 4]>> {
    ok(METHODS)
}

async fn statuses() -> Json<Envelope<[&'static str; 4]>> {
    ok(STATUSES)
}

// ---------------------------------------------------------------------------------------------
// List

#[derive(Deserialize)]
struct ListParams {
    page: Option<String>,
    limit: Option<String>,
    status: Option<String>,
    payment_method: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
}

/// Where a list's total comes from.
#[derive(Debug, PartialEq)]
enum Total {
    Counter(String),
    /// Counted over the query (date range, or status and method together).
    Counted,
    /// The date range is empty (start after end).
    Zero,
}

fn bad_param(details: &'static str) -> ApiError {
    ApiError::bad_request("Paramètres de requête invalides").with_details(details)
}

fn present(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// The inclusive range of sort keys `[lower, upper]` for the dates given. A plain date as
/// `end_date` includes that whole day.
fn date_range(
    start: Option<String>,
    end: Option<String>,
) -> ApiResult<(Option<String>, Option<String>)> {
    let lower = match present(start) {
        None => None,
        Some(text) => {
            let at = web::time::parse_date(&text).ok_or_else(|| {
                bad_param("start_date doit être une date ISO 8601 (AAAA-MM-JJ ou horodatage)")
            })?;
            Some(web::time::format(at))
        }
    };
    let upper = match present(end) {
        None => None,
        Some(text) => {
            let at = web::time::parse_date(&text).ok_or_else(|| {
                bad_param("end_date doit être une date ISO 8601 (AAAA-MM-JJ ou horodatage)")
            })?;
            // What is not a full timestamp is a plain date: its whole day.
            let plain_date = DateTime::parse_from_rfc3339(&text).is_err();
            let last: DateTime<Utc> = if plain_date {
                at + Duration::days(1) - Duration::milliseconds(1)
            } else {
                at
            };
            // `~` sorts after the `#<id>` that follows the date in a sort key.
            Some(format!("{}~", web::time::format(last)))
        }
    };
    Ok((lower, upper))
}

/// The query and the source of the total for the filters of a list.
fn listing(params: ListParams) -> ApiResult<(Query, Total)> {
    let status =
        match present(params.status) {
            None => None,
            Some(s) => Some(status_of(&s).ok_or_else(|| {
                bad_param("status doit être pending, success, failed ou refunded")
            })?),
        };
    let method = match present(params.payment_method) {
        None => None,
        Some(m) => Some(
            PaymentMethod::parse(&m)
                .map(PaymentMethod::as_str)
                .ok_or_else(|| {
                    bad_param(
                        "payment_method doit être wave, orange_money, mtn_money ou moov_money",
                    )
                })?,
        ),
    };
    let (lower, upper) = date_range(params.start_date, params.end_date)?;
    let (mut query, mut total) = match (status, method) {
        (Some(s), Some(m)) => (
            Query::partition(Index::Gsi2, status_partition(s))
                .filter(Cond::eq("payment_method", m)),
            Total::Counted,
        ),
        (Some(s), None) => (
            Query::partition(Index::Gsi2, status_partition(s)),
            Total::Counter(status_total(s)),
        ),
        (None, Some(m)) => (
            Query::partition(Index::Gsi3, method_partition(m)),
            Total::Counter(method_total(m)),
        ),
        (None, None) => (
            Query::partition(Index::Gsi1, "PAYMENTS"),
            Total::Counter("payments".into()),
        ),
    };
    let range = match (lower, upper) {
        (None, None) => None,
        (Some(lo), None) => Some(SortKey::Ge(lo)),
        (None, Some(hi)) => Some(SortKey::Le(hi)),
        (Some(lo), Some(hi)) if lo > hi => {
            total = Total::Zero;
            None
        }
        (Some(lo), Some(hi)) => Some(SortKey::Between(lo, hi)),
    };
    if let Some(range) = range {
        query = query.sort_key(range);
        total = Total::Counted;
    }
    // Newest first.
    Ok((query.backward(), total))
}

#[derive(Serialize)]
struct Pagination {
    total: u64,
    total_pages: u64,
    current_page: u32,
    per_page: u32,
    has_next_page: bool,
    has_previous_page: bool,
}

#[derive(Serialize)]
struct PaymentList {
    success: bool,
    data: Vec<PaymentView>,
    pagination: Pagination,
}

async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<PaymentList>> {
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 10)?;
    let (query, total) = listing(params)?;
    let (items, total) = match total {
        Total::Zero => (Vec::new(), 0),
        Total::Counter(name) => (
            read_page(&state.store, query, pager).await?,
            counters::total(&state.store, name).await?,
        ),
        Total::Counted => (
            read_page(&state.store, query.clone(), pager).await?,
            count(&state.store, query).await?,
        ),
    };
    let data = items
        .into_iter()
        .map(|item| parse(item).map(PaymentView::full))
        .collect::<ApiResult<Vec<_>>>()?;
    let total_pages = pager.total_pages(total);
    Ok(Json(PaymentList {
        success: true,
        data,
        pagination: Pagination {
            total,
            total_pages,
            current_page: pager.page,
            per_page: pager.limit,
            has_next_page: u64::from(pager.page) < total_pages,
            has_previous_page: pager.page > 1,
        },
    }))
}

// ---------------------------------------------------------------------------------------------
// Details, update, status, delete

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> ListParams {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        ListParams {
            page: None,
            limit: None,
            status: get("status"),
            payment_method: get("payment_method"),
            start_date: get("start_date"),
            end_date: get("end_date"),
        }
    }

    #[test]
    fn picks_the_narrowest_index_and_its_counter() {
        let (q, t) = listing(params(&[])).unwrap();
        assert_eq!(
            (q.index, q.pk.as_str(), q.forward),
            (Index::Gsi1, "PAYMENTS", false)
        );
        assert_eq!(t, Total::Counter("payments".into()));
        let (q, t) = listing(params(&[("status", "success")])).unwrap();
        assert_eq!(
            (q.index, q.pk.as_str()),
            (Index::Gsi2, "PAYMENTS#STATUS#success")
        );
        assert_eq!(t, Total::Counter("payments#status#success".into()));
        let (q, t) = listing(params(&[("payment_method", "wave")])).unwrap();
        assert_eq!(
            (q.index, q.pk.as_str()),
            (Index::Gsi3, "PAYMENTS#METHOD#wave")
        );
        assert_eq!(t, Total::Counter("payments#method#wave".into()));
        let (q, t) = listing(params(&[("status", "failed"), ("payment_method", "wave")])).unwrap();
        assert_eq!(q.index, Index::Gsi2);
        assert_eq!(q.filter, Some(Cond::eq("payment_method", "wave")));
        assert_eq!(t, Total::Counted);
        assert!(listing(params(&[("status", "paid")])).is_err());
        assert!(listing(params(&[("payment_method", "cash")])).is_err());
    }

    #[test]
    fn a_plain_end_date_includes_its_whole_day() {
        let (q, t) = listing(params(&[
            ("start_date", "2025-10-01"),
            ("end_date", "2025-10-08"),
        ]))
        .unwrap();
        assert_eq!(
            q.sk,
            Some(SortKey::Between(
                "2025-10-01T00:00:00.000Z".into(),
                "2025-10-08T23:59:59.999Z~".into()
            ))
        );
        assert_eq!(t, Total::Counted);
        assert!("2025-10-08T23:59:59.999Z#000000000001" < "2025-10-08T23:59:59.999Z~");
        let (q, _) = listing(params(&[("end_date", "2025-10-08T10:00:00Z")])).unwrap();
        assert_eq!(q.sk, Some(SortKey::Le("2025-10-08T10:00:00.000Z~".into())));
        let (_, t) = listing(params(&[
            ("start_date", "2025-10-09"),
            ("end_date", "2025-10-08"),
        ]))
        .unwrap();
        assert_eq!(t, Total::Zero);
        assert!(listing(params(&[("start_date", "hier")])).is_err());
        assert!(listing(params(&[("end_date", "2025-13-01")])).is_err());
    }
}
