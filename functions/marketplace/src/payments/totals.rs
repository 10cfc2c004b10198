//! The payments' counts and amounts, per status and per type: one tally item whose fields
//! move in the same transaction as each payment's creation and each change of its status, so
//! the totals the admin reads are never counted from the table, and are read in one get.
//!
//! Fields of the tally `payments`: `count_<STATUS>_<type>` (how many) and
//! `amount_<STATUS>_<type>` (how much, in FCFA); every other total is their sum.

use super::{PaymentStatus, PaymentType};
use serde::Serialize;
use std::collections::BTreeMap;
use store::{DynStore, TxOp};
use web::validate::Choice;
use web::{ApiResult, counters};

const TALLY: &str = "payments";

fn count_field(status: PaymentStatus, kind: PaymentType) -> String {
    format!("count_{}_{}", status.as_str(), kind.as_str())
}

fn amount_field(status: PaymentStatus, kind: PaymentType) -> String {
    format!("amount_{}_{}", status.as_str(), kind.as_str())
}

/// The tally's move for a payment of `kind` and `amount` leaving `from` (none: created) for
/// `to`.
pub fn moved(
    kind: PaymentType,
    amount: u64,
    from: Option<PaymentStatus>,
    to: PaymentStatus,
) -> TxOp {
    let amount = i64::try_from(amount).unwrap_or(i64::MAX);
    let mut moves = Vec::new();
    if let Some(from) = from {
        moves.push((count_field(from, kind), -1));
        moves.push((amount_field(from, kind), -amount));
    }
    moves.push((count_field(to, kind), 1));
    moves.push((amount_field(to, kind), amount));
    counters::bump_fields(TALLY, &moves)
}

// A count and its amount.
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
#[schema(as = PaymentTally)]
pub struct Tally {
    #[schema(example = json!(25))]
    pub count: u64,
    /// En FCFA.
    #[schema(example = json!(120000))]
    pub amount: u64,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.count += other.count;
        self.amount += other.amount;
    }
}

/// Every counter, by status and type.
pub struct Totals(BTreeMap<(&'static str, &'static str), Tally>);

impl Totals {
    /// Reads the tally.
    pub async fn read(store: &DynStore) -> ApiResult<Totals> {
        let fields = counters::fields(store, TALLY).await?;
        Ok(Totals::of_tallies(|status, kind| {
            let field = |name: String| {
                fields
                    .get(&name)
                    .and_then(|v| u64::try_from(*v).ok())
                    .unwrap_or(0)
            };
            Tally {
                count: field(count_field(status, kind)),
                amount: field(amount_field(status, kind)),
            }
        }))
    }

    /// The totals whose tally of each status and type is `tally(status, type)`.
    pub fn of_tallies(tally: impl Fn(PaymentStatus, PaymentType) -> Tally) -> Totals {
        let mut tallies = BTreeMap::new();
        for status in PaymentStatus::ALL {
            for kind in PaymentType::ALL {
                tallies.insert((status.as_str(), kind.as_str()), tally(*status, *kind));
            }
        }
        Totals(tallies)
    }

    /// The payments matching `status` and `kind` (either absent: all).
    pub fn of(&self, status: Option<PaymentStatus>, kind: Option<PaymentType>) -> Tally {
        let mut tally = Tally::default();
        for ((s, k), t) in &self.0 {
            if status.is_none_or(|x| x.as_str() == *s) && kind.is_none_or(|x| x.as_str() == *k) {
                tally += *t;
            }
        }
        tally
    }
}

// The document's totals: money received, money awaited, and the accepted payments by type.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PaymentTotals)]
pub struct Summary {
    /// Total encaissé (ACCEPTED), en FCFA.
    #[schema(example = json!(157000))]
    pub total_accepted: u64,
    /// En attente (PENDING), en FCFA.
    #[schema(example = json!(12000))]
    pub total_pending: u64,
    /// Nombre de paiements, tous statuts confondus.
    #[schema(example = json!(52))]
    pub transactions: u64,
    /// Par statut : nombre et montant.
    #[schema(example = json!({"ACCEPTED": {"count": 45, "amount": 157000}, "PENDING": {"count": 3, "amount": 12000}, "REFUSED": {"count": 2, "amount": 7000}, "CANCELLED": {"count": 2, "amount": 4000}}))]
    pub by_status: BTreeMap<&'static str, Tally>,
    /// Par type, les paiements acceptés : nombre et montant encaissé.
    #[schema(example = json!({"subscription": {"count": 25, "amount": 120000}, "featured": {"count": 3, "amount": 25000}, "boost": {"count": 17, "amount": 12000}}))]
    pub by_type: BTreeMap<&'static str, Tally>,
}

impl From<&Totals> for Summary {
    fn from(totals: &Totals) -> Self {
        Summary {
            total_accepted: totals.of(Some(PaymentStatus::Accepted), None).amount,
            total_pending: totals.of(Some(PaymentStatus::Pending), None).amount,
            transactions: totals.of(None, None).count,
            by_status: PaymentStatus::ALL
                .iter()
                .map(|s| (s.as_str(), totals.of(Some(*s), None)))
                .collect(),
            by_type: PaymentType::ALL
                .iter()
                .map(|k| {
                    (
                        k.as_str(),
                        totals.of(Some(PaymentStatus::Accepted), Some(*k)),
                    )
                })
                .collect(),
        }
    }
}
