//! `/api/banners`: the public list, and the admin's creation, list, change and removal, each
//! admin action written with its audit entry in one transaction.

use super::form::{Changes, dates_in_order};
use super::{Banner, BannerView, IMAGE_FIELD, IMAGE_RULES, Slot};
use crate::AppState;
use crate::answers::{self, Done, Envelope};
use crate::audit::{self, Action, Actor};
use crate::paging::choice_filter;
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use store::{Cond, TxOp};
use uuid::Uuid;
use web::auth::AuthUser;
use web::extract::{ClientIp, PathId, Query};
use web::route;
use web::routes::{Access, Endpoint};
use web::upload::{LAMBDA_MAX_UPLOAD_BYTES, Multipart};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(showing, Access::Public),
        route!(create, Access::Roles(Role::ADMIN)).body_limit(LAMBDA_MAX_UPLOAD_BYTES),
        route!(every, Access::Roles(Role::ADMIN)),
        route!(change, Access::Roles(Role::ADMIN)).body_limit(LAMBDA_MAX_UPLOAD_BYTES),
        route!(remove, Access::Roles(Role::ADMIN)),
    ]
}

const SAVED: &str = "banner_saved";

fn not_found() -> ApiError {
    ApiError::not_found("Bannière non trouvée")
}

fn changed_meanwhile(e: store::StoreError) -> ApiError {
    if e.failed(SAVED) {
        ApiError::conflict("La bannière a changé entre-temps")
    } else {
        e.into()
    }
}

fn snapshot(banner: &Banner) -> ApiResult<serde_json::Value> {
    serde_json::to_value(banner).map_err(ApiError::internal)
}

#[derive(Serialize, utoipa::ToSchema)]
struct Banners {
    banners: Vec<BannerView>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct OneBanner {
    banner: BannerView,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Showing {
    /// Seulement les bannières de cet emplacement.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<Slot>)]
    slot: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/banners",
    tag = "Bannières",
    operation_id = "banners",
    summary = "Bannières affichées",
    description = "Les bannières actives dont la période de diffusion comprend l'instant présent, la plus petite `order` d'abord. Public.",
    params(Showing),
    responses(
        (status = 200, description = "Les bannières.", body = Envelope<Banners>),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn showing(
    State(state): State<AppState>,
    Query(Showing { slot }): Query<Showing>,
) -> ApiResult<Json<Envelope<Banners>>> {
    let slot = choice_filter::<Slot>("type", slot.as_deref())?;
    let now = web::time::now();
    let mut banners = super::all(&state).await?;
    banners.retain(|b| b.is_showing(&now) && slot.is_none_or(|s| s.as_str() == b.slot));
    let banners = super::shown(&state, banners).await?;
    Ok(answers::ok(Banners { banners }))
}

#[utoipa::path(
    get,
    path = "/api/banners/admin",
    tag = "Bannières",
    operation_id = "allBanners",
    summary = "Toutes les bannières (admin)",
    description = "Toutes les bannières, actives ou non, échues ou à venir, la plus petite `order` d'abord.",
    responses((status = 200, description = "Les bannières.", body = Envelope<Banners>))
)]
async fn every(
    State(state): State<AppState>,
    _caller: AuthUser,
) -> ApiResult<Json<Envelope<Banners>>> {
    let banners = super::shown(&state, super::all(&state).await?).await?;
    Ok(answers::ok(Banners { banners }))
}

#[utoipa::path(
    post,
    path = "/api/banners",
    tag = "Bannières",
    operation_id = "createBanner",
    summary = "Créer une bannière (admin)",
    description = "Une bannière et son image (JPEG, PNG ou WebP selon son contenu), gardée dans le stockage de fichiers. L'action est inscrite au journal d'audit.",
    request_body(content = inline(super::form::Described), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Bannière créée.", body = Envelope<OneBanner>),
        (status = 415, description = "Le corps n'est pas un formulaire multipart.", body = crate::openapi::schemas::Error),
    )
)]
async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<Envelope<OneBanner>>)> {
    let form = form.read(&[(IMAGE_FIELD, IMAGE_RULES)]).await?;
    let changes = Changes::read(&form, true)?;
    let image = form
        .file(IMAGE_FIELD)
        .ok_or_else(|| ApiError::field(IMAGE_FIELD, "bannerImage est obligatoire"))?;
    let id = Uuid::new_v4().to_string();
    let admin = caller.id.to_string();
    let now = web::time::now();
    // The fields are checked before the image is stored: a refused form leaves nothing.
    let banner = changes.banner(id.clone(), String::new(), admin.clone(), &now);
    dates_in_order(&banner)?;
    let key = super::stored_image(&state, &id, image).await?;
    let banner = Banner {
        image_key: key.clone(),
        ..banner
    };
    let put = TxOp::Put {
        item: banner.placement().item(web::item::record(&banner)?),
        cond: Some(Cond::NotExists),
    };
    let entry = Action {
        action: "banner.create",
        entity_type: "Banner",
        entity_id: &id,
        before: None,
        after: Some(snapshot(&banner)?),
        reason: None,
    };
    let actor = Actor {
        id: &admin,
        ip: &ip,
    };
    if let Err(e) = audit::recorded(&state.store, &actor, &entry, vec![(SAVED, put)]).await {
        super::removed_image(&state, &key).await;
        return Err(e.into());
    }
    let banner = super::shown(&state, vec![banner]).await?.remove(0);
    Ok(answers::created("Bannière créée", OneBanner { banner }))
}

#[utoipa::path(
    put,
    path = "/api/banners/{id}",
    tag = "Bannières",
    operation_id = "changeBanner",
    summary = "Modifier une bannière (admin)",
    description = "Les champs envoyés changent, les autres restent ; un champ facultatif envoyé vide est effacé. Une nouvelle `bannerImage` remplace l'ancienne, qui est supprimée du stockage. L'action est inscrite au journal d'audit.",
    request_body(content = inline(super::form::Described), content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Bannière modifiée.", body = Envelope<OneBanner>),
        (status = 404, description = "Bannière inconnue.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Bannière non trouvée"})),
        (status = 409, description = "Changée entre-temps.", body = crate::openapi::schemas::Error),
        (status = 415, description = "Le corps n'est pas un formulaire multipart.", body = crate::openapi::schemas::Error),
    )
)]
async fn change(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
    form: Multipart,
) -> ApiResult<Json<Envelope<OneBanner>>> {
    let form = form.read(&[(IMAGE_FIELD, IMAGE_RULES)]).await?;
    let changes = Changes::read(&form, false)?;
    let was = super::find(&state, &id.to_string())
        .await?
        .ok_or_else(not_found)?;
    let mut banner = was.clone();
    changes.apply(&mut banner);
    dates_in_order(&banner)?;
    let new_image = match form.file(IMAGE_FIELD) {
        Some(file) => Some(super::stored_image(&state, &banner.id, file).await?),
        None => None,
    };
    if let Some(key) = &new_image {
        banner.image_key = key.clone();
    }
    banner.updated_at = web::time::now();
    let put = TxOp::Put {
        item: banner.placement().item(web::item::record(&banner)?),
        cond: Some(Cond::eq("updatedAt", was.updated_at.clone())),
    };
    let admin = caller.id.to_string();
    let entry = Action {
        action: "banner.update",
        entity_type: "Banner",
        entity_id: &banner.id,
        before: Some(snapshot(&was)?),
        after: Some(snapshot(&banner)?),
        reason: None,
    };
    let actor = Actor {
        id: &admin,
        ip: &ip,
    };
    let saved = audit::recorded(&state.store, &actor, &entry, vec![(SAVED, put)]).await;
    match (saved, new_image) {
        (Err(e), Some(key)) => {
            super::removed_image(&state, &key).await;
            return Err(changed_meanwhile(e));
        }
        (Err(e), None) => return Err(changed_meanwhile(e)),
        (Ok(()), Some(_)) => super::removed_image(&state, &was.image_key).await,
        (Ok(()), None) => {}
    }
    let banner = super::shown(&state, vec![banner]).await?.remove(0);
    Ok(answers::done("Bannière modifiée", OneBanner { banner }))
}

#[utoipa::path(
    delete,
    path = "/api/banners/{id}",
    tag = "Bannières",
    operation_id = "removeBanner",
    summary = "Supprimer une bannière (admin)",
    description = "Supprime la bannière et son image. L'action est inscrite au journal d'audit.",
    responses(
        (status = 200, description = "Bannière supprimée.", body = Done, example = json!({"success": true, "message": "Bannière supprimée"})),
        (status = 404, description = "Bannière inconnue.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Bannière non trouvée"})),
        (status = 409, description = "Changée entre-temps.", body = crate::openapi::schemas::Error),
    )
)]
async fn remove(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
) -> ApiResult<Json<Done>> {
    let banner = super::find(&state, &id.to_string())
        .await?
        .ok_or_else(not_found)?;
    let delete = TxOp::Delete {
        key: super::key(&banner.id),
        cond: Some(Cond::eq("updatedAt", banner.updated_at.clone())),
    };
    let admin = caller.id.to_string();
    let entry = Action {
        action: "banner.delete",
        entity_type: "Banner",
        entity_id: &banner.id,
        before: Some(snapshot(&banner)?),
        after: None,
        reason: None,
    };
    let actor = Actor {
        id: &admin,
        ip: &ip,
    };
    audit::recorded(&state.store, &actor, &entry, vec![(SAVED, delete)])
        .await
        .map_err(changed_meanwhile)?;
    super::removed_image(&state, &banner.image_key).await;
    Ok(Done::said("Bannière supprimée"))
}
