//! `/api/resumes/` (`cvbuilder.md` 3.1–3.5), for a signed-in user or an anonymous visitor.
//! A visitor without a session gets one with their first résumé (the `sessionid` cookie, and
//! the `session_id` the body shows); a client that keeps no cookies sends it back as
//! `X-Session-Id`. Another owner's résumé is 404, as a missing one.

use super::form::{Changes, NewResume, ResumePatch};
use super::view::{ResumeView, subscribed};
use super::{Owner, Resume};
use crate::AppState;
use crate::users;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use web::auth::{AnonymousSession, Principal};
use web::error::Problem;
use web::extract::{Command, Json as JsonBody, PathId};
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

/// Anonymous visitors (by their session) or signed-in users.
pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Optional),
        route!(create, Access::Optional),
        // A read records `last_accessed`.
        route!(detail, Access::Optional).side_effects(),
        route!(update, Access::Optional),
        route!(remove, Access::Optional),
        route!(export_json, Access::Optional),
        route!(import_json, Access::Optional),
    ]
}

pub(crate) fn not_found() -> ApiError {
    ApiError::not_found("Not found.")
}

fn now() -> String {
    web::time::format_seconds(chrono::Utc::now())
}

/// The caller as an owner, if they are one yet.
pub(crate) fn owner_of(principal: &Principal) -> ApiResult<Option<Owner>> {
    Ok(match principal {
        Principal::User(user) => Some(Owner::User(user.int_id()?)),
        Principal::Anonymous(Some(session)) => Some(Owner::Session(session.as_str().into())),
        Principal::Anonymous(None) => None,
    })
}

/// Whether `owner` has a subscription running now (a session never has).
pub(crate) async fn owner_subscribed(state: &AppState, owner: &Owner) -> ApiResult<bool> {
    match owner {
        Owner::User(id) => {
            let user = users::find(&state.store, *id).await?;
            Ok(subscribed(user.as_ref(), &now()))
        }
        Owner::Session(_) => Ok(false),
    }
}

#[utoipa::path(
    get,
    path = "/api/resumes/",
    tag = "Resumes",
    operation_id = "listResumes",
    summary = "The caller's résumés",
    description = "Anonymous or signed in. An anonymous visitor's résumés belong to their session: the `sessionid` cookie set with their first résumé, or the same key sent as the `X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.",
    responses(
        (status = 200, description = "Newest first.", body = Vec<crate::resumes::view::ResumeView>),
    )
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<Json<Vec<ResumeView>>> {
    let Some(owner) = owner_of(&principal)? else {
        return Ok(Json(Vec::new()));
    };
    let (resumes, subscribed) = tokio::join!(
        super::of_owner(&state.store, &owner),
        owner_subscribed(&state, &owner)
    );
    let subscribed = subscribed?;
    Ok(Json(
        resumes?
            .into_iter()
            .map(|r| ResumeView::new(r, subscribed))
            .collect(),
    ))
}

/// Saves a new résumé for the caller, making an anonymous visitor a session if they have
/// none: 201 with the résumé, and the session's cookie when it is new.
pub(crate) async fn create_for(
    state: &AppState,
    principal: Principal,
    changes: Changes,
) -> ApiResult<Response> {
    let (owner, new_session) = match owner_of(&principal)? {
        Some(owner) => (owner, None),
        None => {
            let session = AnonymousSession::issue(state.sessions.tokens());
            (Owner::Session(session.as_str().into()), Some(session))
        }
    };
    let mut resume = Changes::blank(&now());
    match &owner {
        Owner::User(id) => resume.user = Some(*id),
        Owner::Session(key) => resume.session_id = Some(key.clone()),
    }
    changes.apply(&state.store, &mut resume).await?;
    resume.id = web::counters::next_id(&state.store, "resume").await?;
    super::insert(&state.store, &resume).await?;
    let subscribed = owner_subscribed(state, &owner).await?;
    let mut response = (
        StatusCode::CREATED,
        Json(ResumeView::new(resume, subscribed)),
    )
        .into_response();
    if let Some(session) = new_session {
        let cookie = session.set_cookie(state.config.secure_cookies);
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    Ok(response)
}

#[utoipa::path(
    post,
    path = "/api/resumes/",
    tag = "Resumes",
    operation_id = "createResume",
    summary = "A new résumé",
    description = "Anonymous or signed in. An anonymous visitor's résumés belong to their session: the `sessionid` cookie set with their first résumé, or the same key sent as the `X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.",
    request_body = crate::openapi::bodies::ResumeCreate,
    responses(
        (status = 201, description = "Created (with `Set-Cookie: sessionid=...` for a visitor who had no session).", body = crate::resumes::view::ResumeView),
    )
)]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    Command(NewResume(changes), _): Command<NewResume>,
) -> ApiResult<Response> {
    create_for(&state, principal, changes).await
}

/// The caller's résumé `id`, or 404.
pub(crate) async fn owned(state: &AppState, principal: &Principal, id: i64) -> ApiResult<Resume> {
    let Some(owner) = owner_of(principal)? else {
        return Err(not_found());
    };
    super::find_owned(&state.store, id, &owner)
        .await?
        .ok_or_else(not_found)
}

#[utoipa::path(
    get,
    path = "/api/resumes/{id}/",
    tag = "Resumes",
    operation_id = "getResume",
    summary = "A résumé (records `last_accessed`)",
    description = "Anonymous or signed in. An anonymous visitor's résumés belong to their session: the `sessionid` cookie set with their first résumé, or the same key sent as the `X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.",
    params(("id" = i64, Path, minimum = 1, example = 1)),
    responses(
        (status = 200, description = "The résumé.", body = crate::resumes::view::ResumeView),
    )
)]
async fn detail(
    State(state): State<AppState>,
    principal: Principal,
    PathId(id): PathId,
) -> ApiResult<Json<ResumeView>> {
    let mut resume = owned(&state, &principal, id).await?;
    let at = now();
    let owner = resume.owner().ok_or_else(not_found)?;
    let (touched, subscribed) = tokio::join!(
        super::touch(&state.store, id, &at),
        owner_subscribed(&state, &owner)
    );
    touched?;
    resume.last_accessed = at;
    Ok(Json(ResumeView::new(resume, subscribed?)))
}

/// Attempts at an auto-save that keeps losing to other writes before it answers 409.
const SAVE_ATTEMPTS: usize = 3;

#[utoipa::path(
    patch,
    path = "/api/resumes/{id}/",
    tag = "Resumes",
    operation_id = "updateResume",
    summary = "Auto-save: change the fields sent",
    description = "Anonymous or signed in. An anonymous visitor's résumés belong to their session: the `sessionid` cookie set with their first résumé, or the same key sent as the `X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.",
    params(("id" = i64, Path, minimum = 1, example = 1)),
    request_body = crate::openapi::bodies::ResumePatch,
    responses(
        (status = 200, description = "The résumé after.", body = crate::resumes::view::ResumeView),
        (status = 409, response = crate::openapi::Conflict),
    )
)]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    PathId(id): PathId,
    Command(ResumePatch(changes), _): Command<ResumePatch>,
) -> ApiResult<Json<ResumeView>> {
    let mut resume = owned(&state, &principal, id).await?;
    for _ in 0..SAVE_ATTEMPTS {
        let read_version = resume.version;
        changes.clone().apply(&state.store, &mut resume).await?;
        let at = now();
        resume.updated_at = at.clone();
        resume.last_accessed = at;
        resume.version = read_version + 1;
        if super::replace(&state.store, &resume, read_version).await? {
            let owner = resume.owner().ok_or_else(not_found)?;
            let subscribed = owner_subscribed(&state, &owner).await?;
            return Ok(Json(ResumeView::new(resume, subscribed)));
        }
        // Another save came first: apply this one to what it wrote.
        resume = owned(&state, &principal, id).await?;
    }
    Err(ApiError::problem(Problem::ConcurrentChange))
}

#[utoipa::path(
    delete,
    path = "/api/resumes/{id}/",
    tag = "Resumes",
    operation_id = "deleteResume",
    summary = "Delete a résumé",
    description = "Anonymous or signed in. An anonymous visitor's résumés belong to their session: the `sessionid` cookie set with their first résumé, or the same key sent as the `X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.",
    params(("id" = i64, Path, minimum = 1, example = 1)),
    responses(
        (status = 204, description = "Deleted."),
    )
)]
async fn remove(
    State(state): State<AppState>,
    principal: Principal,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    let Some(owner) = owner_of(&principal)? else {
        return Err(not_found());
    };
    if super::delete_owned(&state.store, id, &owner).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found())
    }
}

/// The résumé as a JSON Resume document, to take elsewhere.
#[utoipa::path(
    get,
    path = "/api/resumes/{id}/export_json/",
    tag = "Resumes",
    operation_id = "exportResumeJson",
    summary = "The résumé as JSON Resume",
    description = "The résumé in the open JSON Resume format (jsonresume.org), which Reactive Resume and most résumé tools import. What JSON Resume has no field for (the design, custom sections, an education's place and description) is kept under `meta.cvbuilder`. Anonymous or signed in. An anonymous visitor's résumés belong to their session: the `sessionid` cookie set with their first résumé, or the same key sent as the `X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.",
    params(("id" = i64, Path, minimum = 1, example = 1)),
    responses(
        (status = 200, description = "A JSON Resume 1.0.0 document.", body = crate::openapi::bodies::JsonResume),
    )
)]
async fn export_json(
    State(state): State<AppState>,
    principal: Principal,
    PathId(id): PathId,
) -> ApiResult<Json<Value>> {
    let resume = owned(&state, &principal, id).await?;
    Ok(Json(super::json_resume::export(&resume)))
}

/// A new résumé made of a JSON Resume document (this API's export, or another tool's).
#[utoipa::path(
    post,
    path = "/api/resumes/import_json/",
    tag = "Resumes",
    operation_id = "importResumeJson",
    summary = "A new résumé from a JSON Resume document",
    description = "Reads `basics` (name, label, email, phone, url, summary, location, LinkedIn and GitHub profiles), `work`, `education`, `skills` (a group's keywords become skills of its category), `languages`, `certificates`, `projects`; `volunteer`, `awards`, `publications`, `interests` and `references` become custom sections; `meta.cvbuilder` (this API's exports) restores the design and what JSON Resume has no field for. Dates may be `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; an entry without `endDate` is current. Errors are the create's, named by CV Builder's fields (`full_name` for `basics.name`, `experience_data` for `work`). Anonymous or signed in. An anonymous visitor's résumés belong to their session: the `sessionid` cookie set with their first résumé, or the same key sent as the `X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.",
    request_body = crate::openapi::bodies::JsonResume,
    responses(
        (status = 201, description = "Created (with `Set-Cookie: sessionid=...` for a visitor who had no session).", body = crate::resumes::view::ResumeView),
    )
)]
async fn import_json(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(document): JsonBody<Value>,
) -> ApiResult<Response> {
    super::json_resume::check_shape(&document)?;
    let body = super::json_resume::to_create_body(&document);
    let changes = Changes::read(&body, true)?;
    create_for(&state, principal, changes).await
}
