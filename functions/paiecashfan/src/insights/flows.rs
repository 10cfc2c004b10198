//! What a wallet's postings add up to: money in and out by kind, by month, and the net
//! spending over a window. Pure arithmetic on integer cents, so that the answers' totals are
//! the ledger's to the cent.

use crate::ledger::Posting;
use std::collections::BTreeMap;

/// The cents and postings of one kind of movement on one side of the wallet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub cents: i64,
    pub count: u64,
}

/// A wallet's postings, added up.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Flows {
    /// Credited to the wallet, by kind (`deposit`, `transfer`, `refund`).
    pub received: BTreeMap<String, Tally>,
    /// Debited from the wallet, by kind (`shop`, `ticket`, `esim`, `transfer`), as positive
    /// cents.
    pub spent: BTreeMap<String, Tally>,
    /// By month (`2026-12`): cents received, cents spent.
    pub months: BTreeMap<String, (i64, i64)>,
}

impl Flows {
    pub fn of(postings: &[Posting]) -> Self {
        let mut flows = Flows::default();
        for posting in postings {
            let month = posting.created_at.get(..7).unwrap_or_default().to_owned();
            let by_month = flows.months.entry(month).or_default();
            let side = match posting.amount >= 0 {
                true => {
                    by_month.0 += posting.amount;
                    &mut flows.received
                }
                false => {
                    by_month.1 -= posting.amount;
                    &mut flows.spent
                }
            };
            let tally = side.entry(posting.kind.clone()).or_default();
            tally.cents += posting.amount.abs();
            tally.count += 1;
        }
        flows
    }

    pub fn received_total(&self) -> i64 {
        Self::total(&self.received)
    }

    pub fn spent_total(&self) -> i64 {
        Self::total(&self.spent)
    }

    /// The cents of one side.
    pub fn total(side: &BTreeMap<String, Tally>) -> i64 {
        side.values().map(|t| t.cents).sum()
    }

    /// What the wallet holds: received less spent.
    pub fn balance(&self) -> i64 {
        self.received_total() - self.spent_total()
    }

    /// The kinds of one side, largest first (then by name), each with its share of the side
    /// in whole percent.
    pub fn ranked(side: &BTreeMap<String, Tally>) -> Vec<(String, Tally, i64)> {
        let total = Self::total(side);
        let mut kinds: Vec<_> = side
            .iter()
            .map(|(kind, tally)| (kind.clone(), *tally, percent(tally.cents, total)))
            .collect();
        kinds.sort_by(|a, b| b.1.cents.cmp(&a.1.cents).then_with(|| a.0.cmp(&b.0)));
        kinds
    }
}

/// `part` as a whole percentage of `whole`, rounded half up (0 of nothing).
pub fn percent(part: i64, whole: i64) -> i64 {
    match whole {
        0 => 0,
        _ => divide_rounded(part * 100, whole),
    }
}

/// `numerator / denominator`, rounded half away from zero; `denominator` is positive.
pub fn divide_rounded(numerator: i64, denominator: i64) -> i64 {
    let half = denominator / 2;
    match numerator >= 0 {
        true => (numerator + half) / denominator,
        false => (numerator - half) / denominator,
    }
}

/// What left the wallet from `since` (an ISO date or timestamp; postings compare as text, as
/// they are stored) less the refunds it got back in that time, in cents, never below zero.
pub fn net_spending_since(postings: &[Posting], since: &str) -> i64 {
    let net: i64 = postings
        .iter()
        .filter(|p| p.created_at.as_str() >= since)
        .map(|p| match (p.amount < 0, p.kind.as_str()) {
            (true, _) => -p.amount,
            (false, "refund") => -p.amount,
            (false, _) => 0,
        })
        .sum();
    net.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Account;

    fn posting(amount: i64, kind: &str, at: &str) -> Posting {
        Posting {
            entry_id: format!("{kind}-{at}"),
            account: Account::wallet("fan"),
            counterpart: Account::deposits(),
            amount,
            kind: kind.into(),
            memo: String::new(),
            created_at: at.into(),
        }
    }

    fn sample() -> Vec<Posting> {
        vec![
            posting(10_000, "deposit", "2026-11-28T10:00:00.000Z"),
            posting(-1_999, "shop", "2026-11-30T10:00:00.000Z"),
            posting(-3_500, "ticket", "2026-12-01T10:00:00.000Z"),
            posting(3_500, "refund", "2026-12-02T10:00:00.000Z"),
            posting(-500, "transfer", "2026-12-03T10:00:00.000Z"),
            posting(2_000, "transfer", "2026-12-04T10:00:00.000Z"),
        ]
    }

    #[test]
    fn totals_are_the_postings_to_the_cent() {
        let flows = Flows::of(&sample());
        assert_eq!(flows.received_total(), 15_500);
        assert_eq!(flows.spent_total(), 5_999);
        assert_eq!(
            flows.balance(),
            sample().iter().map(|p| p.amount).sum::<i64>()
        );
        assert_eq!(
            flows.spent["ticket"],
            Tally {
                cents: 3_500,
                count: 1
            }
        );
        assert_eq!(flows.months["2026-11"], (10_000, 1_999));
        assert_eq!(flows.months["2026-12"], (5_500, 4_000));
    }

    #[test]
    fn kinds_are_ranked_with_their_shares() {
        let flows = Flows::of(&sample());
        let ranked: Vec<_> = Flows::ranked(&flows.spent)
            .into_iter()
            .map(|(kind, _, share)| (kind, share))
            .collect();
        assert_eq!(
            ranked,
            [
                ("ticket".into(), 58),
                ("shop".into(), 33),
                ("transfer".into(), 8)
            ]
        );
    }

    #[test]
    fn net_spending_counts_refunds_back() {
        let all = sample();
        assert_eq!(
            net_spending_since(&all, "2026-11-01"),
            1_999 + 3_500 - 3_500 + 500
        );
        assert_eq!(net_spending_since(&all, "2026-12-02"), 0);
        assert_eq!(net_spending_since(&all, "2026-12-03"), 500);
    }

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(divide_rounded(5, 2), 3);
        assert_eq!(divide_rounded(4, 3), 1);
        assert_eq!(divide_rounded(-5, 2), -3);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(0, 0), 0);
    }
}
