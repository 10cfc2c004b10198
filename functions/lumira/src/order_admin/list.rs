//! `GET /api/orders`: every documented filter (`status`, `level`, `email`, `dateFrom`,
//! `dateTo`), newest first, a page at a time. Each filter has its own partition: the
//! client's order references for `email`, the status index, the level index, or the index
//! of every order; the creation date is the sort key of all four, so a date range is a key
//! condition. A second filter beside the partition's is a condition on that partition only.
//! Totals come from counters when one filter or none is given.

use super::populate;
use crate::customers::{self, Customer};
use crate::listing::{Pagination, given};
use crate::orders::view::ListedOrder;
use crate::orders::{self, level_partition, status, status_partition, totals};
use crate::{AppState, catalogue};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Days, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::{Cond, Query, SortKey};
use web::auth::AuthUser;
use web::extract::Query as QueryParams;
use web::pagination::{Pager, count, read_page};
use web::{ApiError, ApiResult};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListParams {
    page: Option<String>,
    limit: Option<String>,
    status: Option<String>,
    level: Option<String>,
    email: Option<String>,
    date_from: Option<String>,
    date_to: Option<String>,
}

/// The filters, checked.
struct Filters {
    status: Option<&'static str>,
    level: Option<u8>,
    email: Option<String>,
    /// Sort-key bounds, inclusive.
    from: Option<String>,
    to: Option<String>,
}

/// The upper bound of `dateTo`: a plain date takes in its whole day.
fn upper_bound(text: &str) -> Option<String> {
    let at: DateTime<Utc> = web::time::parse_date(text)?;
    let plain_day = text.len() == "YYYY-MM-DD".len();
    Some(if plain_day {
        web::time::format(at.checked_add_days(Days::new(1))?)
    } else {
        // Past every id that follows this instant in a sort key.
        format!("{}~", web::time::format(at))
    })
}

impl TryFrom<&ListParams> for Filters {
    type Error = ApiError;

    fn try_from(params: &ListParams) -> ApiResult<Self> {
        let status = given(&params.status)
            .map(|s| {
                status::parse(s).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "status must be one of {}",
                        status::ALL.join(", ")
                    ))
                })
            })
            .transpose()?;
        let level = given(&params.level)
            .map(|l| {
                l.parse::<u8>()
                    .ok()
                    .filter(|l| catalogue::level_name(*l).is_some())
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "level must be a level from 1 to {}",
                            catalogue::MAX_LEVEL
                        ))
                    })
            })
            .transpose()?;
        let email = given(&params.email)
            .map(|e| {
                web::validate::email(e)
                    .ok_or_else(|| ApiError::bad_request("email must be a valid email address"))
            })
            .transpose()?;
        let invalid_date = |name: &str| {
            ApiError::bad_request(format!("{name} must be a date (YYYY-MM-DD or ISO 8601)"))
        };
        let date = |name: &str, text: Option<&str>| {
            text.map(|d| web::time::parse_date(d).ok_or_else(|| invalid_date(name)))
                .transpose()
        };
        let from_at = date("dateFrom", given(&params.date_from))?;
        let to_at = date("dateTo", given(&params.date_to))?;
        if let (Some(from), Some(to)) = (from_at, to_at)
            && from > to
        {
            return Err(ApiError::bad_request("dateFrom must not be after dateTo"));
        }
        let from = from_at.map(web::time::format);
        let to = given(&params.date_to)
            .map(|d| upper_bound(d).ok_or_else(|| invalid_date("dateTo")))
            .transpose()?;
        Ok(Filters {
            status,
            level,
            email,
            from,
            to,
        })
    }
}

impl Filters {
    /// The sort-key range of the dates, within the keys that start with `prefix` (a client's
    /// partition holds the client too, whose key sorts after its references').
    fn dates(&self, prefix: &str) -> Option<SortKey> {
        if !self.has_dates() {
            return None;
        }
        let from = format!("{prefix}{}", self.from.as_deref().unwrap_or_default());
        // Creation times are ASCII digits and punctuation: `~` sorts after all of them.
        let to = format!("{prefix}{}", self.to.as_deref().unwrap_or("~"));
        Some(SortKey::Between(from, to))
    }

    fn has_dates(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// The query of the orders of the filters (`None` when the email has no client), and the
    /// counter of its total when one names it.
    fn query(&self, customer: Option<&Customer>) -> Option<(Query, Option<String>)> {
        let mut conds = Vec::new();
        let (query, sort_prefix, counter) = if self.email.is_some() {
            let customer = customer?;
            if let Some(s) = self.status {
                conds.push(Cond::eq("status", s));
            }
            if let Some(l) = self.level {
                conds.push(Cond::eq("level", l));
            }
            (customers::order_refs(&customer.id), "ORDER#", None)
        } else if let Some(s) = self.status {
            if let Some(l) = self.level {
                conds.push(Cond::eq("level", l));
            }
            let counter = self.level.is_none().then(|| totals::status(s));
            (
                Query::partition(orders::BY_STATUS, status_partition(s)),
                "",
                counter,
            )
        } else if let Some(l) = self.level {
            let query = Query::partition(orders::BY_LEVEL, level_partition(l));
            (query, "", Some(totals::level(l)))
        } else {
            let query = Query::partition(orders::ALL, "ORDERS");
            (query, "", Some(totals::ALL.to_owned()))
        };
        let mut query = match self.dates(sort_prefix) {
            Some(range) => query.sort_key(range),
            // Without dates, the client's references are the whole `ORDER#` range already.
            None => query,
        };
        if let Some(cond) = conds.into_iter().reduce(Cond::and) {
            query = query.filter(cond);
        }
        let counter = counter.filter(|_| !self.has_dates());
        Some((query.backward(), counter))
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct OrderList {
    orders: Vec<ListedOrder>,
    pagination: Pagination,
}

#[utoipa::path(
    get,
    path = "/api/orders",
    tag = "Orders",
    operation_id = "listOrders",
    summary = "Orders (admin)",
    description = "Newest first; every filter may be combined. Dates are `YYYY-MM-DD` (a `dateTo` day is included whole) or ISO 8601.",
    params(crate::openapi::query::OrdersQuery),
    responses(
        (status = 200, description = "A page of orders.", body = OrderList),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<OrderList>> {
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 10)?;
    let filters = Filters::try_from(&params)?;
    let customer = match &filters.email {
        Some(email) => customers::find_by_email(&state.store, email).await?,
        None => None,
    };
    let Some((query, counter)) = filters.query(customer.as_ref()) else {
        return Ok(Json(OrderList {
            orders: Vec::new(),
            pagination: Pagination::new(pager, 0, 0),
        }));
    };
    let total = async {
        match counter {
            Some(name) => web::counters::total(&state.store, name).await,
            None => match (
                &customer,
                filters.status,
                filters.level,
                filters.has_dates(),
            ) {
                (Some(c), None, None, false) => Ok(u64::try_from(c.total_orders).unwrap_or(0)),
                _ => count(&state.store, query.clone()).await,
            },
        }
    };
    // The page and its total are read beside each other: neither needs the other.
    let (items, total) = tokio::join!(read_page(&state.store, query.clone(), pager), total);
    let (items, total) = (items?, total?);
    let orders = if filters.email.is_some() {
        // References: the orders themselves are read by id.
        let ids: Vec<String> = items
            .iter()
            .filter_map(|r| r.get("orderId").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let found = orders::find_many(&state.store, &ids).await?;
        found.into_iter().flatten().collect()
    } else {
        items
            .into_iter()
            .map(web::item::parse)
            .collect::<ApiResult<Vec<_>>>()?
    };
    let users = populate(&state, &orders, customer).await?;
    let orders: Vec<ListedOrder> = orders
        .into_iter()
        .zip(users)
        .map(|(order, user)| ListedOrder::new(order, user))
        .collect();
    Ok(Json(OrderList {
        pagination: Pagination::new(pager, orders.len(), total),
        orders,
    }))
}
