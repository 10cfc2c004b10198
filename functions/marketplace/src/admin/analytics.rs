//! `marketplace-admin.md` §1: the API's traffic, as the API itself counts it (each request
//! moves its hour's counters before it answers: `web::analytics`), answered as the document
//! shows it, without the envelope.

use crate::AppState;
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use web::analytics::{self, Tally};
use web::auth::AuthUser;
use web::extract::Query as QueryParams;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(overview, Access::Roles(Role::ADMIN)),
        route!(hourly, Access::Roles(Role::ADMIN)),
    ]
}

const DEFAULT_DAYS: u32 = 30;
const MAX_DAYS: u32 = 90;

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ApiStats)]
struct Stats {
    #[schema(example = json!(15420))]
    total_requests: u64,
    /// Temps de réponse moyen, en millisecondes.
    #[schema(example = json!(145))]
    avg_response_time: u64,
    /// Part des réponses 4xx et 5xx, de 0 à 1.
    #[schema(example = json!(0.02))]
    error_rate: f64,
}

impl From<&Tally> for Stats {
    fn from(tally: &Tally) -> Self {
        Stats {
            total_requests: tally.requests,
            avg_response_time: tally.mean_millis(),
            error_rate: tally.error_rate(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = EndpointStats)]
struct EndpointUse {
    #[schema(example = json!("GET /api/providers"))]
    endpoint: String,
    #[schema(example = json!(3500))]
    count: u64,
    /// En millisecondes.
    #[schema(example = json!(120))]
    avg_response_time: u64,
    #[schema(example = json!(0.01))]
    error_rate: f64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ApiAnalytics)]
struct Overview {
    stats: Stats,
    /// Les routes, de la plus appelée à la moins appelée.
    endpoints: Vec<EndpointUse>,
    /// Le nombre de jours comptés, jusqu'à aujourd'hui (UTC).
    #[schema(example = json!(30))]
    days: u32,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct OverviewParams {
    /// Jours comptés jusqu'à aujourd'hui inclus (défaut 30, 90 au plus).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 90, default = 30)]
    days: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/admin/analytics",
    tag = "Tableau de bord",
    operation_id = "adminAnalytics",
    summary = "Statistiques API",
    description = "Les appels de l'API sur les derniers jours (30 par défaut) : leur nombre, le temps de réponse moyen, la part d'erreurs (4xx et 5xx), et chaque route de la plus appelée à la moins appelée. Chaque requête compte ses compteurs de l'heure avant de répondre. La réponse est l'objet du document, sans enveloppe.",
    params(OverviewParams),
    responses(
        (status = 200, description = "Le trafic.", body = Overview),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn overview(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<OverviewParams>,
) -> ApiResult<Json<Overview>> {
    let days = match params.days.as_deref().filter(|d| !d.is_empty()) {
        None => DEFAULT_DAYS,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=MAX_DAYS).contains(d))
            .ok_or_else(|| {
                ApiError::field(
                    "days",
                    format!("days doit être un entier de 1 à {MAX_DAYS}"),
                )
            })?,
    };
    let sum = analytics::period(&state.store, Utc::now().date_naive(), days).await?;
    let mut endpoints: Vec<EndpointUse> = sum
        .routes
        .iter()
        .map(|(route, tally)| EndpointUse {
            endpoint: route.clone(),
            count: tally.requests,
            avg_response_time: tally.mean_millis(),
            error_rate: tally.error_rate(),
        })
        .collect();
    endpoints.sort_by(|a, b| b.count.cmp(&a.count).then(a.endpoint.cmp(&b.endpoint)));
    Ok(Json(Overview {
        stats: Stats::from(&sum.total),
        endpoints,
        days,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = HourStats)]
struct HourUse {
    /// De 0 à 23 (UTC).
    #[schema(example = json!(9))]
    hour: u32,
    #[schema(example = json!(640))]
    requests: u64,
    #[schema(example = json!(130))]
    avg_response_time: u64,
    #[schema(example = json!(0.02))]
    error_rate: f64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = HourlyAnalytics)]
struct Hourly {
    #[schema(example = json!("2026-01-15"))]
    date: String,
    stats: Stats,
    /// Les 24 heures de la journée, de 0 h à 23 h.
    hours: Vec<HourUse>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct HourlyParams {
    /// La journée (`YYYY-MM-DD`, UTC) ; aujourd'hui par défaut.
    #[param(example = "2026-01-15", pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    date: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/admin/analytics/hourly",
    tag = "Tableau de bord",
    operation_id = "adminAnalyticsHourly",
    summary = "Répartition horaire",
    description = "Le trafic d'une journée heure par heure (UTC) : requêtes, temps de réponse moyen et part d'erreurs de chaque heure. La réponse est sans enveloppe, comme `GET /api/admin/analytics`.",
    params(HourlyParams),
    responses(
        (status = 200, description = "Les 24 heures.", body = Hourly),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn hourly(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<HourlyParams>,
) -> ApiResult<Json<Hourly>> {
    let date = match params.date.as_deref().filter(|d| !d.is_empty()) {
        None => Utc::now().date_naive(),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| ApiError::field("date", "date doit être une date YYYY-MM-DD"))?,
    };
    let hours = analytics::day(&state.store, date).await?;
    let mut total = analytics::Hour::default();
    for hour in &hours {
        total.add(hour);
    }
    let hours = hours
        .iter()
        .zip(0u32..)
        .map(|(h, hour)| HourUse {
            hour,
            requests: h.total.requests,
            avg_response_time: h.total.mean_millis(),
            error_rate: h.total.error_rate(),
        })
        .collect();
    Ok(Json(Hourly {
        date: date.format("%Y-%m-%d").to_string(),
        stats: Stats::from(&total.total),
        hours,
    }))
}
