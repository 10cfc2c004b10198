//! A provider's services: what it offers, at what price (FCFA), written by the provider and
//! read by anyone while the provider and the service are active. The dashboard's count of
//! active services moves in the same transaction as each write.
//!
//! Items: the service at `SERVICE#<id>`, listed by provider in gsi1
//! (`SERVICES#<providerId>`, oldest first).

use crate::AppState;
use crate::answers::{self, Done, Envelope};
use crate::providers::{self, Provider};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::{Cond, Index, Key, Placement, Query, TxOp};
use uuid::Uuid;
use web::auth::AuthUser;
use web::extract::{Command, PathId};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult, counters};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(add, Access::Roles(Role::PROVIDER)),
        route!(change, Access::Roles(Role::PROVIDER)),
        route!(remove, Access::Roles(Role::PROVIDER)),
        route!(mine, Access::Roles(Role::PROVIDER)),
        route!(offered, Access::Public),
    ]
}

/// The most services a provider offers.
const MAX_SERVICES: usize = 50;
const ACTIVE_TOTAL: &str = "services#active";

/// A service as stored and as clients see it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub id: String,
    pub provider_id: String,
    #[schema(example = json!("Tresses africaines"))]
    pub name: String,
    pub description: Option<String>,
    /// Prix en FCFA (XAF, sans sous-unité).
    #[schema(example = json!(15000))]
    pub price: u64,
    /// Durée en minutes.
    #[schema(example = json!(120))]
    pub duration_minutes: Option<u32>,
    pub is_active: bool,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub updated_at: String,
}

const BY_PROVIDER: Index = Index::Gsi1;

fn key(id: &str) -> Key {
    Key::new(format!("SERVICE#{id}"), "SERVICE")
}

fn provider_partition(provider_id: &str) -> String {
    format!("SERVICES#{provider_id}")
}

impl Service {
    fn stored(&self, cond: Cond) -> ApiResult<TxOp> {
        let place = format!("{}#{}", self.created_at, self.id);
        let item = Placement::new(key(&self.id))
            .listed(BY_PROVIDER, provider_partition(&self.provider_id), place)
            .item(web::item::record(self)?);
        Ok(TxOp::Put {
            item,
            cond: Some(cond),
        })
    }
}

// `POST` and `PUT /api/providers/my-services...`.
#[derive(utoipa::ToSchema)]
#[schema(as = ServiceRequest, example = json!({"name": "Tresses africaines", "description": "Tresses sur cheveux naturels", "price": 15000, "durationMinutes": 120, "isActive": true}))]
struct ServiceFields {
    #[schema(min_length = 2, max_length = 100, pattern = "\\S")]
    name: String,
    #[schema(max_length = 1000)]
    description: Option<String>,
    /// Prix en FCFA, de 0 à 10 000 000.
    #[schema(minimum = 0, maximum = 10000000)]
    price: u64,
    #[schema(rename = "durationMinutes", minimum = 1, maximum = 10080)]
    duration_minutes: Option<u32>,
    /// Défaut : true.
    #[schema(rename = "isActive", nullable = false)]
    is_active: Option<bool>,
}

impl TryFrom<&Map<String, Value>> for ServiceFields {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let name = fields.required_with("name", |v| match v.as_str().map(str::trim) {
            Some(text) if (2..=100).contains(&text.chars().count()) => Ok(text.to_owned()),
            _ => Err("name doit contenir de 2 à 100 caractères".into()),
        });
        let description =
            fields.optional_with("description", |v| match v.as_str().map(str::trim) {
                Some(text) if text.chars().count() <= 1000 => Ok(text.to_owned()),
                _ => Err("description contient 1000 caractères au plus".into()),
            });
        let price = fields.required_with("price", |v| {
            v.as_u64()
                .filter(|p| *p <= 10_000_000)
                .ok_or_else(|| "price doit être un montant entier en FCFA (0 à 10 000 000)".into())
        });
        let duration_minutes = fields.optional_with("durationMinutes", |v| {
            v.as_u64()
                .filter(|d| (1..=10_080).contains(d))
                .and_then(|d| u32::try_from(d).ok())
                .ok_or_else(|| "durationMinutes doit être un nombre de minutes (1 à 10080)".into())
        });
        let is_active = fields.optional_with("isActive", |v| {
            v.as_bool()
                .ok_or_else(|| "isActive doit être un booléen".into())
        });
        match (name, price) {
            (Some(name), Some(price)) => {
                fields.finish()?;
                Ok(ServiceFields {
                    name,
                    description,
                    price,
                    duration_minutes,
                    is_active,
                })
            }
            _ => Err(fields.into_error()),
        }
    }
}

/// Removes every service of `provider_id` (one removed already is left as it is).
pub async fn removed_all(store: &store::DynStore, provider_id: &str) -> ApiResult<()> {
    let query = Query::partition(BY_PROVIDER, provider_partition(provider_id));
    for item in web::pagination::read_all(store, query).await? {
        let service: Service = web::item::parse(item)?;
        let mut ops = vec![TxOp::Delete {
            key: key(&service.id),
            cond: Some(Cond::eq("isActive", service.is_active)),
        }];
        if service.is_active {
            ops.push(counters::bump(ACTIVE_TOTAL, -1));
        }
        match store.transact(ops).await {
            Err(e) if e.is_condition_failed() => {}
            other => other?,
        }
    }
    Ok(())
}

async fn own_provider(state: &AppState, caller: &AuthUser) -> ApiResult<Provider> {
    providers::of_caller(&state.store, caller).await
}

async fn services_of(state: &AppState, provider_id: &str) -> ApiResult<Vec<Service>> {
    let query = Query::partition(BY_PROVIDER, provider_partition(provider_id));
    web::pagination::read_all(&state.store, query)
        .await?
        .into_iter()
        .map(web::item::parse)
        .collect()
}

#[derive(Serialize, utoipa::ToSchema)]
struct OneService {
    service: Service,
}

#[utoipa::path(
    post,
    path = "/api/providers/my-services",
    tag = "Services",
    operation_id = "addService",
    summary = "Ajouter un service",
    description = "Un service du prestataire de l'appelant (50 au plus), prix en FCFA.",
    request_body = ServiceFields,
    responses(
        (status = 201, description = "Service ajouté.", body = Envelope<OneService>),
        (status = 404, description = "L'appelant n'a pas de profil prestataire.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Profil prestataire non trouvé"})),
        (status = 409, description = "50 services déjà.", body = crate::openapi::schemas::Error),
    )
)]
async fn add(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(fields, _): Command<ServiceFields>,
) -> ApiResult<(StatusCode, Json<Envelope<OneService>>)> {
    let provider = own_provider(&state, &caller).await?;
    if services_of(&state, &provider.id).await?.len() >= MAX_SERVICES {
        return Err(ApiError::conflict(format!(
            "{MAX_SERVICES} services au plus"
        )));
    }
    let now = web::time::now();
    let service = Service {
        id: Uuid::new_v4().to_string(),
        provider_id: provider.id,
        name: fields.name,
        description: fields.description,
        price: fields.price,
        duration_minutes: fields.duration_minutes,
        is_active: fields.is_active.unwrap_or(true),
        created_at: now.clone(),
        updated_at: now,
    };
    let mut ops = vec![service.stored(Cond::NotExists)?];
    if service.is_active {
        ops.push(counters::bump(ACTIVE_TOTAL, 1));
    }
    state.store.transact(ops).await?;
    Ok((
        StatusCode::CREATED,
        answers::done("Service ajouté", OneService { service }),
    ))
}

/// The caller's provider's service `id`, as it is now.
async fn own_service(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<Service> {
    let not_found = || ApiError::not_found("Service non trouvé");
    let provider = own_provider(state, caller).await?;
    let service: Service = state
        .store
        .get(&key(&id.to_string()))
        .await?
        .map(web::item::parse)
        .transpose()?
        .ok_or_else(not_found)?;
    if service.provider_id == provider.id {
        Ok(service)
    } else {
        Err(not_found())
    }
}

#[utoipa::path(
    put,
    path = "/api/providers/my-services/{id}",
    tag = "Services",
    operation_id = "changeService",
    summary = "Modifier un service",
    description = "Le service entier de nouveau ; `isActive: false` le retire de la page publique sans le supprimer.",
    request_body = ServiceFields,
    responses(
        (status = 200, description = "Service modifié.", body = Envelope<OneService>),
        (status = 404, description = "Service inconnu, ou d'un autre prestataire.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Service non trouvé"})),
        (status = 409, description = "Changé entre-temps.", body = crate::openapi::schemas::Error),
    )
)]
async fn change(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<Uuid>,
    Command(fields, _): Command<ServiceFields>,
) -> ApiResult<Json<Envelope<OneService>>> {
    let was = own_service(&state, &caller, id).await?;
    let service = Service {
        name: fields.name,
        description: fields.description,
        price: fields.price,
        duration_minutes: fields.duration_minutes,
        is_active: fields.is_active.unwrap_or(was.is_active),
        updated_at: web::time::now(),
        ..was.clone()
    };
    let mut ops = vec![service.stored(Cond::eq("updatedAt", was.updated_at.clone()))?];
    match (was.is_active, service.is_active) {
        (false, true) => ops.push(counters::bump(ACTIVE_TOTAL, 1)),
        (true, false) => ops.push(counters::bump(ACTIVE_TOTAL, -1)),
        _ => {}
    }
    match state.store.transact(ops).await {
        Err(e) if e.is_condition_failed() => {
            Err(ApiError::conflict("Le service a changé entre-temps"))
        }
        other => {
            other?;
            Ok(answers::done("Service modifié", OneService { service }))
        }
    }
}

#[utoipa::path(
    delete,
    path = "/api/providers/my-services/{id}",
    tag = "Services",
    operation_id = "removeService",
    summary = "Supprimer un service",
    responses(
        (status = 200, description = "Service supprimé.", body = Done, example = json!({"success": true, "message": "Service supprimé"})),
        (status = 404, description = "Service inconnu, ou d'un autre prestataire.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Service non trouvé"})),
    )
)]
async fn remove(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<Uuid>,
) -> ApiResult<Json<Done>> {
    let service = own_service(&state, &caller, id).await?;
    let mut ops = vec![TxOp::Delete {
        key: key(&service.id),
        cond: Some(Cond::eq("isActive", service.is_active)),
    }];
    if service.is_active {
        ops.push(counters::bump(ACTIVE_TOTAL, -1));
    }
    match state.store.transact(ops).await {
        Err(e) if e.is_condition_failed() => {
            Err(ApiError::conflict("Le service a changé entre-temps"))
        }
        other => {
            other?;
            Ok(Done::said("Service supprimé"))
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct Services {
    services: Vec<Service>,
}

#[utoipa::path(
    get,
    path = "/api/providers/my-services",
    tag = "Services",
    operation_id = "myServices",
    summary = "Mes services",
    description = "Tous les services du prestataire de l'appelant, actifs ou non, du premier ajouté au dernier.",
    responses(
        (status = 200, description = "Les services.", body = Envelope<Services>),
        (status = 404, description = "L'appelant n'a pas de profil prestataire.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Profil prestataire non trouvé"})),
    )
)]
async fn mine(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Envelope<Services>>> {
    let provider = own_provider(&state, &caller).await?;
    let services = services_of(&state, &provider.id).await?;
    Ok(answers::ok(Services { services }))
}

#[utoipa::path(
    get,
    path = "/api/providers/{id}/services",
    tag = "Services",
    operation_id = "providerServices",
    summary = "Les services d'un prestataire",
    description = "Les services actifs d'un prestataire actif et vérifié, du premier ajouté au dernier.",
    responses(
        (status = 200, description = "Les services.", body = Envelope<Services>),
        (status = 404, description = "Prestataire inconnu, masqué ou pas encore vérifié.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
    )
)]
async fn offered(
    State(state): State<AppState>,
    PathId(id): PathId<Uuid>,
) -> ApiResult<Json<Envelope<Services>>> {
    let provider = providers::find(&state.store, &id.to_string())
        .await?
        .filter(|p| p.is_active && p.is_verified)
        .ok_or_else(|| ApiError::not_found("Prestataire non trouvé"))?;
    let mut services = services_of(&state, &provider.id).await?;
    services.retain(|s| s.is_active);
    Ok(answers::ok(Services { services }))
}
