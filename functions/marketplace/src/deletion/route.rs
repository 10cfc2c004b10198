//! `DELETE /api/admin/users/{id}` (`marketplace-admin.md` §2), with its two guards.

use super::{Deletion, account_removal, finish};
use crate::AppState;
use crate::answers::{self, Envelope};
use crate::audit::{self, Action, Actor};
use crate::providers;
use crate::role::Role;
use crate::users;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;
use web::auth::AuthUser;
use web::auth::accounts::{self, Change};
use web::extract::{ClientIp, PathId};
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(delete_user, Access::Roles(Role::ADMIN))]
}

// The document's `deletedUser`.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DeletedUser)]
struct Deleted {
    id: String,
    email: String,
    first_name: String,
    last_name: String,
    #[schema(example = json!("provider"))]
    role: String,
    had_provider: bool,
    #[schema(example = json!("Salon Marie Coiffure"))]
    provider_business_name: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = UserDeleted)]
struct Answer {
    deleted_user: Deleted,
}

#[utoipa::path(
    delete,
    path = "/api/admin/users/{id}",
    tag = "Utilisateurs",
    operation_id = "adminDeleteUser",
    summary = "Supprimer un compte",
    description = "Supprime le compte et toutes ses données : il disparaît à l'instant de toutes les lectures (ses sessions finissent, son prestataire quitte les listes publiques), puis son prestataire, ses services, ses avis (la moyenne de chaque prestataire noté recalculée), ses favoris, ses demandes de contact et ses candidatures sont supprimés ; ses paiements sont gardés, anonymisés, pour les totaux. Une suppression interrompue reprend d'elle-même. Un admin ne peut supprimer ni son propre compte ni un autre admin (400). L'action est inscrite au journal d'audit.",
    responses(
        (status = 200, description = "Compte supprimé.", body = Envelope<Answer>, example = json!({"success": true, "message": "Utilisateur supprimé", "data": {"deletedUser": {"id": "8c43c085-0088-4037-94f1-e30d841b01c5", "email": "marie@example.com", "firstName": "Marie", "lastName": "Ndiaye", "role": "provider", "hadProvider": true, "providerBusinessName": "Salon Marie Coiffure"}}})),
        (status = 400, description = "Son propre compte, ou un admin.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Vous ne pouvez pas supprimer votre propre compte"})),
        (status = 404, description = "Compte inconnu.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Utilisateur non trouvé"})),
        (status = 409, description = "Changé entre-temps.", body = crate::openapi::schemas::Error),
    )
)]
async fn delete_user(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
) -> ApiResult<Json<Envelope<Answer>>> {
    let (id, admin) = (id.to_string(), caller.id.to_string());
    if id == admin {
        return Err(ApiError::bad_request(
            "Vous ne pouvez pas supprimer votre propre compte",
        ));
    }
    let user = users::find(&state.store, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("Utilisateur non trouvé"))?;
    if user.role == Role::Admin.as_str() {
        return Err(ApiError::bad_request(
            "Impossible de supprimer un administrateur",
        ));
    }
    let provider = providers::of_user(&state.store, &id).await?;
    let deletion = Deletion::of(&user, provider.as_ref(), &admin);
    let mut ops = account_removal(&user);
    ops.push(("deletion", deletion.pending()?));
    // Its provider leaves the public lists with it.
    if let Some(was) = &provider {
        let mut hidden = was.clone();
        hidden.is_active = false;
        hidden.updated_at = web::time::now();
        ops.extend(hidden.saved(was)?);
    }
    let mut sessions_later = false;
    match accounts::ending(&state.store, &(&id).into()).await? {
        Ok(ended) => ops.extend(ended.into_iter().map(|op| ("session", op))),
        Err(_) => sessions_later = true,
    }
    let action = Action {
        action: "user.delete",
        entity_type: "User",
        entity_id: &id,
        before: Some(json!({
            "email": user.email,
            "role": user.role,
            "provider": deletion.provider_id,
        })),
        after: None,
        reason: None,
    };
    let actor = Actor {
        id: &admin,
        ip: &ip,
    };
    audit::recorded(&state.store, &actor, &action, ops)
        .await
        .map_err(|e| {
            if e.failed("user") || e.failed(providers::SAVED) || e.failed("deletion") {
                ApiError::conflict("Le compte a changé entre-temps")
            } else {
                e.into()
            }
        })?;
    if sessions_later {
        accounts::changed(&state.store, &(&id).into(), Change::Everything).await?;
    }
    // The rest now; what a failure leaves, the finish_deletions job removes.
    if let Err(error) = finish(&state, &id).await {
        tracing::warn!(user = %id, %error, "account deletion left for the finish_deletions job");
    }
    Ok(answers::done(
        "Utilisateur supprimé",
        Answer {
            deleted_user: Deleted {
                id,
                email: deletion.email,
                first_name: deletion.first_name,
                last_name: deletion.last_name,
                role: deletion.role,
                had_provider: deletion.provider_id.is_some(),
                provider_business_name: deletion.provider_business_name,
            },
        },
    ))
}
