//! Plans (forfaits): public list with filters and details; admin create, update and delete.
//! Prices are integer centimes inside and two-decimal numbers on the wire.

use crate::AppState;
use crate::openapi::bodies::{PlanCreate, PlanUpdate};
use crate::openapi::{Conflict, Error, Message, PlanType};
use crate::operators::{self, Operator};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use store::{Cond, DynStore, Index, Item, Key, Placement, Query, TxOp, Update};
use web::auth::AuthUser;
use web::auth::MaybeUser;
use web::counters::{self, padded};
use web::extract::{Command, PathId, Query as QueryParams};
use web::money::Money;
use web::pagination::read_all;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub const PLAN_TYPES: [&str; 3] = ["credit", "minutes", "internet"];

mod admin;
pub(crate) mod fields;
pub use admin::insert;
pub use fields::PlanFields;

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Public),
        route!(admin::create, Access::Roles(Role::ADMIN)),
        route!(details, Access::Public),
        route!(admin::update, Access::Roles(Role::ADMIN)),
        route!(admin::remove, Access::Roles(Role::ADMIN)),
    ]
}

/// A plan as stored (its record).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub id: i64,
    pub operator_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub price_minor: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub validity_days: Option<i64>,
    pub active: bool,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: String,
    /// Orders placed for it (moved by their writes, in the same transaction).
    #[serde(default)]
    pub order_count: i64,
}

impl Plan {
    pub fn price(&self) -> Money {
        Money::from_minor(self.price_minor)
    }
}

/// A plan as the API renders it; `operator_name` is present where the document shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(description = "Forfait.")]
#[schema(as = Plan)]
pub struct PlanView {
    #[schema(example = json!(1))]
    pub id: i64,
    #[schema(example = json!(1))]
    pub operator_id: i64,
    /// Nom de l'opérateur (liste, détails et modification ; absent de la réponse de création).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!("Orange CI"), nullable = false)]
    pub operator_name: Option<String>,
    #[schema(example = json!("Recharge 1000 FCFA"))]
    pub name: String,
    #[schema(required = true, example = json!("Crédit de communication de 1000 FCFA"))]
    pub description: Option<String>,
    pub price: Money,
    #[serde(rename = "type")]
    #[schema(value_type = crate::openapi::schemas::PlanType)]
    pub kind: String,
    /// Validité en jours, `null` sans limite.
    #[schema(required = true, example = json!(7), format = Int32)]
    pub validity_days: Option<i64>,
    #[schema(example = json!(true))]
    pub active: bool,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
}

impl PlanView {
    fn of(plan: Plan, operator_name: Option<String>) -> Self {
        PlanView {
            price: plan.price(),
            id: plan.id,
            operator_id: plan.operator_id,
            operator_name,
            name: plan.name,
            description: plan.description,
            kind: plan.kind,
            validity_days: plan.validity_days,
            active: plan.active,
            created_at: plan.created_at,
        }
    }
}

pub fn plan_key(id: i64) -> Key {
    Key::new(format!("PLAN#{id}"), "PLAN")
}

/// The operator a plan is added to: it must exist (its count's condition).
const NEW_OPERATOR: &str = "new_operator";

/// A plan's key layout: listed with every plan (gsi1) and by its operator (gsi2), by id.
fn placement(id: i64, operator_id: i64) -> Placement {
    Placement::new(plan_key(id))
        .listed(ALL, "PLANS", padded(id))
        .listed(BY_OPERATOR, operator_partition(operator_id), padded(id))
}

/// The indexes plans are listed in.
const ALL: Index = Index::Gsi1;
const BY_OPERATOR: Index = Index::Gsi2;

fn operator_partition(operator_id: i64) -> String {
    format!("PLANS#OP#{operator_id}")
}

fn parse(item: Item) -> ApiResult<Plan> {
    web::item::parse(item)
}

fn not_found() -> ApiError {
    ApiError::not_found("Plan non trouvé")
}

pub async fn find(store: &DynStore, id: i64) -> ApiResult<Option<Plan>> {
    store.get(&plan_key(id)).await?.map(parse).transpose()
}

/// A transaction step that counts one more order of `plan`, and fails when the plan is gone,
/// inactive, or its price or operator changed since it was read: the order is charged the
/// price the client was shown.
pub fn count_order(plan: &Plan) -> TxOp {
    TxOp::Update {
        key: plan_key(plan.id),
        update: Update::new().add("order_count", 1),
        cond: Some(
            Cond::Exists
                .and(Cond::eq("active", true))
                .and(Cond::eq("price_minor", plan.price_minor))
                .and(Cond::eq("operator_id", plan.operator_id)),
        ),
    }
}

#[derive(Deserialize)]
struct ListParams {
    operator_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    active: Option<String>,
}

/// The catalogue: its active plans for everyone; every plan, and the `active` filter, for an
/// admin (a plan switched off is not for sale, and not shown to clients).
#[utoipa::path(
    get,
    path = "/api/plans",
    tag = "Plans",
    operation_id = "listPlans",
    summary = "Liste des forfaits",
    description = "Récupère la liste de tous les forfaits disponibles, filtrée au besoin.\n\nExemple : `GET /api/plans?operator_id=1&type=credit&active=true`\n\nSans jeton d'admin, seuls les forfaits actifs sont listés (un forfait désactivé n'est plus en vente) ; un admin (jeton `Bearer`) les voit tous et peut filtrer par `active`. Un jeton absent, invalide ou d'une session terminée vaut un appel anonyme : la route reste publique.",
    params(
        ("operator_id" = Option<i64>, Query, description = "Filtrer par opérateur."),
        ("type" = Option<PlanType>, Query, description = "Filtrer par type."),
        ("active" = Option<bool>, Query, description = "Filtrer par statut (admin ; pour les autres, seuls les forfaits actifs sont listés)."),
    ),
    responses(
        (status = 200, description = "Les forfaits.", body = Vec<PlanView>, example = json!([{"id": 1, "operator_id": 1, "operator_name": "Orange CI", "name": "Recharge 1000 FCFA", "description": "Crédit de communication de 1000 FCFA", "price": 1000.0, "type": "credit", "validity_days": null, "active": true, "created_at": "2025-01-01T00:00:00.000Z"}, {"id": 2, "operator_id": 1, "operator_name": "Orange CI", "name": "Forfait Yango 1Go", "description": "1Go d'internet valable 7 jours", "price": 500.0, "type": "internet", "validity_days": 7, "active": true, "created_at": "2025-01-01T00:00:00.000Z"}])),
        (status = 400, description = "Paramètre invalide.", body = Error, examples(("e1" = (summary = "Paramètres de requête invalides", value = json!({"error": "Paramètres de requête invalides", "details": "type doit être credit, minutes ou internet"}))), ("e2" = (summary = "Paramètres de requête invalides", value = json!({"error": "Paramètres de requête invalides", "details": "active doit être true ou false"}))), ("e3" = (summary = "Paramètres de requête invalides", value = json!({"error": "Paramètres de requête invalides", "details": "operator_id doit être un entier"}))))),
    )
)]
async fn list(
    State(state): State<AppState>,
    caller: MaybeUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<Vec<PlanView>>> {
    let bad = |details: &'static str| {
        ApiError::bad_request("Paramètres de requête invalides").with_details(details)
    };
    let mut filters = Vec::new();
    if let Some(kind) = params.kind.filter(|k| !k.is_empty()) {
        if !PLAN_TYPES.contains(&kind.as_str()) {
            return Err(bad("type doit être credit, minutes ou internet"));
        }
        filters.push(Cond::eq("type", kind));
    }
    if !caller.has_role(Role::ADMIN) {
        filters.push(Cond::eq("active", true));
    }
    match params.active.as_deref() {
        None | Some("") => {}
        Some("true") => filters.push(Cond::eq("active", true)),
        Some("false") => filters.push(Cond::eq("active", false)),
        Some(_) => return Err(bad("active doit être true ou false")),
    }
    let query = match params.operator_id.filter(|o| !o.is_empty()) {
        Some(op) => {
            let id: i64 = op
                .parse()
                .map_err(|_| bad("operator_id doit être un entier"))?;
            Query::partition(BY_OPERATOR, operator_partition(id))
        }
        None => Query::partition(ALL, "PLANS"),
    };
    let query = match filters.len() {
        0 => query,
        1 => query.filter(filters.remove(0)),
        _ => query.filter(Cond::And(filters)),
    };
    // Two independent reads, side by side: one store round trip instead of two.
    let (operators, items) =
        tokio::join!(operators::all(&state.store), read_all(&state.store, query));
    let names: HashMap<i64, String> = operators?
        .into_iter()
        .map(|o: Operator| (o.id, o.name))
        .collect();
    let plans = items?
        .into_iter()
        .map(|item| {
            let plan = parse(item)?;
            let name = names.get(&plan.operator_id).cloned();
            Ok(PlanView::of(plan, name))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(plans))
}

/// The active plans of `operator` (its own partition of the index), as the list shows them.
pub async fn active_of(store: &DynStore, operator: &Operator) -> ApiResult<Vec<PlanView>> {
    let query = Query::partition(BY_OPERATOR, operator_partition(operator.id))
        .filter(Cond::eq("active", true));
    read_all(store, query)
        .await?
        .into_iter()
        .map(|item| Ok(PlanView::of(parse(item)?, Some(operator.name.clone()))))
        .collect()
}

#[utoipa::path(
    get,
    path = "/api/plans/{id}",
    tag = "Plans",
    operation_id = "getPlan",
    summary = "Détails d'un forfait",
    description = "Récupère les détails d'un forfait spécifique.",
    responses(
        (status = 200, description = "Forfait.", body = PlanView, example = json!({"id": 1, "operator_id": 1, "operator_name": "Orange CI", "name": "Recharge 1000 FCFA", "description": "Crédit de communication de 1000 FCFA", "price": 1000.0, "type": "credit", "validity_days": null, "active": true, "created_at": "2025-01-01T00:00:00.000Z"})),
        (status = 404, description = "Forfait non trouvé.", body = Error, example = json!({"error": "Plan non trouvé"})),
    )
)]
async fn details(State(state): State<AppState>, PathId(id): PathId) -> ApiResult<Json<PlanView>> {
    let plan = find(&state.store, id).await?.ok_or_else(not_found)?;
    let name = operators::find(&state.store, plan.operator_id)
        .await?
        .map(|o| o.name);
    Ok(Json(PlanView::of(plan, name)))
}
