//! Files the admin downloads: CSV made safe for spreadsheets.

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
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

/// A CSV download called `name`: a byte-order mark (so that spreadsheets read UTF-8), the
/// `header`, then each row, every cell made safe.
pub fn csv_file(
    name: &str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> ApiResult<Response> {
    let mut out = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    out.write_record(header).map_err(ApiError::internal)?;
    for row in rows {
        out.write_record(row.iter().map(|text| cell(text)))
            .map_err(ApiError::internal)?;
    }
    let bytes = out.into_inner().map_err(ApiError::internal)?;
    let headers = [
        (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ),
    ];
    Ok((headers, bytes).into_response())
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
