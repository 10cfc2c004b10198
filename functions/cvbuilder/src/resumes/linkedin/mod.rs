//! `POST /api/resumes/import_linkedin/` (`cvbuilder.md` 3.7). LinkedIn offers no open
//! profile API, so a profile page's URL alone gives only itself: the résumé is made with the
//! URL and, for a signed-in user, their account's name and email; nothing is invented. What
//! a user can download from LinkedIn (its data export, [`export_files`]) fills the rest:
//! sent as `multipart/form-data` with the URL, as the archive (`archive`) or its CSV files
//! (`files`, one part each).

mod export_files;

use super::form::Changes;
use super::routes::create_for;
use crate::AppState;
use crate::users;
use axum::extract::{FromRequest, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::Response;
use export_files::Export;
use serde_json::{Map, Value};
use web::auth::Principal;
use web::extract::Json as JsonBody;
use web::route;
use web::routes::{Access, Endpoint};
use web::upload::{CSV, FileRules, LAMBDA_MAX_UPLOAD_BYTES, Multipart};
use web::{ApiError, ApiResult};

pub use export_files::UNPLACED;

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        // The archive may be as large as a Lambda function takes.
        route!(import, Access::Optional).body_limit(LAMBDA_MAX_UPLOAD_BYTES),
    ]
}

const INVALID_URL: &str = "Invalid LinkedIn URL format.";

/// A public profile's address, `https://www.linkedin.com/in/<name>` (a country subdomain,
/// no `www.`, a trailing slash and a share link's query allowed), without its query.
pub fn profile_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split(['?', '#']).next()?;
    let (host, path) = rest.split_once('/')?;
    let host = host.to_ascii_lowercase();
    let subdomain = host.strip_suffix("linkedin.com")?;
    let known_subdomain = subdomain.is_empty()
        || subdomain.strip_suffix('.').is_some_and(|s| {
            (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
        });
    let name = path.strip_prefix("in/")?;
    let name = name.strip_suffix('/').unwrap_or(name);
    let name_ok = (3..=100).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'%'));
    (known_subdomain && name_ok).then(|| format!("https://{host}/in/{name}"))
}

/// The URL's field, checked, with DRF's words when it is missing.
fn read_url(value: Option<&Value>) -> Result<Option<String>, &'static str> {
    match value {
        None => Ok(None),
        Some(Value::String(url)) => profile_url(url).map(Some).ok_or(INVALID_URL),
        Some(Value::Null) => Err("This field may not be null."),
        Some(_) => Err(INVALID_URL),
    }
}

/// The import's request: the JSON of the document, or a form with files.
struct Sent {
    url: Option<String>,
    export: Export,
}

const TABLES: FileRules = FileRules {
    types: &[CSV],
    max_bytes: LAMBDA_MAX_UPLOAD_BYTES,
};

const ARCHIVES: FileRules = FileRules {
    types: &["application/zip"],
    max_bytes: LAMBDA_MAX_UPLOAD_BYTES,
};

async fn read_request(request: Request, state: &AppState) -> ApiResult<Sent> {
    let multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        });
    if !multipart {
        let JsonBody(body) =
            JsonBody::<Map<String, Value>>::on_upload_route(request, state).await?;
        let url =
            read_url(body.get("linkedin_url")).map_err(|m| ApiError::field("linkedin_url", m))?;
        let url = url.ok_or_else(|| ApiError::field("linkedin_url", "This field is required."))?;
        return Ok(Sent {
            url: Some(url),
            export: Export::default(),
        });
    }
    let form = Multipart::from_request(request, state)
        .await?
        .read(&[("archive", ARCHIVES), ("files", TABLES)])
        .await?;
    let url = form
        .fields
        .get("linkedin_url")
        .filter(|u| !u.trim().is_empty());
    let url = read_url(url.map(|u| Value::from(u.as_str())).as_ref())
        .map_err(|m| ApiError::field("linkedin_url", m))?;
    let mut export = Export::default();
    let not_linkedin = "This is not a file of LinkedIn's data export.";
    for file in &form.files {
        let read = if file.field == "archive" {
            match export.add_archive(&file.bytes) {
                Ok(found) => found > 0,
                Err(message) => return Err(ApiError::field(file.field.clone(), message)),
            }
        } else {
            std::str::from_utf8(&file.bytes).is_ok_and(|text| export.add_csv(text))
        };
        if !read {
            return Err(ApiError::field(file.field.clone(), not_linkedin));
        }
    }
    if url.is_none() && export.is_empty() {
        return Err(ApiError::field("linkedin_url", "This field is required."));
    }
    Ok(Sent { url, export })
}

#[utoipa::path(
    post,
    path = "/api/resumes/import_linkedin/",
    tag = "Resumes",
    operation_id = "importLinkedIn",
    summary = "A new résumé from LinkedIn",
    description = "LinkedIn offers no open profile API: with the profile's URL alone, the résumé gets the URL and, for a signed-in user, their account's name and email; nothing is invented. LinkedIn's data export (Settings → Data privacy → Get a copy of your data) fills the rest: send `multipart/form-data` with `linkedin_url` (optional there) and the export's zip as `archive`, or its CSV files as `files` (Profile, Email Addresses, PhoneNumbers, Positions, Education, Skills, Languages, Certifications, Projects; each known by its header). Positions and schools without a start date (or a degree) are kept as text in a custom section to complete. A bad URL: `{\"linkedin_url\": [\"Invalid LinkedIn URL format.\"]}`. Anonymous or signed in. An anonymous visitor's résumés belong to their session: the `sessionid` cookie set with their first résumé, or the same key sent as the `X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.",
    request_body(content(
        (crate::openapi::bodies::LinkedInImport = "application/json"),
        (inline(crate::openapi::bodies::LinkedInUpload) = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Created (with `Set-Cookie: sessionid=...` for a visitor who had no session).", body = crate::resumes::view::ResumeView),
    )
)]
async fn import(
    State(state): State<AppState>,
    principal: Principal,
    request: Request,
) -> ApiResult<Response> {
    let sent = read_request(request, &state).await?;
    let mut body = sent.export.to_create_body();
    if let Some(url) = sent.url {
        body.insert("linkedin_url".into(), Value::from(url));
    }
    // A signed-in user's own account says who they are where the export does not.
    if let Principal::User(user) = &principal
        && let Some(account) = users::find(&state.store, user.int_id()?).await?
    {
        let name = format!("{} {}", account.first_name, account.last_name);
        for (field, value) in [
            ("full_name", name.trim()),
            ("email", account.email.as_str()),
        ] {
            if !value.is_empty() && !body.contains_key(field) {
                body.insert(field.into(), Value::from(value));
            }
        }
    }
    // Nothing is required: what LinkedIn did not say stays empty for the user to fill.
    let changes = Changes::read(&body, false)?;
    create_for(&state, principal, changes).await
}
