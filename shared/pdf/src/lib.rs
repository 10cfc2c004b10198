//! PDFs typeset by Typst, for the products that hand their clients documents (Lumira's
//! readings, CV Builder's résumés, the marketplace's reports): a Typst source that lays the
//! document out and the data it shows, as JSON, in; a PDF out, its fonts embedded (subset)
//! and its text searchable, accents and non-Latin scripts shaped by Typst.
//!
//! A template reads its data with `#let data = json(bytes(sys.inputs.data))`, and may draw
//! an SVG it is given with `image(bytes(data.svg), format: "svg")`. It reads no file and no
//! package: everything it shows comes in with the data. The fonts are Libertinus Serif
//! (`fonts/`, SIL Open Font License), built into the binary.

mod world;

use typst::diag::{Severity, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst_layout::PagedDocument;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The template or its data could not be typeset: our bug, with Typst's words.
    #[error("typesetting failed: {0}")]
    Typeset(String),
    /// The typeset document could not be written as a PDF.
    #[error("PDF export failed: {0}")]
    Export(String),
}

fn describe(diagnostics: &EcoVec<SourceDiagnostic>) -> String {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The PDF of `template` laid out with `data`.
pub fn render(template: &str, data: &serde_json::Value) -> Result<Vec<u8>, PdfError> {
    let job = world::Job::new(template, data);
    let document: PagedDocument = typst::compile(&job)
        .output
        .map_err(|e| PdfError::Typeset(describe(&e)))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|e| PdfError::Export(describe(&e)))
}

/// The family name templates set their text in.
pub const SERIF: &str = "Libertinus Serif";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    const TEMPLATE: &str = r#"
#let data = json(bytes(sys.inputs.data))
#set text(font: "Libertinus Serif", lang: "fr")
= Lecture de #data.name
#data.text
#image(bytes(data.svg), format: "svg", width: 2cm)
"#;

    #[test]
    fn renders_a_pdf_with_its_data_and_refuses_a_broken_template() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4" fill="purple"/></svg>"#;
        let pdf = render(
            TEMPLATE,
            &json!({"name": "Hélène Ørsted", "text": "Votre chemin s'éclaire.", "svg": svg}),
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // Searchable text, accents and all, in the embedded font.
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        assert!(text.contains("Hélène Ørsted"), "{text}");
        assert!(
            text.contains("Votre chemin s’éclaire") || text.contains("Votre chemin s'éclaire"),
            "{text}"
        );
        let raw = String::from_utf8_lossy(&pdf);
        assert!(
            raw.contains("/FontFile3") || raw.contains("/FontFile2"),
            "fonts embedded"
        );
        let broken = render("#let x = ", &json!({}));
        assert!(matches!(broken, Err(PdfError::Typeset(_))), "{broken:?}");
        let missing = render("#image(\"secret.png\")", &json!({}));
        assert!(matches!(missing, Err(PdfError::Typeset(_))));
    }
}
