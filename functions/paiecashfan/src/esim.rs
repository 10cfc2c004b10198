//! eSIM (`/api/esim`): club-branded data plans, bought from the wallet. `activate` debits the
//! wallet and creates the eSIM in one transaction, and answers its activation code in the
//! GSMA SGP.22 form `LPA:1$<SM-DP+ address>$<matching id>` with its QR code, drawn here as
//! SVG. The code is a secret (whoever scans it owns the line): only its owner ever reads it.
//!
//! Items: a plan at `ESIM_PLAN#<id>`, listed in gsi1 (`ESIM_PLANS`); an eSIM at `ESIM#<id>`,
//! listed in gsi1 under its owner (`ESIMS#<user>`, newest last).

use crate::AppState;
use crate::ledger::{self, Account, Entry, Kind};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::{Cond, Index, Key, Placement, Query, TxOp};
use web::auth::AuthUser;
use web::extract::{Command, Query as QueryParams};
use web::money::Money;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(plans, Access::Public),
        route!(activate, Access::AnyUser),
        route!(active, Access::AnyUser),
    ]
}

const LISTS: Index = Index::Gsi1;
const PLANS_PARTITION: &str = "ESIM_PLANS";

fn owner_partition(user: &str) -> String {
    format!("ESIMS#{user}")
}

/// A data plan as stored and listed.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = EsimPlan)]
pub struct Plan {
    #[schema(example = json!("psg-data-5"))]
    pub id: String,
    /// Le club dont le forfait porte les couleurs.
    #[schema(example = json!("psg"))]
    pub club_id: String,
    #[schema(example = json!("PSG Data 5 Go"))]
    pub name: String,
    /// Données comprises, en Go.
    #[schema(example = json!(5))]
    pub data_gb: u32,
    /// Durée de validité, en jours.
    #[schema(example = json!(30))]
    pub days: u32,
    /// En euros.
    #[schema(value_type = f64, example = json!(9.99))]
    pub price: Money,
}

impl Plan {
    pub fn stored(&self) -> ApiResult<store::Item> {
        let key = Key::new(format!("ESIM_PLAN#{}", self.id), "PLAN");
        Ok(Placement::new(key)
            .listed(LISTS, PLANS_PARTITION, self.id.clone())
            .item(web::item::record(self)?))
    }
}

/// An eSIM as stored, and as its owner reads it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Esim {
    #[schema(example = json!("3c0f7a2e-52a8-4d1b-9f0e-8a6e2b1c4d5f"))]
    pub id: String,
    #[schema(example = json!("psg-data-5"))]
    pub plan_id: String,
    #[schema(example = json!("psg"))]
    pub club_id: String,
    #[schema(example = json!("PSG Data 5 Go"))]
    pub name: String,
    #[schema(example = json!(5))]
    pub data_gb: u32,
    /// Payé, en euros.
    #[schema(value_type = f64, example = json!(9.99))]
    pub price: Money,
    /// Le code d'activation SGP.22, à saisir ou à scanner sur le téléphone.
    #[schema(example = json!("LPA:1$smdp.paiecashfan.local$8F2C4E6A0B1D3F5E7A9C"))]
    pub activation_code: String,
    #[schema(example = json!("active"))]
    pub status: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub activated_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub expires_at: String,
    #[serde(skip)]
    #[schema(ignore)]
    pub user_id: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PlanFilter {
    /// Les forfaits d'un club (`psg`).
    club: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = EsimPlans)]
struct Plans {
    plans: Vec<Plan>,
}

#[utoipa::path(
    get,
    path = "/api/esim/plans",
    tag = "eSIM",
    operation_id = "getESIMPlans",
    summary = "Forfaits disponibles",
    description = "Les forfaits de données, avec leur prix et leurs Go ; `club` ne garde que ceux d'un club.",
    params(PlanFilter),
    responses(
        (status = 200, description = "Les forfaits.", body = Plans),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn plans(
    State(state): State<AppState>,
    QueryParams(filter): QueryParams<PlanFilter>,
) -> ApiResult<Json<Plans>> {
    let club = filter.club.filter(|c| !c.is_empty());
    let plans = all_plans(&state)
        .await?
        .into_iter()
        .filter(|plan| club.as_ref().is_none_or(|club| &plan.club_id == club))
        .collect();
    Ok(Json(Plans { plans }))
}

/// Every plan on sale.
pub async fn all_plans(state: &AppState) -> ApiResult<Vec<Plan>> {
    web::item::all(&state.store, Query::partition(LISTS, PLANS_PARTITION)).await
}

// `POST /api/esim/activate`: `activateESIM(planId)`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "camelCase")]
#[schema(as = ActivateRequest, example = json!({"planId": "psg-data-5"}))]
pub struct Activation {
    plan_id: String,
}

impl TryFrom<&Map<String, Value>> for Activation {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let plan_id = fields.required_str("planId").map(str::to_owned);
        fields.finish()?;
        plan_id
            .map(|plan_id| Activation { plan_id })
            .ok_or_else(|| ApiError::internal("a plan refused without a message"))
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = EsimActivated)]
struct Activated {
    esim: Esim,
    /// Le QR code du code d'activation, en SVG.
    #[schema(example = json!("<?xml version=\"1.0\" standalone=\"yes\"?><svg ...>"))]
    qr_code_svg: String,
}

#[utoipa::path(
    post,
    path = "/api/esim/activate",
    tag = "eSIM",
    operation_id = "activateESIM",
    summary = "Activer un forfait",
    description = "`activateESIM(planId)` : débite le portefeuille du prix du forfait et crée l'eSIM dans la même transaction ; répond le code d'activation SGP.22 (`LPA:1$<adresse SM-DP+>$<matching id>`) et son QR code. Rien n'est débité si le solde ne couvre pas le prix.",
    request_body = Activation,
    responses(
        (status = 201, description = "Activé.", body = Activated),
        (status = 400, description = "Données invalides ou solde insuffisant.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "rejected", "message": "Solde insuffisant"}})),
        (status = 404, description = "Aucun forfait n'a cet identifiant.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "not_found", "message": "Forfait introuvable"}})),
    )
)]
async fn activate(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(Activation { plan_id }, _): Command<Activation>,
) -> ApiResult<(StatusCode, Json<Activated>)> {
    let key = Key::new(format!("ESIM_PLAN#{plan_id}"), "PLAN");
    let plan: Plan = web::item::get(&state.store, &key)
        .await?
        .ok_or_else(|| ApiError::not_found("Forfait introuvable"))?;
    let user_id = caller.id.to_string();
    let now = chrono::Utc::now();
    // The ICCID's matching id: 20 characters the SM-DP+ matches the download with.
    let matching_id = uuid::Uuid::new_v4().simple().to_string()[..20].to_uppercase();
    let esim = Esim {
        id: uuid::Uuid::new_v4().to_string(),
        plan_id: plan.id.clone(),
        club_id: plan.club_id.clone(),
        name: plan.name.clone(),
        data_gb: plan.data_gb,
        price: plan.price,
        activation_code: format!("LPA:1${}${matching_id}", state.config.smdp_address),
        status: "active".into(),
        activated_at: web::time::format(now),
        expires_at: web::time::format(now + chrono::Duration::days(i64::from(plan.days))),
        user_id: user_id.clone(),
    };
    let entry = Entry::new(
        Account::wallet(&user_id),
        Account::revenue("esim"),
        plan.price,
        Kind::Esim,
        format!("eSIM {}", plan.name),
    );
    let mut item = Placement::new(Key::new(format!("ESIM#{}", esim.id), "ESIM"))
        .listed(
            LISTS,
            owner_partition(&user_id),
            format!("{}#{}", esim.activated_at, esim.id),
        )
        .item(web::item::record(&esim)?);
    item.insert("userId".into(), user_id.into());
    let mut ops = vec![(
        "esim",
        TxOp::Put {
            item,
            cond: Some(Cond::NotExists),
        },
    )];
    ops.extend(ledger::posted(&entry)?);
    match ledger::commit(&state.store, ops).await {
        Ok(()) => {}
        Err(e) if e.failed(ledger::FUNDS) => return Err(ledger::insufficient_funds()),
        Err(e) => return Err(e.into()),
    }
    let qr_code_svg = crate::qr::svg(&esim.activation_code)?;
    Ok((StatusCode::CREATED, Json(Activated { esim, qr_code_svg })))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = MyEsims)]
struct Active {
    /// Les plus récentes d'abord.
    esims: Vec<Esim>,
}

#[utoipa::path(
    get,
    path = "/api/esim/active",
    tag = "eSIM",
    operation_id = "getActiveESIMs",
    summary = "Mes eSIM",
    description = "Les eSIM de l'appelant, les plus récentes d'abord, avec leur code d'activation : personne d'autre ne les voit.",
    responses((status = 200, description = "Les eSIM.", body = Active))
)]
async fn active(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<Active>> {
    let mut esims = owned(&state, &caller.id.to_string()).await?;
    esims.reverse();
    Ok(Json(Active { esims }))
}

/// The eSIMs of `user`, oldest first.
pub async fn owned(state: &AppState, user: &str) -> ApiResult<Vec<Esim>> {
    let query = Query::partition(LISTS, owner_partition(user));
    web::item::all(&state.store, query).await
}
