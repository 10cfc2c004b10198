//! A member's favourite providers: added, removed, and listed newest first.
//!
//! Items: `FAVORITE#<userId>` / `<providerId>`, with when it was added; the list reads the
//! member's partition and its providers at once.

use crate::AppState;
use crate::answers::{self, Done, Envelope};
use crate::providers::listing::PublicView;
use crate::providers::{self, Provider};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use store::{Cond, Index, Key, Query};
use uuid::Uuid;
use web::auth::AuthUser;
use web::extract::PathId;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

/// The most favourites a member keeps.
const MAX_FAVORITES: usize = 500;

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(add, Access::Roles(Role::MEMBERS)),
        route!(remove, Access::Roles(Role::MEMBERS)),
        route!(list, Access::Roles(Role::MEMBERS)),
    ]
}

fn partition(user_id: &str) -> String {
    format!("FAVORITE#{user_id}")
}

/// Removes every favourite of `user_id`.
pub async fn removed_all(store: &store::DynStore, user_id: &str) -> web::ApiResult<()> {
    let query = Query::partition(Index::Table, partition(user_id));
    let items = web::pagination::read_all(store, query).await?;
    for chunk in items.chunks(25) {
        let ops = chunk
            .iter()
            .filter_map(Key::of)
            .map(|key| store::TxOp::Delete { key, cond: None })
            .collect();
        store.transact(ops).await?;
    }
    Ok(())
}

#[utoipa::path(
    post,
    path = "/api/providers/{id}/favorite",
    tag = "Favoris",
    operation_id = "addFavorite",
    summary = "Ajouter aux favoris",
    description = "Un prestataire actif et vérifié ; l'ajouter de nouveau ne change rien.",
    responses(
        (status = 201, description = "Ajouté aux favoris.", body = Done, example = json!({"success": true, "message": "Ajouté aux favoris"})),
        (status = 404, description = "Prestataire inconnu, masqué ou pas encore vérifié.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
    )
)]
async fn add(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<Uuid>,
) -> ApiResult<(StatusCode, Json<Done>)> {
    let provider = providers::find(&state.store, &id.to_string())
        .await?
        .filter(|p| p.is_active && p.is_verified)
        .ok_or_else(|| ApiError::not_found("Prestataire non trouvé"))?;
    let mut item = Key::new(partition(&caller.id.to_string()), &provider.id).to_item();
    item.insert("addedAt".into(), web::time::now().into());
    match state.store.put(item, Some(Cond::NotExists)).await {
        Err(e) if e.is_condition_failed() => {}
        other => other?,
    }
    Ok((StatusCode::CREATED, Done::said("Ajouté aux favoris")))
}

#[utoipa::path(
    delete,
    path = "/api/providers/{id}/favorite",
    tag = "Favoris",
    operation_id = "removeFavorite",
    summary = "Retirer des favoris",
    responses(
        (status = 200, description = "Retiré des favoris.", body = Done, example = json!({"success": true, "message": "Retiré des favoris"})),
        (status = 404, description = "Pas dans les favoris.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Pas dans vos favoris"})),
    )
)]
async fn remove(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<Uuid>,
) -> ApiResult<Json<Done>> {
    let key = Key::new(partition(&caller.id.to_string()), id.to_string());
    match state.store.delete(&key, Some(Cond::Exists)).await {
        Err(e) if e.is_condition_failed() => Err(ApiError::not_found("Pas dans vos favoris")),
        other => {
            other?;
            Ok(Done::said("Retiré des favoris"))
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct Favorites {
    /// Les favoris encore visibles, du dernier ajouté au premier.
    providers: Vec<PublicView>,
}

#[utoipa::path(
    get,
    path = "/api/favorites",
    tag = "Favoris",
    operation_id = "myFavorites",
    summary = "Mes favoris",
    description = "Les prestataires favoris de l'appelant qui sont encore actifs et vérifiés, du dernier ajouté au premier (500 au plus).",
    responses((status = 200, description = "Les favoris.", body = Envelope<Favorites>))
)]
async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Envelope<Favorites>>> {
    let query = Query::partition(Index::Table, partition(&caller.id.to_string()));
    let mut items = web::pagination::read_all(&state.store, query).await?;
    items.sort_by(|a, b| {
        b.get("addedAt")
            .and_then(|v| v.as_str())
            .cmp(&a.get("addedAt").and_then(|v| v.as_str()))
    });
    items.truncate(MAX_FAVORITES);
    let keys: Vec<Key> = items
        .iter()
        .filter_map(|item| item.get("sk")?.as_str().map(providers::key))
        .collect();
    let found: Vec<Option<Provider>> = web::item::get_many(&state.store, &keys).await?;
    let providers = found
        .into_iter()
        .flatten()
        .filter(|p| p.is_active && p.is_verified)
        .map(PublicView::from)
        .collect();
    Ok(answers::ok(Favorites { providers }))
}
