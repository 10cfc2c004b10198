//! `GET /api/health` (the API and its store answer) and `GET /api/stats` (the platform's
//! figures, each read from a total moved in the transaction of the write it counts).

use crate::AppState;
use crate::ledger::{self, Kind};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use web::money::Money;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::Choice;
use web::{ApiError, ApiResult, counters};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(health, Access::Public),
        route!(stats, Access::Public),
    ]
}

#[derive(Serialize, utoipa::ToSchema)]
struct Health {
    #[schema(example = json!("ok"))]
    status: &'static str,
    /// La table a répondu.
    #[schema(example = json!("ok"))]
    store: &'static str,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    timestamp: String,
}

#[utoipa::path(
    get,
    path = "/api/health",
    tag = "System",
    operation_id = "health",
    summary = "État de l'API",
    description = "Répond 200 quand l'API et sa table répondent (une lecture réelle), 503 sinon.",
    responses((status = 200, description = "Tout répond.", body = Health))
)]
async fn health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    let probe = store::Key::new("HEALTH", "PROBE");
    state.store.get(&probe).await.map_err(ApiError::from)?;
    Ok(Json(Health {
        status: "ok",
        store: "ok",
        timestamp: web::time::now(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct Stats {
    /// Comptes de fans.
    #[schema(example = json!(1250))]
    fans: u64,
    /// Tous les comptes (fans, contrôleurs, administrateurs).
    #[schema(example = json!(1262))]
    accounts: u64,
    /// Écritures du grand livre, tous types confondus.
    #[schema(example = json!(8410))]
    transactions: i64,
    /// Transferts entre fans.
    #[schema(example = json!(3120))]
    transfers: i64,
    /// Montant des transferts entre fans, en euros.
    #[schema(value_type = f64, example = json!(48210.5))]
    transferred: Money,
}

#[utoipa::path(
    get,
    path = "/api/stats",
    tag = "System",
    operation_id = "stats",
    summary = "Statistiques",
    description = "Les chiffres de la plateforme, lus dans des totaux tenus par les écritures qu'ils comptent (jamais en parcourant la table).",
    responses((status = 200, description = "Les chiffres.", body = Stats))
)]
async fn stats(State(state): State<AppState>) -> ApiResult<Json<Stats>> {
    let store = &state.store;
    let roles: Vec<String> = Role::NAMES
        .iter()
        .map(|r| crate::accounts::role_total(r))
        .collect();
    let (accounts, tally) = tokio::try_join!(
        counters::totals(store, &roles),
        counters::sharded_fields(store, ledger::TALLY),
    )?;
    let field = |name: String| tally.get(&name).copied().unwrap_or(0);
    let transfer = Kind::Transfer.as_str();
    Ok(Json(Stats {
        fans: accounts.first().copied().unwrap_or(0),
        accounts: accounts.iter().sum(),
        transactions: Kind::ALL
            .iter()
            .map(|kind| field(ledger::count_field(kind.as_str())))
            .sum(),
        transfers: field(ledger::count_field(transfer)),
        transferred: Money::from_minor(field(ledger::volume_field(transfer))),
    }))
}
