//! `GET /api/admin/security-logs` and its CSV export: the security events, newest first,
//! filtered as documented. A filter on an account, a type or a risk level reads that index;
//! otherwise the months of the period are read, newest first, until the limit is met.

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::exports::csv_file;
use crate::security::{self, EventType, RiskLevel, SecurityEvent};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Query, SortKey};
use web::auth::AuthUser;
use web::extract::Query as QueryParams;
use web::validate::Choice;
use web::{ApiError, ApiResult};

/// What a list gives without `limit`, and the most it gives.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;
/// The most events an export holds (a file of a few MB, within Lambda's 6 MB answer).
const MAX_EXPORT: usize = 20_000;
/// How far back a period without a start is read: the events' retention.
const KEPT_MONTHS: u32 = 13;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct Filters {
    /// Nombre d'événements (défaut 100, 1000 au plus).
    #[param(value_type = Option<i64>, minimum = 1, default = 100)]
    limit: Option<String>,
    #[param(value_type = Option<EventType>)]
    event_type: Option<String>,
    #[param(value_type = Option<RiskLevel>)]
    risk_level: Option<String>,
    /// Les événements d'un compte.
    #[param(
        pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    user_id: Option<String>,
    /// `true` ou `false`.
    #[param(value_type = Option<bool>)]
    success: Option<String>,
    /// Début de la période (`2026-01-01` ou un instant ISO 8601), inclus.
    #[param(value_type = Option<String>, format = Date)]
    start_date: Option<String>,
    /// Fin de la période (`2026-01-15`, journée incluse, ou un instant ISO 8601).
    #[param(value_type = Option<String>, format = Date)]
    end_date: Option<String>,
}

/// The filters, checked.
struct Checked {
    event_type: Option<EventType>,
    risk_level: Option<RiskLevel>,
    user_id: Option<String>,
    success: Option<bool>,
    /// The period, `end` excluded.
    start: Option<DateTime<Utc>>,
    end: DateTime<Utc>,
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn invalid(field: &'static str, message: &'static str) -> ApiError {
    ApiError::field(field, message)
}

impl Filters {
    fn checked(&self) -> ApiResult<Checked> {
        let event_type = match present(&self.event_type) {
            Some(kind) => Some(
                EventType::parse(kind).ok_or_else(|| invalid("eventType", "eventType invalide"))?,
            ),
            None => None,
        };
        let risk_level =
            match present(&self.risk_level) {
                Some(level) => Some(RiskLevel::parse(level).ok_or_else(|| {
                    invalid("riskLevel", "riskLevel doit être low, medium ou high")
                })?),
                None => None,
            };
        let user_id = match present(&self.user_id) {
            Some(id) => Some(
                uuid::Uuid::parse_str(id)
                    .map_err(|_| invalid("userId", "userId doit être un UUID"))?
                    .to_string(),
            ),
            None => None,
        };
        let success = match present(&self.success) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => return Err(invalid("success", "success doit être true ou false")),
            None => None,
        };
        let start = match present(&self.start_date) {
            Some(text) => Some(
                web::time::parse_date(text)
                    .ok_or_else(|| invalid("startDate", "startDate doit être une date"))?,
            ),
            None => None,
        };
        let end = match present(&self.end_date) {
            // A day names the whole day.
            Some(text) if NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() => {
                web::time::parse_date(text).map(|day| day + Duration::days(1))
            }
            Some(text) => web::time::parse_date(text).map(|at| at + Duration::milliseconds(1)),
            None => Some(Utc::now() + Duration::seconds(1)),
        }
        .ok_or_else(|| invalid("endDate", "endDate doit être une date"))?;
        if start.is_some_and(|start| start >= end) {
            return Err(invalid("startDate", "startDate doit précéder endDate"));
        }
        Ok(Checked {
            event_type,
            risk_level,
            user_id,
            success,
            start,
            end,
        })
    }

    fn limit(&self, max: usize) -> ApiResult<usize> {
        match present(&self.limit) {
            None => Ok(DEFAULT_LIMIT.min(max)),
            Some(text) => match text.parse::<u64>() {
                Ok(n) if n >= 1 => Ok(usize::try_from(n).unwrap_or(max).min(max)),
                _ => Err(invalid("limit", "limit doit être un entier positif")),
            },
        }
    }
}

impl Checked {
    fn range(&self) -> SortKey {
        let start = self.start.map(web::time::format).unwrap_or_default();
        SortKey::Between(start, web::time::format(self.end))
    }

    /// What the index read does not select.
    fn filter(&self, by_index: Index) -> Option<Cond> {
        let mut conds = Vec::new();
        if let Some(kind) = self.event_type.filter(|_| by_index != security::BY_TYPE) {
            conds.push(Cond::eq("eventType", kind.as_str()));
        }
        if let Some(level) = self.risk_level.filter(|_| by_index != security::BY_RISK) {
            conds.push(Cond::eq("riskLevel", level.as_str()));
        }
        if let Some(success) = self.success {
            conds.push(Cond::eq("success", success));
        }
        conds.into_iter().reduce(Cond::and)
    }

    /// The index partition that selects the most, when a filter names one.
    fn indexed(&self) -> Option<(Index, String)> {
        if let Some(id) = &self.user_id {
            return Some((security::BY_USER, security::user_partition(id)));
        }
        if let Some(kind) = self.event_type {
            return Some((security::BY_TYPE, security::type_partition(kind.as_str())));
        }
        self.risk_level
            .map(|level| (security::BY_RISK, security::risk_partition(level.as_str())))
    }

    /// The months of the period, newest first.
    fn months(&self) -> Vec<String> {
        let oldest = self
            .start
            .unwrap_or(self.end - Duration::days(31 * i64::from(KEPT_MONTHS)));
        let (mut year, mut month) = (self.end.year(), self.end.month());
        let mut months = Vec::new();
        loop {
            months.push(format!("{year:04}-{month:02}"));
            if (year, month) <= (oldest.year(), oldest.month()) || months.len() > 24 {
                return months;
            }
            (year, month) = if month == 1 {
                (year - 1, 12)
            } else {
                (year, month - 1)
            };
        }
    }
}

async fn read(
    store: &DynStore,
    query: Query,
    wanted: usize,
    into: &mut Vec<SecurityEvent>,
) -> ApiResult<()> {
    let mut cursor = None;
    while into.len() < wanted {
        let page = store.query(query.clone().after(cursor)).await?;
        for item in page.items {
            if into.len() < wanted {
                into.push(web::item::parse(item)?);
            }
        }
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    Ok(())
}

/// Up to `wanted` events the filters select, newest first.
async fn events(
    store: &DynStore,
    filters: &Checked,
    wanted: usize,
) -> ApiResult<Vec<SecurityEvent>> {
    let mut found = Vec::new();
    let with_filter = |query: Query, index: Index| match filters.filter(index) {
        Some(cond) => query.filter(cond),
        None => query,
    };
    if let Some((index, partition)) = filters.indexed() {
        let query = Query::partition(index, partition)
            .sort_key(filters.range())
            .backward();
        read(store, with_filter(query, index), wanted, &mut found).await?;
        return Ok(found);
    }
    for month in filters.months() {
        let query = Query::partition(Index::Table, security::month_partition(&month))
            .sort_key(filters.range())
            .backward();
        read(store, with_filter(query, Index::Table), wanted, &mut found).await?;
        if found.len() >= wanted {
            break;
        }
    }
    Ok(found)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SecurityLogs {
    /// Les événements, du plus récent au plus ancien.
    logs: Vec<SecurityEvent>,
}

#[utoipa::path(
    get,
    path = "/api/admin/security-logs",
    tag = "Sécurité",
    operation_id = "adminSecurityLogs",
    summary = "Journaux de sécurité",
    description = "Les événements de sécurité (chaque connexion, admise ou refusée), du plus récent au plus ancien, filtrés comme documenté. Les événements sont conservés un an.",
    params(Filters),
    responses(
        (status = 200, description = "Les événements.", body = Envelope<SecurityLogs>),
        (status = 400, description = "Filtre invalide.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Données invalides", "errors": {"riskLevel": ["riskLevel doit être low, medium ou high"]}})),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<Filters>,
) -> ApiResult<Json<Envelope<SecurityLogs>>> {
    let (filters, limit) = (params.checked()?, params.limit(MAX_LIMIT)?);
    let logs = events(&state.store, &filters, limit).await?;
    Ok(answers::ok(SecurityLogs { logs }))
}

#[utoipa::path(
    get,
    path = "/api/admin/security-logs/export",
    tag = "Sécurité",
    operation_id = "adminExportSecurityLogs",
    summary = "Export CSV des journaux de sécurité",
    description = "Les événements que les mêmes filtres choisissent (20 000 au plus, `limit` les réduit), en CSV : `date, eventType, ip, email, riskLevel, success`. Le fichier s'appelle `security_logs_<début>_to_<fin>.csv`. Une cellule qui commencerait par `=`, `+`, `-`, `@`, une tabulation ou un retour chariot est précédée d'une apostrophe, pour qu'un tableur ne l'exécute pas.",
    params(Filters),
    responses(
        (status = 200, description = "Le fichier CSV.", content_type = "text/csv", body = String),
        (status = 400, description = "Filtre invalide.", body = crate::openapi::schemas::Error),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<Filters>,
) -> ApiResult<Response> {
    let filters = params.checked()?;
    let wanted = match present(&params.limit) {
        Some(_) => params.limit(MAX_EXPORT)?,
        None => MAX_EXPORT,
    };
    let logs = events(&state.store, &filters, wanted).await?;
    let rows = logs.iter().map(|e| {
        vec![
            e.created_at.clone(),
            e.event_type.clone(),
            e.ip_address.clone(),
            e.email.clone().unwrap_or_default(),
            e.risk_level.clone(),
            e.success.to_string(),
        ]
    });
    let first = logs.last().map(|e| e.created_at.clone());
    let from = filters
        .start
        .map(web::time::format)
        .or(first)
        .unwrap_or_else(web::time::now);
    let to = web::time::format(filters.end - Duration::milliseconds(1));
    let name = format!("security_logs_{}_to_{}.csv", &from[..10], &to[..10]);
    csv_file(
        &name,
        &["date", "eventType", "ip", "email", "riskLevel", "success"],
        rows,
    )
}
