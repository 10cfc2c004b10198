#![allow(clippy::unwrap_used)]
use super::*;

const INK: Rgb = Rgb(20, 20, 40);

fn document(blocks: Vec<Block>) -> Document {
    Document {
        title: "Lecture".into(),
        author: "Tests".into(),
        language: "fr".into(),
        page: PageSetup::a4(2.0, 2.0),
        footer: Some(Footer {
            text: "page {page} / {pages}".into(),
            style: TextStyle::new(8.0, INK),
        }),
        blocks,
    }
}

fn text_of(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).unwrap()
}

const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4" fill="purple"/></svg>"#;

#[test]
fn renders_searchable_text_in_embedded_fonts_and_draws_the_figure() {
    let body = TextStyle::new(11.0, INK);
    let pdf = render(&document(vec![
        Block::Text(Paragraph::new("Lecture de Hélène Ørsted", body.bold()).keep_with_next()),
        Block::Figure(Figure {
            svg: SVG.into(),
            width: 60.0,
            align: Align::Center,
        }),
        Block::Text(
            Paragraph::new("Votre chemin s'éclaire, ", body)
                .then("doucement.", body.italic())
                .spacing(6.0, 0.0),
        ),
    ]))
    .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = text_of(&pdf);
    for expected in [
        "Lecture de Hélène Ørsted",
        "Votre chemin s'éclaire",
        "doucement.",
        "page 1 / 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("/FontFile3") || raw.contains("/FontFile2"),
        "fonts embedded"
    );
}

#[test]
fn long_text_flows_onto_further_pages_numbered_in_the_footer() {
    let body = TextStyle::new(11.0, INK);
    let blocks = (1..=120)
        .map(|n| {
            Block::Text(
                Paragraph::new(
                    format!("Paragraphe {n} : une phrase assez longue pour la ligne."),
                    body,
                )
                .spacing(0.0, 4.0),
            )
        })
        .collect();
    let pdf = render(&document(blocks)).unwrap();
    let text = text_of(&pdf);
    assert!(text.contains("Paragraphe 120"), "{text}");
    // 120 lines of 18.85 points on pages with 728 points for text: four pages.
    let footers: Vec<&str> = text.matches(" / 4").collect();
    assert_eq!(footers.len(), 4, "{text}");
    assert!(text.contains("page 4 / 4"), "{text}");
    // Nothing is lost between pages, and the order is kept.
    let first = text.find("Paragraphe 60 ").unwrap();
    let later = text.find("Paragraphe 61 ").unwrap();
    assert!(first < later);
}

#[test]
fn a_figure_that_is_no_svg_is_refused() {
    let broken = render(&document(vec![Block::Figure(Figure {
        svg: "<svg".into(),
        width: 40.0,
        align: Align::Start,
    })]));
    assert!(matches!(broken, Err(PdfError::Svg(_))), "{broken:?}");
}
