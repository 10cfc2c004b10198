//! The render benchmark's report (`LoadPlan::documents`): the figures of a marketplace a few
//! years in, with six months of trends, laid out by the report function's own code.

use super::{PdfReports, Report, Reports};
use crate::admin::figures::Figures;
use crate::payments::totals::{Tally, Totals};
use crate::payments::{PaymentStatus, PaymentType};
use crate::trends::Month;

/// Counters' values, as the dashboard reads them.
const COUNTERS: &[(&str, u64)] = &[
    ("users#client", 1_840),
    ("users#provider", 312),
    ("users#admin", 3),
    ("providers", 312),
    ("providers#verified", 268),
    ("providers#unverified", 44),
    ("providers#featured", 12),
    ("services#active", 905),
    (crate::reviews::VISIBLE_TOTAL, 2_650),
    (crate::reviews::RATING_SUM, 11_236),
    ("contacts", 5_230),
    ("contacts#unread", 87),
];

fn payments() -> Totals {
    Totals::of_tallies(|status, kind| {
        let count = match status {
            PaymentStatus::Accepted => 420,
            PaymentStatus::Pending => 9,
            PaymentStatus::Refused => 31,
            PaymentStatus::Cancelled => 14,
        } / match kind {
            PaymentType::Subscription => 1,
            PaymentType::Boost => 2,
            PaymentType::Featured => 5,
        };
        Tally {
            count,
            amount: count * kind.offer().amount,
        }
    })
}

pub fn sample() -> Result<Vec<u8>, String> {
    let value = |name: &str| {
        COUNTERS
            .iter()
            .find(|(counter, _)| *counter == name)
            .map_or(0, |(_, value)| *value)
    };
    let months = [
        "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
    ]
    .iter()
    .zip(1u64..)
    .map(|(month, n)| Month {
        month: (*month).to_owned(),
        signups: 120 + 35 * n,
        revenue: 310_000 + 42_000 * n,
    })
    .collect();
    let generated_at = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
        .map_err(|e| e.to_string())?
        .to_utc();
    PdfReports.render(&Report {
        generated_at,
        figures: Figures::of(value, payments()),
        months,
    })
}
