//! An order's payment status and what moves it: the gateway's word, read from a signed
//! webhook or from the gateway itself, never from the client.
//!
//! `pending` → `succeeded` | `failed` | `canceled`; `failed` → `succeeded` | `canceled` (the
//! client tried another card); `succeeded` → `refunded`. Anything else is an event arriving
//! late or twice, and changes nothing.

use super::{Order, order_key, status};
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, TxOp, Update};
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
const PAYMENT: &str = "payment";

/// What the gateway reports, as this order takes it: a success for another sum than the
/// order's is no success (never the case for an intent this shop made).
pub fn accepts(order: &Order, next: PaymentStatus, amount: Option<i64>) -> bool {
    next != PaymentStatus::Succeeded || amount == Some(order.amount)
}

/// Moves `order`'s payment to `next` (with its status: a paid order leaves `pending`), in one
/// transaction with the guard of Stripe event `event` when given. A replayed event fails on
/// its guard and changes nothing; a concurrent change is read again.
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
        let now = web::time::now();
        let mut update = Update::new()
            .set("paymentStatus", next.as_str())
            .set("updatedAt", now.as_str());
        let moves_status = match next {
            PaymentStatus::Succeeded => Some(status::PAID),
            PaymentStatus::Canceled => Some(status::CANCELLED),
            _ => None,
        }
        .filter(|_| order.status == status::PENDING);
        if let Some(to) = moves_status {
            update = update.set("status", to);
        }
        let paid = next == PaymentStatus::Succeeded;
        if paid {
            update = update.set("paidAt", now.as_str());
        }
        let cond = Cond::eq("paymentStatus", order.payment_status.as_str())
            .and(Cond::eq("status", order.status.as_str()));
        let mut ops = vec![(
            PAYMENT,
            TxOp::Update {
                key: order_key(&order.id),
                update,
                cond: Some(cond),
            },
        )];
        if let Some(event) = event {
            ops.insert(0, (ONCE, web::webhook::once("stripe", event)));
        }
        match store.transact_named(ops).await {
            Ok(()) => {
                // The order as written: what it was, with this update.
                order.payment_status = next;
                if let Some(to) = moves_status {
                    order.status = to.to_owned();
                }
                if paid {
                    order.paid_at = Some(now.clone());
                }
                order.updated_at = now;
                return Ok((order, Recorded::Changed));
            }
            Err(e) if e.failed(ONCE) => return Ok((order, Recorded::Unchanged)),
            Err(e) if retry::lost_race(&e, PAYMENT) => {
                back_off(attempt).await;
                order = super::find(store, &order.id)
                    .await?
                    .ok_or_else(|| ApiError::internal("order vanished during payment"))?;
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
