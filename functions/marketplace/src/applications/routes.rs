//! The applicant's side: applying to become a provider, reading its application, and
//! answering a request for changes.

use super::documents::{self, FIELD, RULES};
use super::form::Business;
use super::view::ApplicationView;
use super::{Application, OPEN_GUARD, SAVED, Status};
use crate::AppState;
use crate::answers::{self, Envelope};
use crate::mails::{self, Mail};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use web::auth::AuthUser;
use web::route;
use web::routes::{Access, Endpoint};
use web::upload::{Form, LAMBDA_MAX_UPLOAD_BYTES, Multipart};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(apply, Access::Roles(Role::CLIENT)).body_limit(LAMBDA_MAX_UPLOAD_BYTES),
        route!(mine, Access::AnyUser),
        route!(answer, Access::Roles(Role::CLIENT)).body_limit(LAMBDA_MAX_UPLOAD_BYTES),
    ]
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Applied {
    application: ApplicationView,
}

fn open_already() -> ApiError {
    ApiError::conflict("Une candidature est déjà en cours")
}

/// Stores the form's documents, then `save`s the application with them; the documents go
/// again if the save fails.
async fn with_documents(
    state: &AppState,
    form: &Form,
    application: &mut Application,
    was: Option<Status>,
) -> ApiResult<()> {
    let kinds = documents::kinds(form)?;
    let now = application.updated_at.clone();
    let added = documents::stored(state, &application.id, form, &kinds, &now).await?;
    application.documents.extend(added.iter().cloned());
    if application.documents.is_empty() {
        documents::removed(state, &added).await;
        return Err(ApiError::field(
            FIELD,
            "Au moins un document (la CNI) est requis",
        ));
    }
    let saved = match application.saved(was) {
        Ok(ops) => state.store.transact_named(ops).await.map_err(|e| {
            if e.failed(OPEN_GUARD) {
                open_already()
            } else if e.failed(SAVED) {
                ApiError::conflict("La candidature a changé entre-temps")
            } else {
                e.into()
            }
        }),
        Err(e) => Err(e),
    };
    if saved.is_err() {
        documents::removed(state, &added).await;
    }
    saved
}

#[utoipa::path(
    post,
    path = "/api/providers/apply",
    tag = "Prestataires",
    operation_id = "applyAsProvider",
    summary = "Devenir prestataire",
    description = "Un client demande à devenir prestataire : son activité et ses documents (CNI, licence commerciale, photos), vérifiés par leur contenu et gardés privés. Une seule candidature ouverte à la fois (`pending` ou `revisions_requested`) ; après un refus, le client peut candidater de nouveau.",
    request_body(content = inline(super::form::Described), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Candidature envoyée.", body = Envelope<Applied>),
        (status = 409, description = "Une candidature est déjà ouverte.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Une candidature est déjà en cours"})),
        (status = 415, description = "Le corps n'est pas un formulaire multipart.", body = crate::openapi::schemas::Error),
    )
)]
async fn apply(
    State(state): State<AppState>,
    caller: AuthUser,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<Envelope<Applied>>)> {
    let form = form.read(&[(FIELD, RULES)]).await?;
    let business = Business::try_from(&form)?;
    let user_id = caller.id.to_string();
    if super::latest_of(&state.store, &user_id)
        .await?
        .is_some_and(|a| a.status().is_open())
    {
        return Err(open_already());
    }
    let now = web::time::now();
    let mut application = Application::new(user_id, business, &now);
    with_documents(&state, &form, &mut application, None).await?;
    let mail = Mail::ApplicationReceived {
        business: &application.business_name,
    };
    mails::send_to_account(&state, &application.user_id, mail).await;
    let application = ApplicationView::of(&state, application).await?;
    Ok(answers::created(
        "Candidature envoyée",
        Applied { application },
    ))
}

#[utoipa::path(
    get,
    path = "/api/providers/my-application",
    tag = "Prestataires",
    operation_id = "myApplication",
    summary = "Ma candidature",
    description = "La dernière candidature de l'appelant, son état et ses documents (liens valables 10 minutes).",
    responses(
        (status = 200, description = "La candidature.", body = Envelope<Applied>),
        (status = 404, description = "Aucune candidature.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Aucune candidature"})),
    )
)]
async fn mine(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Envelope<Applied>>> {
    let application = super::latest_of(&state.store, &caller.id.to_string())
        .await?
        .ok_or_else(|| ApiError::not_found("Aucune candidature"))?;
    let application = ApplicationView::of(&state, application).await?;
    Ok(answers::ok(Applied { application }))
}

#[utoipa::path(
    put,
    path = "/api/providers/my-application",
    tag = "Prestataires",
    operation_id = "answerRevisionRequest",
    summary = "Répondre à une demande de modifications",
    description = "Quand l'admin a demandé des modifications (`revisions_requested`) : le formulaire complet de nouveau, et de nouveaux documents qui s'ajoutent aux premiers. La candidature repasse `pending`.",
    request_body(content = inline(super::form::Described), content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Candidature renvoyée.", body = Envelope<Applied>),
        (status = 404, description = "Aucune candidature.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Aucune candidature"})),
        (status = 409, description = "Aucune modification n'est demandée, ou la candidature a changé entre-temps.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Aucune modification n'est demandée"})),
        (status = 415, description = "Le corps n'est pas un formulaire multipart.", body = crate::openapi::schemas::Error),
    )
)]
async fn answer(
    State(state): State<AppState>,
    caller: AuthUser,
    form: Multipart,
) -> ApiResult<Json<Envelope<Applied>>> {
    let form = form.read(&[(FIELD, RULES)]).await?;
    let business = Business::try_from(&form)?;
    let mut application = super::latest_of(&state.store, &caller.id.to_string())
        .await?
        .ok_or_else(|| ApiError::not_found("Aucune candidature"))?;
    if application.status() != Status::RevisionsRequested {
        return Err(ApiError::conflict("Aucune modification n'est demandée"));
    }
    application.revised(business, &web::time::now());
    with_documents(
        &state,
        &form,
        &mut application,
        Some(Status::RevisionsRequested),
    )
    .await?;
    let application = ApplicationView::of(&state, application).await?;
    Ok(answers::done(
        "Candidature renvoyée",
        Applied { application },
    ))
}
