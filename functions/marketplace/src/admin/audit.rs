//! `marketplace-admin.md` §9: the audit log, filtered as documented, and the verification of
//! its hash chain.

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::audit::{self, Entry, Verdict};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::{Cond, Index, Query};
use web::auth::AuthUser;
use web::extract::Query as QueryParams;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Roles(Role::ADMIN)),
        route!(check, Access::Roles(Role::ADMIN)),
    ]
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
struct ListParams {
    /// Nombre d'entrées (défaut 50, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 50)]
    limit: Option<String>,
    /// Les actions d'un administrateur.
    #[param(
        pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    user_id: Option<String>,
    /// `User`, `Provider`, `Review`, etc.
    #[param(pattern = "^[A-Za-z]{1,50}$")]
    entity_type: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct AuditLogs {
    /// Les entrées, de la plus récente à la plus ancienne.
    logs: Vec<Entry>,
}

#[utoipa::path(
    get,
    path = "/api/admin/audit-logs",
    tag = "Audit",
    operation_id = "adminAuditLogs",
    summary = "Journal d'audit",
    description = "Les actions des administrateurs, de la plus récente à la plus ancienne : l'acteur, son adresse IP, l'action, l'entité, les valeurs avant et après, et le motif. Les entrées sont chaînées par leurs empreintes (`prevHash`, `hash`) : `GET /api/admin/audit-logs/verify` vérifie la chaîne. Le journal est conservé en entier.",
    params(ListParams),
    responses(
        (status = 200, description = "Les entrées.", body = Envelope<AuditLogs>),
        (status = 400, description = "Filtre invalide.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Données invalides", "errors": {"userId": ["userId doit être un UUID"]}})),
    )
)]
async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<Envelope<AuditLogs>>> {
    let limit = web::pagination::Pager::parse(None, params.limit.as_deref(), 50)?.limit;
    let user_id = params.user_id.as_deref().filter(|v| !v.is_empty());
    let entity_type = params.entity_type.as_deref().filter(|v| !v.is_empty());
    if let Some(id) = user_id
        && uuid::Uuid::parse_str(id).is_err()
    {
        return Err(ApiError::field("userId", "userId doit être un UUID"));
    }
    if let Some(kind) = entity_type
        && !(1..=50).contains(&kind.len()) | !kind.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return Err(ApiError::field("entityType", "entityType invalide"));
    }
    let query = match (user_id, entity_type) {
        (Some(id), kind) => {
            let query = Query::partition(audit::BY_ACTOR, audit::actor_partition(id));
            match kind {
                Some(kind) => query.filter(Cond::eq("entityType", kind)),
                None => query,
            }
        }
        (None, Some(kind)) => Query::partition(audit::BY_ENTITY, audit::entity_partition(kind)),
        (None, None) => Query::partition(Index::Table, audit::PARTITION),
    };
    let pager = web::pagination::Pager { page: 1, limit };
    let items = web::pagination::read_page(&state.store, query.backward(), pager).await?;
    let logs = items
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok(answers::ok(AuditLogs { logs }))
}

#[utoipa::path(
    get,
    path = "/api/admin/audit-logs/verify",
    tag = "Audit",
    operation_id = "adminVerifyAuditLogs",
    summary = "Vérifier la chaîne du journal d'audit",
    description = "Relit le journal depuis sa première entrée : chaque entrée doit porter l'empreinte de la précédente, son rang, et l'empreinte que ses champs donnent. Une entrée modifiée, supprimée ou insérée après coup rompt la chaîne ; la première qui la rompt est nommée.",
    responses(
        (status = 200, description = "Le verdict.", body = Envelope<Verdict>, example = json!({"success": true, "data": {"valid": false, "entries": 41, "firstBroken": {"seq": 42, "id": "6c78d566-7b3b-4990-9d72-3df52738fc21", "reason": "son empreinte ne correspond pas à son contenu"}}})),
    )
)]
async fn check(
    State(state): State<AppState>,
    _caller: AuthUser,
) -> ApiResult<Json<Envelope<Verdict>>> {
    Ok(answers::ok(audit::verify(&state.store).await?))
}
