//! A delivered reading's PDF: the order's generated content laid out by `shared/pdf`, its
//! mandala drawn from its SVG, stored privately beside the order. Only the delivery
//! function renders ([`TypesetReadings`]): the other functions carry [`NoReadings`], so the
//! PDF engine is linked into that one binary alone.

use crate::orders::Order;
use pdf::{Align, Block, Document, Figure, Footer, PageSetup, Paragraph, Rgb, TextStyle};
use serde_json::Value;
use std::sync::Arc;

/// Turns an order's content into its reading's PDF.
pub trait Readings: Send + Sync {
    fn render(&self, order: &Order, client: &str) -> Result<Vec<u8>, String>;
}

pub type DynReadings = Arc<dyn Readings>;

/// The functions that deliver nothing.
pub struct NoReadings;

impl Readings for NoReadings {
    fn render(&self, _: &Order, _: &str) -> Result<Vec<u8>, String> {
        Err("readings are rendered by the delivery function only".into())
    }
}

/// Readings laid out and written by `shared/pdf`.
pub struct TypesetReadings;

/// The parts of a reading, in the order the PDF shows them, with their titles.
const SECTIONS: &[(&str, &str)] = &[
    ("reading", "Votre lecture"),
    ("soulProfile", "Profil de l'âme"),
    ("blockagesAnalysis", "Analyse des blocages"),
    ("ritual", "Votre rituel"),
];

const INK: Rgb = Rgb(0x2b, 0x23, 0x40);
const HEADING: Rgb = Rgb(0x4b, 0x3b, 0x7a);
const BRAND: Rgb = Rgb(0x8a, 0x7b, 0xb5);
const FOOTER: Rgb = Rgb(0x6b, 0x5b, 0x95);

/// The reading of `order` for `client`, as a document.
pub fn document(order: &Order, client: &str) -> Document {
    let content = order.generated_content.clone().unwrap_or_default();
    let text = |part: &str| {
        content
            .get(part)
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .map(str::to_owned)
    };
    let title = order
        .metadata
        .get("productName")
        .and_then(Value::as_str)
        .unwrap_or("Votre lecture")
        .to_owned();
    let date = order
        .delivered_at
        .as_deref()
        .unwrap_or(&order.updated_at)
        .get(..10)
        .unwrap_or_default()
        .to_owned();
    let body = TextStyle::new(11.5, INK);
    let centred = |words: String, style: TextStyle| {
        Block::Text(Paragraph::new(words, style).align(Align::Center))
    };
    let mut blocks = vec![
        centred(
            "ORACLE LUMIRA".into(),
            TextStyle::new(9.0, BRAND).spaced(2.0),
        ),
        Block::Space(6.0),
        centred(title.clone(), TextStyle::new(22.0, INK).bold()),
        centred(format!("pour {client}"), TextStyle::new(13.0, INK).italic()),
        centred(
            format!("Niveau {} · {} · {date}", order.level, order.level_name),
            TextStyle::new(9.0, INK),
        ),
        Block::Space(16.0),
    ];
    if let Some(svg) = text("mandalaSvg") {
        blocks.push(Block::Figure(Figure {
            svg,
            width: 198.0, // 7 cm
            align: Align::Center,
        }));
        blocks.push(Block::Space(16.0));
    }
    for (part, heading) in SECTIONS {
        let Some(words) = text(part) else { continue };
        blocks.push(Block::Text(
            Paragraph::new(*heading, TextStyle::new(14.0, HEADING).bold())
                .spacing(12.0, 6.0)
                .keep_with_next(),
        ));
        // Each of the writer's paragraphs is one of the PDF's.
        for paragraph in words.split("\n\n").filter(|p| !p.trim().is_empty()) {
            blocks.push(Block::Text(
                Paragraph::new(paragraph.trim(), body)
                    .line_height(1.45)
                    .spacing(0.0, 7.0),
            ));
        }
    }
    blocks.push(Block::Space(24.0));
    blocks.push(centred(
        "Lecture relue et validée par un expert Oracle Lumira.".into(),
        TextStyle::new(9.0, INK).italic(),
    ));
    Document {
        title: format!("Oracle Lumira — {title}"),
        author: "Oracle Lumira".into(),
        creator: "Oracle Lumira".into(),
        language: "fr".into(),
        page: PageSetup::a4(2.2, 2.4),
        footer: Some(Footer {
            text: format!(
                "Oracle Lumira · {} · {{page}} / {{pages}}",
                order.order_number
            ),
            style: TextStyle::new(8.0, FOOTER),
        }),
        watermark: None,
        background: None,
        blocks,
    }
}

impl Readings for TypesetReadings {
    fn render(&self, order: &Order, client: &str) -> Result<Vec<u8>, String> {
        pdf::render(&document(order, client)).map_err(|e| e.to_string())
    }
}

/// Words of a reading's part, about `sentences` sentences long.
fn sample_text(theme: &str, sentences: usize) -> String {
    let sentence = format!(
        "Le thème de {theme} éclaire votre chemin : chaque épreuve traversée a déposé en vous \
         une force que vous commencez à peine à reconnaître, et l'année qui s'ouvre vous invite \
         à l'accueillir sans crainte. "
    );
    let paragraph = sentence.repeat(4);
    (0..sentences.div_ceil(4))
        .map(|_| paragraph.trim_end())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A delivered reading of a realistic size (two pages, a mandala), for the render
/// benchmark.
pub fn sample() -> Result<Vec<u8>, String> {
    let rays: String = (0..24)
        .map(|i| {
            format!(
                r##"<ellipse cx="100" cy="40" rx="9" ry="30" fill="#8a7bb5" fill-opacity="0.5" transform="rotate({} 100 100)"/>"##,
                i * 15
            )
        })
        .collect();
    let mandala = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200"><circle cx="100" cy="100" r="95" fill="none" stroke="#4b3b7a" stroke-width="2"/>{rays}<circle cx="100" cy="100" r="22" fill="#6b5b95"/></svg>"##
    );
    let order: Order = serde_json::from_value(serde_json::json!({
        "_id": "65550b2b8f1b2c3d4e5f6a7b",
        "orderNumber": "LU261202001",
        "productId": "mystique_intuitive",
        "level": 3,
        "levelName": "Mystique",
        "amount": 9900,
        "currency": "eur",
        "service": "reading",
        "status": "completed",
        "paymentStatus": "succeeded",
        "paymentIntentId": "pi_sample",
        "customerEmail": "helene@example.com",
        "metadata": {"productName": "Lecture Mystique Intuitive"},
        "createdAt": "2026-12-01T09:00:00.000Z",
        "updatedAt": "2026-12-02T09:00:00.000Z",
        "deliveredAt": "2026-12-02T09:00:00.000Z",
        "userId": "65550b2b8f1b2c3d4e5f6a7c",
        "generatedContent": {
            "reading": sample_text("votre lecture", 8),
            "soulProfile": sample_text("l'âme", 4),
            "blockagesAnalysis": sample_text("vos blocages", 4),
            "ritual": sample_text("votre rituel", 4),
            "mandalaSvg": mandala,
        },
    }))
    .map_err(|e| e.to_string())?;
    TypesetReadings.render(&order, "Hélène Ørsted-Núñez")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn the_benchmark_s_sample_is_a_two_page_reading() {
        let pdf = super::sample().unwrap();
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        assert!(text.contains("Hélène Ørsted-Núñez"), "{text}");
        assert!(text.contains("/ 2"), "two pages: {text}");
        assert!(!text.contains("/ 3"), "two pages: {text}");
    }
}
