//! A delivered reading's PDF: the order's generated content laid out by
//! `reading.typ` (Typst, `shared/pdf`), its mandala drawn from its SVG, stored privately
//! beside the order. Only the delivery function renders ([`TypstReadings`]): the other
//! functions carry [`NoReadings`], so Typst is linked into that one binary alone.

use crate::orders::Order;
use serde_json::{Value, json};
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

/// Readings typeset by Typst.
pub struct TypstReadings;

const TEMPLATE: &str = include_str!("reading.typ");

/// The parts of a reading, in the order the PDF shows them, with their titles.
const SECTIONS: &[(&str, &str)] = &[
    ("reading", "Votre lecture"),
    ("soulProfile", "Profil de l'âme"),
    ("blockagesAnalysis", "Analyse des blocages"),
    ("ritual", "Votre rituel"),
];

/// What the template reads of `order`.
pub fn document(order: &Order, client: &str) -> Value {
    let content = order.generated_content.clone().unwrap_or_default();
    let text = |part: &str| {
        content
            .get(part)
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
    };
    let sections: Vec<Value> = SECTIONS
        .iter()
        .filter_map(|(part, title)| text(part).map(|t| json!({"title": title, "text": t})))
        .collect();
    let date = order
        .delivered_at
        .as_deref()
        .unwrap_or(&order.updated_at)
        .get(..10)
        .unwrap_or_default()
        .to_owned();
    json!({
        "title": order.metadata.get("productName").and_then(Value::as_str).unwrap_or("Votre lecture"),
        "client": client,
        "orderNumber": order.order_number,
        "level": order.level,
        "levelName": order.level_name,
        "date": date,
        "mandalaSvg": text("mandalaSvg"),
        "sections": sections,
    })
}

impl Readings for TypstReadings {
    fn render(&self, order: &Order, client: &str) -> Result<Vec<u8>, String> {
        pdf::render(TEMPLATE, &document(order, client)).map_err(|e| e.to_string())
    }
}
