//! Month by month: new accounts and money received, for the global report's trends. Two
//! tally items whose fields (`m2026_12`) move in the same transaction as each registration
//! and each payment accepted, read in one get each.

use chrono::{DateTime, Datelike, Utc};
use store::{DynStore, TxOp};
use web::{ApiResult, counters};

const SIGNUPS: &str = "signups";
const REVENUE: &str = "revenue";

/// The tally field of the month of `at` (a timestamp as `web::time` writes them).
fn month_field(at: &str) -> String {
    format!("m{}", at.get(..7).unwrap_or_default().replace('-', "_"))
}

/// The move of a registration at `at`.
pub fn signed_up(at: &str) -> TxOp {
    counters::bump_fields(SIGNUPS, &[(month_field(at), 1)])
}

/// The move of `amount` FCFA received at `at`.
pub fn received(at: &str, amount: u64) -> TxOp {
    let amount = i64::try_from(amount).unwrap_or(i64::MAX);
    counters::bump_fields(REVENUE, &[(month_field(at), amount)])
}

/// One month's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// `2026-12`.
    pub month: String,
    pub signups: u64,
    /// In FCFA.
    pub revenue: u64,
}

/// The `count` months up to the one of `now`, oldest first.
pub async fn last_months(
    store: &DynStore,
    now: DateTime<Utc>,
    count: u32,
) -> ApiResult<Vec<Month>> {
    let (signups, revenue) = tokio::try_join!(
        counters::fields(store, SIGNUPS),
        counters::fields(store, REVENUE)
    )?;
    let value = |fields: &std::collections::BTreeMap<String, i64>, month: &str| {
        fields
            .get(&month_field(month))
            .and_then(|v| u64::try_from(*v).ok())
            .unwrap_or(0)
    };
    let (mut year, mut month) = (now.year(), now.month());
    let mut months = Vec::new();
    for _ in 0..count {
        let name = format!("{year:04}-{month:02}");
        months.push(Month {
            signups: value(&signups, &name),
            revenue: value(&revenue, &name),
            month: name,
        });
        (year, month) = if month == 1 {
            (year - 1, 12)
        } else {
            (year, month - 1)
        };
    }
    months.reverse();
    Ok(months)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_its_year_and_number() {
        assert_eq!(month_field("2026-12-06T17:00:00.000Z"), "m2026_12");
        assert_eq!(month_field("2026-01"), "m2026_01");
    }
}
