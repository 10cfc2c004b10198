#![allow(clippy::unwrap_used)]
use super::*;

const INK: Rgb = Rgb(20, 20, 40);

fn document(blocks: Vec<Block>) -> Document {
    Document {
        title: "Lecture".into(),
        author: "Tests".into(),
        creator: "Tests".into(),
        language: "fr".into(),
        page: PageSetup::a4(2.0, 2.0),
        footer: Some(Footer {
            text: "page {page} / {pages}".into(),
            style: TextStyle::new(8.0, INK),
        }),
        watermark: None,
        background: None,
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

#[test]
fn names_in_every_script_come_out_as_written() {
    let body = TextStyle::new(11.0, INK);
    let names = [
        "Hélène Ørsted-Müller",
        "Δημήτρης Παπαδόπουλος",
        "Анна Кузнецова",
        "דוד לוי",
        "محمد علي",
        "प्रिया शर्मा",
        "王小明",
        "山田 はなこ",
        "김민준",
    ];
    let blocks = names
        .iter()
        .map(|name| Block::Text(Paragraph::new(*name, body.bold())))
        .collect();
    let pdf = render(&document(blocks)).unwrap();
    // Extractors put spaces between glyphs where they please, and give right-to-left
    // text in the order it is drawn (visual): compare without spaces, and reversed.
    let squeezed = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let text = squeezed(&text_of(&pdf));
    for name in names {
        let right_to_left = name.chars().any(|c| matches!(c, '\u{0590}'..='\u{06ff}'));
        let drawn = if right_to_left {
            squeezed(name).chars().rev().collect()
        } else {
            squeezed(name)
        };
        assert!(
            text.contains(&drawn),
            "{name:?} ({drawn:?}) not in {text:?}"
        );
    }
    // No character fell back to the empty glyph: each script has a face that draws it.
    let raw = String::from_utf8_lossy(&pdf);
    for family in [
        "LibertinusSerif",
        "NotoSansArabic",
        "NotoSansDevanagari",
        "DroidSansFallback",
    ] {
        assert!(raw.contains(family), "{family} not embedded");
    }
}

#[test]
fn a_watermark_is_on_every_page_and_only_when_asked_for() {
    let body = TextStyle::new(11.0, INK);
    let blocks: Vec<Block> = (1..=80)
        .map(|n| Block::Text(Paragraph::new(format!("Ligne {n} du document."), body)))
        .collect();
    let plain = render(&document(blocks.clone())).unwrap();
    assert!(!text_of(&plain).contains("APERÇU"));

    let mut marked = document(blocks);
    marked.watermark = Some(Watermark {
        text: "APERÇU".into(),
        style: TextStyle::new(60.0, Rgb(200, 0, 0)).bold(),
        opacity: 0.2,
    });
    let pdf = render(&marked).unwrap();
    let text = text_of(&pdf);
    assert_eq!(text.matches("APERÇU").count(), 2, "one per page: {text}");
    assert!(text.contains("Ligne 80 du document."), "{text}");
}

#[test]
fn a_background_that_is_no_svg_is_refused() {
    let mut broken = document(vec![Block::Text(Paragraph::new(
        "CV",
        TextStyle::new(11.0, INK),
    ))]);
    broken.background = Some("<svg".into());
    assert!(matches!(render(&broken), Err(PdfError::Svg(_))));
}

#[test]
fn a_figure_s_labels_are_set_in_the_built_in_faces() {
    let chart = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="25" font-size="12">Légende</text></svg>"#;
    let pdf = render(&document(vec![Block::Figure(Figure {
        svg: chart.into(),
        width: 200.0,
        align: Align::Start,
    })]))
    .unwrap();
    // Without a face for it, a figure's text is dropped; with the built-in ones it is set,
    // as text a reader finds (spaced out by the figure's glyph positions).
    let text: String = text_of(&pdf).split_whitespace().collect();
    assert!(text.contains("Légende"), "{text:?}");
}
