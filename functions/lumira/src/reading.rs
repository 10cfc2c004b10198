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
        language: "fr".into(),
        page: PageSetup::a4(2.2, 2.4),
        footer: Some(Footer {
            text: format!(
                "Oracle Lumira · {} · {{page}} / {{pages}}",
                order.order_number
            ),
            style: TextStyle::new(8.0, FOOTER),
        }),
        blocks,
    }
}

impl Readings for TypesetReadings {
    fn render(&self, order: &Order, client: &str) -> Result<Vec<u8>, String> {
        pdf::render(&document(order, client)).map_err(|e| e.to_string())
    }
}
