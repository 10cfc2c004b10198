//! The payments list: the narrowest index partition for its filters, the date range as a
//! sort-key condition, and its total from a counter when the filters are exactly one.

use super::input::status_of;
use super::{
    ALL, BY_METHOD, BY_STATUS, PaymentView, method_partition, method_total, parse,
    status_partition, status_total,
};
use crate::AppState;
use crate::openapi::Error;
use crate::openapi::schemas::PaymentStatus;
use crate::orders::PaymentMethod;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use store::{Cond, Query, SortKey};
use web::auth::AuthUser;
use web::counters;
use web::extract::Query as QueryParams;
use web::pagination::{Pager, count, read_page};
use web::validate::Choice;
use web::{ApiError, ApiResult};

/// The list's query, as sent (each value is checked with its own message).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ListParams {
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Nombre d'éléments par page (entier ≥ 1, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 10)]
    limit: Option<String>,
    /// Filtrer par statut.
    #[param(value_type = Option<PaymentStatus>)]
    status: Option<String>,
    /// Filtrer par méthode de paiement.
    #[param(value_type = Option<PaymentMethod>)]
    payment_method: Option<String>,
    /// Date de début (ISO 8601 : `AAAA-MM-JJ`, début du jour en UTC, ou horodatage), incluse.
    #[param(example = "2025-10-01")]
    start_date: Option<String>,
    /// Date de fin (ISO 8601) ; une date `AAAA-MM-JJ` inclut toute la journée.
    #[param(example = "2025-10-08")]
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
            Query::partition(BY_STATUS, status_partition(s)).filter(Cond::eq("payment_method", m)),
            Total::Counted,
        ),
        (Some(s), None) => (
            Query::partition(BY_STATUS, status_partition(s)),
            Total::Counter(status_total(s)),
        ),
        (None, Some(m)) => (
            Query::partition(BY_METHOD, method_partition(m)),
            Total::Counter(method_total(m)),
        ),
        (None, None) => (
            Query::partition(ALL, "PAYMENTS"),
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

#[derive(Serialize, utoipa::ToSchema)]
#[schema(description = "Pagination de la liste des paiements.")]
#[schema(as = PaymentPagination)]
struct Pagination {
    #[schema(example = json!(156))]
    total: u64,
    #[schema(example = json!(16))]
    total_pages: u64,
    #[schema(example = json!(1), minimum = 1)]
    current_page: u32,
    #[schema(example = json!(10), minimum = 1)]
    per_page: u32,
    #[schema(example = json!(true))]
    has_next_page: bool,
    #[schema(example = json!(false))]
    has_previous_page: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct PaymentList {
    #[schema(example = json!(true))]
    success: bool,
    data: Vec<PaymentView>,
    pagination: Pagination,
}

#[utoipa::path(
    get,
    path = "/api/payments",
    tag = "Paiements",
    operation_id = "listPayments",
    summary = "Récupérer tous les paiements (avec filtres)",
    description = "🟡 Accès : Staff/Admin. Du plus récent au plus ancien.",
    params(ListParams),
    responses(
        (status = 200, description = "Une page de paiements.", body = PaymentList, example = json!({"success": true, "data": [{"id": 45, "order_id": 123, "amount": 5000.0, "payment_method": "wave", "payment_reference": "PAY-20251008-ABC123", "external_reference": "WAVE-TXN-456789", "status": "success", "callback_data": {"transaction_id": "12345", "notes": "Paiement validé"}, "phone_number": "0789062079", "order_amount": 5000.0, "created_at": "2025-10-08T10:30:00.000Z", "updated_at": "2025-10-08T10:35:00.000Z"}], "pagination": {"total": 156, "total_pages": 16, "current_page": 1, "per_page": 10, "has_next_page": true, "has_previous_page": false}})),
        (status = 400, description = "Paramètre invalide.", body = Error, examples(("e1" = (summary = "Paramètres de requête invalides", value = json!({"error": "Paramètres de requête invalides", "details": "status doit être pending, success, failed ou refunded"}))), ("e2" = (summary = "Paramètres de requête invalides", value = json!({"error": "Paramètres de requête invalides", "details": "start_date doit être une date ISO 8601 (AAAA-MM-JJ ou horodatage)"}))), ("e3" = (summary = "Paramètres de pagination invalides", value = json!({"error": "Paramètres de pagination invalides", "details": "page doit être un entier positif"}))))),
    )
)]
pub(super) async fn list(
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use store::Index;

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
