//! An order's payment status and what moves it: the gateway's word, read from a signed
//! webhook or from the gateway itself, never from the client.
//!
//! `pending` → `succeeded` | `failed` | `canceled`; `failed` → `succeeded` | `canceled` (the
//! client tried another card); `succeeded` → `refunded`. Anything else is an event arriving
//! late or twice, and changes nothing.

use super::moves::{self, Change};
use super::{Order, status};
use serde::{Deserialize, Serialize};
use store::{DynStore, Update};
use web::retry::{self, ATTEMPTS, back_off};
use web::{ApiError, ApiResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    Pending,
    Succeeded,
    Failed,
    Canceled,
    Refunded,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Succeeded => "succeeded",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Canceled => "canceled",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn can_move_to(self, next: PaymentStatus) -> bool {
        use PaymentStatus::*;
        matches!(
            (self, next),
            (Pending, Succeeded | Failed | Canceled)
                | (Failed, Succeeded | Canceled)
                | (Succeeded, Refunded)
        )
    }

    /// The order's status on the checkout routes, in the words of the old shop's product
    /// orders (`completed` once paid).
    pub fn checkout_status(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Succeeded => "completed",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Canceled => "cancelled",
            PaymentStatus::Refunded => "refunded",
        }
    }
}

/// What happened to the payment, and whether the change was made by this call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Changed,
    /// Already there, or no longer possible (a late or repeated word).
    Unchanged,
}

const ONCE: &str = web::webhook::ONCE_STEP;

/// What the gateway reports, as this order takes it: a success for another sum than the
/// order's is no success (never the case for an intent this shop made).
pub fn accepts(order: &Order, next: PaymentStatus, amount: Option<i64>) -> bool {
    next != PaymentStatus::Succeeded || amount == Some(order.amount)
}

/// The change a payment moving to `next` makes on `order`: a paid order leaves `pending`, a
/// canceled one is cancelled, a refunded one is refunded unless it was cancelled; the
/// client's total spent follows the money.
fn change(order: &Order, next: PaymentStatus, at: &str) -> ApiResult<Change> {
    let mut update = Update::new().set("paymentStatus", next.as_str());
    let pending = order.status == status::PENDING;
    let (to, spent) = match next {
        PaymentStatus::Succeeded => {
            update = update.set("paidAt", at);
            (pending.then_some(status::PAID), order.amount)
        }
        PaymentStatus::Canceled => (pending.then_some(status::CANCELLED), 0),
        PaymentStatus::Refunded => {
            update = update.set("refundedAt", at);
            let to = status::refundable(&order.status).then_some(status::REFUNDED);
            (to, -order.amount)
        }
        PaymentStatus::Pending | PaymentStatus::Failed => (None, 0),
    };
    let mut change = Change::fields(order, update, GATEWAY)?;
    if let Some(to) = to {
        change.to = to;
    }
    change.spent = spent;
    Ok(change)
}

/// Who the status history says moved an order on the gateway's word.
const GATEWAY: &str = "stripe";

/// Moves `order`'s payment to `next` (and its status with it), in one transaction with the
/// guard of Stripe event `event` when given. A replayed event fails on its guard and changes
/// nothing; a concurrent change is read again.
pub async fn record(
    store: &DynStore,
    order: Order,
    next: PaymentStatus,
    event: Option<&str>,
) -> ApiResult<(Order, Recorded)> {
    let mut order = order;
    for attempt in 1..=ATTEMPTS {
        if !order.payment_status.can_move_to(next) {
            return Ok((order, Recorded::Unchanged));
        }
        let at = web::time::now();
        let mut ops = moves::steps(&order, change(&order, next, &at)?, &at);
        if let Some(event) = event {
            ops.insert(0, (ONCE, web::webhook::once("stripe", event)));
        }
        match store.transact_named(ops).await {
            Ok(()) => return Ok((moves::reread(store, &order.id).await?, Recorded::Changed)),
            Err(e) if e.failed(ONCE) => return Ok((order, Recorded::Unchanged)),
            Err(e) if retry::lost_race(&e, moves::ORDER_STEP) => {
                back_off(attempt).await;
                order = moves::reread(store, &order.id).await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::problem(web::error::Problem::ConcurrentChange))
}

#[cfg(test)]
mod tests {
    use super::PaymentStatus::*;

    #[test]
    fn a_payment_never_moves_back() {
        assert!(Pending.can_move_to(Succeeded));
        assert!(Failed.can_move_to(Succeeded));
        assert!(Succeeded.can_move_to(Refunded));
        for (from, to) in [
            (Succeeded, Pending),
            (Succeeded, Failed),
            (Succeeded, Canceled),
            (Succeeded, Succeeded),
            (Canceled, Succeeded),
            (Refunded, Succeeded),
            (Pending, Refunded),
        ] {
            assert!(!from.can_move_to(to), "{from:?} -> {to:?}");
        }
    }
}
