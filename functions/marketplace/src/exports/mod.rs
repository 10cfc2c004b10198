//! Files the admin downloads: CSV made safe for spreadsheets, in the answer or, when large,
//! behind a link.

use crate::AppState;
use crate::answers;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::time::Duration;
use web::{ApiError, ApiResult};

/// `text` as a spreadsheet cell that is never a formula: a cell starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading apostrophe (OWASP's advice against CSV
/// injection), which spreadsheets show as text.
pub fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A CSV file: a byte-order mark (so that spreadsheets read UTF-8), the `header`, then each
/// row, every cell made safe.
pub fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> ApiResult<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    out.write_record(header).map_err(ApiError::internal)?;
    for row in rows {
        out.write_record(row.iter().map(|text| cell(text)))
            .map_err(ApiError::internal)?;
    }
    out.into_inner().map_err(ApiError::internal)
}

const CSV_TYPE: &str = "text/csv; charset=utf-8";

/// A CSV download called `name`, in the answer.
pub fn csv_file(
    name: &str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> ApiResult<Response> {
    Ok(attachment(name, CSV_TYPE, csv_bytes(header, rows)?))
}

fn attachment(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let headers = [
        (CONTENT_TYPE, content_type.to_owned()),
        (
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ),
    ];
    (headers, bytes).into_response()
}

/// How long the link to an export kept in the bucket works.
const LINK: Duration = Duration::from_secs(10 * 60);

// Where a large export waits.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ExportLink)]
pub struct Link {
    /// Le lien du fichier, valable 10 minutes.
    url: String,
    #[schema(example = json!("users_2026-12-06.csv"))]
    file_name: String,
    /// Secondes de validité du lien.
    #[schema(example = json!(600))]
    expires_in: u64,
}

/// The file `name` for the admin: in the answer while it fits well within Lambda's 6 MB
/// answer (`config.export_inline_max` bytes), else kept in the bucket (its lifecycle removes
/// it a day later) and answered by `303 See Other` to a link valid 10 minutes, which
/// browsers and `fetch` follow on their own.
pub async fn delivered(
    state: &AppState,
    name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> ApiResult<Response> {
    if bytes.len() <= state.config.export_inline_max {
        return Ok(attachment(name, content_type, bytes));
    }
    let key = format!("exports/{}/{name}", uuid::Uuid::new_v4().simple());
    state.blobs.put(&key, bytes.into(), content_type).await?;
    let url = state.blobs.presigned_get(&key, LINK).await?;
    let link = Link {
        url: url.clone(),
        file_name: name.to_owned(),
        expires_in: LINK.as_secs(),
    };
    let body = answers::done("Export prêt : suivez le lien", link);
    Ok((StatusCode::SEE_OTHER, [(LOCATION, url)], body).into_response())
}

/// The CSV `name` of `header` and `rows`, [`delivered`].
pub async fn csv_delivered(
    state: &AppState,
    name: &str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> ApiResult<Response> {
    delivered(state, name, CSV_TYPE, csv_bytes(header, rows)?).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_never_a_formula() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell("+33"), "'+33");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Marie"), "Marie");
        assert_eq!(cell(""), "");
    }
}
