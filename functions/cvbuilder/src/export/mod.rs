//! `POST /api/resumes/{id}/export_pdf/` (`cvbuilder.md` 3.6), its own route group and
//! function: the only one that links the PDF engine. The résumé is typeset in its
//! template's design ([`design`], [`document`]), watermarked exactly when the document says
//! (a premium template, not paid for, no running subscription), stored privately, and
//! answered as a link that works for [`PDF_LINK`].

pub mod design;
pub mod document;
mod sample;

pub use sample::{create_request, sample, sample_html};

use crate::AppState;
use crate::resumes::Resume;
use crate::resumes::routes::{not_found, owner_of, owner_subscribed};
use crate::resumes::view::watermarked;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;
use unicode_normalization::UnicodeNormalization;
use web::auth::Principal;
use web::extract::{OptionalJson, PathId};
use web::rate_limit::WriteGate;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        // Each export writes its PDF to the file store. It reads the résumé beside its
        // rate-limit counts, and waits for them before typesetting.
        route!(export, Access::Optional).early_reads(),
    ]
}

/// How long a `pdf_url` works: long enough to follow, short enough not to be shared.
pub const PDF_LINK: Duration = Duration::from_secs(15 * 60);

/// Typesets résumés.
pub trait ResumePdfs: Send + Sync {
    fn render(&self, resume: &Resume, watermark: bool) -> Result<Vec<u8>, String>;
}

pub type DynPdfs = Arc<dyn ResumePdfs>;

/// The functions that export nothing.
pub struct NoPdfs;

impl ResumePdfs for NoPdfs {
    fn render(&self, _: &Resume, _: bool) -> Result<Vec<u8>, String> {
        Err("résumés are typeset by the export function only".into())
    }
}

/// Résumés laid out and written by `shared/pdf`.
pub struct TypesetResumes;

impl ResumePdfs for TypesetResumes {
    fn render(&self, resume: &Resume, watermark: bool) -> Result<Vec<u8>, String> {
        let design = design::of_template(resume.template);
        pdf::render(&document::document(resume, &design, watermark)).map_err(|e| e.to_string())
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Exported {
    /// A private link to the PDF, valid 15 minutes.
    #[schema(format = "uri", example = json!("https://files.example.com/cvbuilder/resumes/pdfs/1/0f4c2a9e/john_doe_cv_20251029.pdf?X-Amz-Expires=900&X-Amz-Signature=…"))]
    pdf_url: String,
    has_watermark: bool,
}

#[utoipa::path(
    post,
    path = "/api/resumes/{id}/export_pdf/",
    tag = "Resumes",
    operation_id = "exportResumePdf",
    summary = "The résumé as a PDF",
    description = "Typesets the résumé in its template's design: every section, its fonts embedded, its text searchable. The watermark is added when the template is premium, the résumé was not paid for and the owner has no active subscription (`can_export_without_watermark` says which beforehand). Anonymous or signed in. An anonymous visitor's résumés belong to their session: the `sessionid` cookie set with their first résumé, or the same key sent as the `X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.",
    params(("id" = i64, Path, minimum = 1, example = 1)),
    request_body = Option<crate::openapi::bodies::ExportRequest>,
    responses(
        (status = 200, description = "A link to the PDF.", body = Exported),
    )
)]
async fn export(
    State(state): State<AppState>,
    principal: Principal,
    mut gate: WriteGate,
    PathId(id): PathId,
    // The document sends `{}`: there is nothing to choose.
    OptionalJson(_): OptionalJson<Map<String, Value>>,
) -> ApiResult<Json<Exported>> {
    // The résumé is the caller's or unknown: its owner's subscription is read beside it.
    let owner = owner_of(&principal)?.ok_or_else(not_found)?;
    let (resume, subscribed) = tokio::join!(
        crate::resumes::find_owned(&state.store, id, &owner),
        owner_subscribed(&state, &owner)
    );
    let resume = resume?.ok_or_else(not_found)?;
    let has_watermark = watermarked(&resume, subscribed?);
    // Typesetting and storing cost what a rate limit is there to bound.
    gate.open().await?;
    let key = file_key(&resume, has_watermark);
    let pdfs = state.pdfs.clone();
    let started = std::time::Instant::now();
    let job = resume.clone();
    let rendered = tokio::task::spawn_blocking(move || pdfs.render(&job, has_watermark))
        .await
        .map_err(ApiError::internal)?;
    let pdf = rendered.map_err(ApiError::internal)?;
    tracing::info!(
        resume = id,
        bytes = pdf.len(),
        render_ms = started.elapsed().as_millis() as u64,
        has_watermark,
        "résumé typeset"
    );
    state.blobs.put(&key, pdf.into(), "application/pdf").await?;
    let pdf_url = state.blobs.presigned_get(&key, PDF_LINK).await?;
    Ok(Json(Exported {
        pdf_url,
        has_watermark,
    }))
}

/// Where an export is kept, named as the document's examples are
/// (`resumes/pdfs/john_doe_cv_20251029_watermarked.pdf`), under the résumé's id and a
/// random part: each export is its own file, and nobody guesses another's.
fn file_key(resume: &Resume, watermark: bool) -> String {
    let date = chrono::Utc::now().format("%Y%m%d");
    let suffix = if watermark { "_watermarked" } else { "" };
    format!(
        "resumes/pdfs/{}/{}/{}_cv_{date}{suffix}.pdf",
        resume.id,
        uuid::Uuid::new_v4().simple(),
        slug(&resume.full_name)
    )
}

/// The Latin letters with no accent to drop, as they are spelt without them.
fn unaccented(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// `Hélène Dupont-Ørsted` as `helene_dupont_orsted`: ASCII letters and digits, accents
/// dropped, anything else a single `_`; `resume` when nothing is left.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.nfd().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if let Some(latin) = unaccented(c) {
            slug.push_str(latin);
        } else if !c.is_ascii() && !c.is_alphanumeric() {
            // A combining accent: the letter before it stays as it is.
        } else if !slug.ends_with('_') {
            slug.push('_');
        }
    }
    let slug = slug.trim_matches('_');
    if slug.is_empty() {
        "resume".into()
    } else {
        slug.chars().take(60).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn a_file_name_keeps_the_letters_of_the_name() {
        assert_eq!(slug("John Doe"), "john_doe");
        assert_eq!(slug("Hélène  Dupont-Lévy"), "helene_dupont_levy");
        assert_eq!(slug("Søren Œhlenschläger"), "soren_oehlenschlager");
        assert_eq!(slug("王小明"), "resume");
        assert_eq!(slug("  Ana (CTO)  "), "ana_cto");
    }
}
