//! The report laid out: a title, the statistics as sentences (searchable text), the charts
//! as SVG figures, and the trends month by month.

use super::charts::{bars, grouped, line};
use super::{Report, Reports};
use crate::payments::{PaymentStatus, PaymentType};
use pdf::{Align, Block, Document, Figure, Footer, PageSetup, Paragraph, Rgb, TextStyle};
use web::validate::Choice;

/// The PDF engine's reports.
pub struct PdfReports;

const INK: Rgb = Rgb(0x2b, 0x2d, 0x42);
const BRAND: Rgb = Rgb(0x1b, 0x7f, 0x5c);
const MUTED: Rgb = Rgb(0x6b, 0x70, 0x80);
const GREEN: &str = "#1b7f5c";
const ORANGE: &str = "#d9822b";
const BLUE: &str = "#3a6ea5";

fn heading(text: &str) -> Block {
    Block::Text(
        Paragraph::new(text, TextStyle::new(15.0, BRAND).bold())
            .spacing(14.0, 6.0)
            .keep_with_next(),
    )
}

fn line_of(text: String) -> Block {
    Block::Text(Paragraph::new(text, TextStyle::new(11.0, INK)).spacing(0.0, 3.0))
}

fn chart(svg: String) -> Block {
    Block::Figure(Figure {
        svg,
        width: 440.0,
        align: Align::Center,
    })
}

/// `2026-12` as `déc. 2026`.
fn month_name(month: &str) -> String {
    const NAMES: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    let number: usize = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let name = NAMES.get(number.saturating_sub(1)).unwrap_or(&"");
    format!("{name} {}", month.get(..4).unwrap_or_default())
}

fn statistics(report: &Report) -> Vec<Block> {
    let f = &report.figures;
    let p = &f.payments;
    vec![
        heading("Statistiques"),
        line_of(format!(
            "Utilisateurs : {} ({} clients, {} prestataires)",
            grouped(f.users.total),
            grouped(f.users.clients),
            grouped(f.users.providers)
        )),
        line_of(format!(
            "Prestataires : {} ({} vérifiés, {} en attente, {} mis en avant)",
            grouped(f.providers.total),
            grouped(f.providers.active),
            grouped(f.providers.pending),
            grouped(f.providers.featured)
        )),
        line_of(format!("Services actifs : {}", grouped(f.services.total))),
        line_of(format!(
            "Avis : {} visibles, note moyenne {} / 5",
            grouped(f.reviews.total),
            f.reviews.average_rating.replace('.', ",")
        )),
        line_of(format!(
            "Demandes de contact : {} ({} non lues)",
            grouped(f.contacts.total),
            grouped(f.contacts.pending)
        )),
        line_of(format!(
            "Paiements : {} ({} acceptés, {} en attente, {} refusés, {} annulés)",
            grouped(p.total),
            grouped(p.accepted),
            grouped(p.pending),
            grouped(p.refused),
            grouped(p.cancelled)
        )),
        line_of(format!("Total encaissé : {} FCFA", grouped(p.total_amount))),
    ]
}

fn graphs(report: &Report) -> Vec<Block> {
    let f = &report.figures;
    let admins = f.users.total - f.users.clients - f.users.providers;
    let by_type: Vec<(&str, u64)> = PaymentType::ALL
        .iter()
        .map(|kind| {
            let label = match kind {
                PaymentType::Subscription => "Abonnements",
                PaymentType::Boost => "Boosts",
                PaymentType::Featured => "Mises en avant",
            };
            let tally = f
                .payment_totals
                .of(Some(PaymentStatus::Accepted), Some(*kind));
            (label, tally.amount)
        })
        .collect();
    vec![
        heading("Graphiques"),
        chart(bars(
            "Comptes par rôle",
            &[
                ("Clients", f.users.clients),
                ("Prestataires", f.users.providers),
                ("Administrateurs", admins),
            ],
            GREEN,
        )),
        Block::Space(10.0),
        chart(bars(
            "Prestataires",
            &[
                ("Vérifiés", f.providers.active),
                ("En attente", f.providers.pending),
                ("Mis en avant", f.providers.featured),
            ],
            BLUE,
        )),
        Block::Space(10.0),
        chart(bars("Encaissé par type (FCFA)", &by_type, ORANGE)),
    ]
}

fn trends(report: &Report) -> Vec<Block> {
    let signups: Vec<(String, u64)> = report
        .months
        .iter()
        .map(|m| (month_name(&m.month), m.signups))
        .collect();
    let revenue: Vec<(&str, u64)> = report
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.revenue))
        .collect();
    let mut blocks = vec![
        heading("Tendances des six derniers mois"),
        chart(line("Inscriptions par mois", &signups, GREEN)),
        Block::Space(10.0),
        chart(bars("Encaissé par mois (FCFA)", &revenue, ORANGE)),
        Block::Space(8.0),
    ];
    for month in &report.months {
        blocks.push(line_of(format!(
            "{} : {} inscriptions, {} FCFA encaissés",
            month_name(&month.month),
            grouped(month.signups),
            grouped(month.revenue)
        )));
    }
    blocks
}

fn document(report: &Report) -> Document {
    let when = report.generated_at.format("%d/%m/%Y à %H:%M (UTC)");
    let mut blocks = vec![
        Block::Text(Paragraph::new(
            "MARKETPLACE DES PRESTATAIRES",
            TextStyle::new(9.0, MUTED).spaced(2.0),
        )),
        Block::Text(
            Paragraph::new("Rapport global", TextStyle::new(24.0, INK).bold()).spacing(4.0, 2.0),
        ),
        Block::Text(Paragraph::new(
            format!("Généré le {when}"),
            TextStyle::new(10.0, MUTED).italic(),
        )),
    ];
    blocks.extend(statistics(report));
    blocks.extend(graphs(report));
    blocks.extend(trends(report));
    Document {
        title: "Rapport global de la marketplace".into(),
        author: "Marketplace".into(),
        creator: "Marketplace".into(),
        language: "fr".into(),
        page: PageSetup::a4(2.0, 2.0),
        footer: Some(Footer {
            text: format!("Rapport global · {when} · {{page}} / {{pages}}"),
            style: TextStyle::new(8.0, MUTED),
        }),
        watermark: None,
        background: None,
        blocks,
    }
}

impl Reports for PdfReports {
    fn render(&self, report: &Report) -> Result<Vec<u8>, String> {
        pdf::render(&document(report)).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_named_in_french() {
        assert_eq!(month_name("2026-12"), "déc. 2026");
        assert_eq!(month_name("2027-01"), "janv. 2027");
    }
}
