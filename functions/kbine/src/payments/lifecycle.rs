//! What a payment may do, and what it does to its order.
//!
//! A payment goes `pending` → `success` or `failed`, and `success` → `refunded`; `failed`
//! and `refunded` are final. An order has at most one live payment (pending or
//! succeeded): the order item holds its id (`live_payment_id`) and status
//! (`payment_status`), written in the same transaction as the payment, so that two
//! payments of one order cannot both be recorded and an order is completed only once paid.
//! Refunding the payment refunds the order (its status becomes `refunded`, final).

use super::Payment;
use crate::history::{Actor, Entry};
use crate::orders::moves::{self, Assignee, ORDER_AS_READ};
use crate::orders::{self, Order, OrderStatus};
use store::{TxOp, Update};
use web::validate::Choice;
use web::{ApiError, ApiResult};

/// Whether a payment may go from `from` to `to`.
pub fn can_move(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("pending", "success" | "failed") | ("success", "refunded")
    )
}

pub fn invalid_transition(from: &str, to: &str) -> ApiError {
    ApiError::bad_request("Transition de statut invalide").with_details(format!("{from} → {to}"))
}

pub fn already_paid() -> ApiError {
    ApiError::conflict("Un paiement est déjà en cours ou réussi pour cette commande")
}

/// Refuses an amount that is not the order's (`order_amount_minor`).
pub fn check_order_amount(amount_minor: i64, order_amount_minor: i64) -> ApiResult<()> {
    if amount_minor == order_amount_minor {
        return Ok(());
    }
    Err(ApiError::invalid(format!(
        "amount: le montant doit être celui de la commande ({})",
        web::money::Money::from_minor(order_amount_minor)
    )))
}

/// Refuses a payment of `amount_minor` by `method` that is not the order's.
pub fn check_matches_order(order: &Order, amount_minor: i64, method: &str) -> ApiResult<()> {
    check_order_amount(amount_minor, order.amount_minor)?;
    if method != order.payment_method {
        return Err(ApiError::invalid(format!(
            "payment_method: la méthode doit être celle de la commande ({})",
            order.payment_method
        )));
    }
    Ok(())
}

/// Refuses a new payment of `order` unless it can still be paid and has no live payment.
pub fn check_payable(order: &Order) -> ApiResult<()> {
    if !OrderStatus::parse(&order.status).is_some_and(OrderStatus::payable) {
        return Err(
            ApiError::bad_request("Cette commande ne peut plus être payée")
                .with_details(format!("Statut de la commande : {}", order.status)),
        );
    }
    if order.live_payment_id.is_some() {
        return Err(already_paid());
    }
    Ok(())
}

/// The order's side of recording payment `payment_id`: it becomes the live payment.
pub fn on_created(order: &Order, payment_id: i64, now: &str) -> (&'static str, TxOp) {
    order_update(
        order,
        Update::new()
            .set("live_payment_id", payment_id)
            .set("payment_status", "pending")
            .set("updated_at", now),
    )
}

/// The order's side of a payment's move.
#[derive(Default)]
pub struct OrderSide {
    pub ops: Vec<(&'static str, TxOp)>,
    /// The order moves to `refunded` with it.
    pub refunds_order: bool,
}

/// The order's side of `payment` moving to `to`, if it has one.
pub fn on_status(
    order: &Order,
    payment: &Payment,
    to: &str,
    actor: &Actor,
    reason: Option<String>,
    now: &str,
) -> ApiResult<OrderSide> {
    let marks_only = |ops| OrderSide {
        ops,
        refunds_order: false,
    };
    let is_live = order.live_payment_id == Some(payment.id);
    match to {
        "success" => {
            if order.live_payment_id.is_some_and(|live| live != payment.id) {
                // Only orders paid before one live payment was enforced get here.
                return Err(already_paid());
            }
            let marks = Update::new()
                .set("live_payment_id", payment.id)
                .set("payment_status", "success")
                .set("updated_at", now);
            Ok(marks_only(vec![order_update(order, marks)]))
        }
        "failed" if is_live => {
            let freed = Update::new()
                .remove("live_payment_id")
                .set("payment_status", "failed")
                .set("updated_at", now);
            Ok(marks_only(vec![order_update(order, freed)]))
        }
        "refunded" => {
            let refundable = OrderStatus::parse(&order.status)
                .is_some_and(|s| s.can_move_to(OrderStatus::Refunded));
            if !refundable {
                return Ok(OrderSide::default());
            }
            let why = format!("Paiement #{} remboursé", payment.id);
            let reason = Some(reason.map_or(why.clone(), |r| format!("{why} : {r}")));
            let entry = Entry::new(actor, Some(&order.status), "refunded", now).because(reason);
            let marks = Update::new()
                .remove("live_payment_id")
                .set("payment_status", "refunded");
            Ok(OrderSide {
                ops: moves::ops(order, "refunded", Assignee::Keep, marks, &entry, now)?,
                refunds_order: true,
            })
        }
        _ => Ok(OrderSide::default()),
    }
}

/// The order's side of soft-deleting `payment`: a live payment frees the order.
pub fn on_deleted(order: &Order, payment: &Payment, now: &str) -> Option<(&'static str, TxOp)> {
    (order.live_payment_id == Some(payment.id)).then(|| {
        order_update(
            order,
            Update::new()
                .remove("live_payment_id")
                .remove("payment_status")
                .set("updated_at", now),
        )
    })
}

fn order_update(order: &Order, update: Update) -> (&'static str, TxOp) {
    (
        ORDER_AS_READ,
        TxOp::Update {
            key: orders::order_key(order.id),
            update,
            cond: Some(moves::as_read(order)),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_and_refunded_are_final() {
        assert!(can_move("pending", "success") && can_move("pending", "failed"));
        assert!(can_move("success", "refunded"));
        for to in super::super::STATUSES {
            assert!(!can_move("failed", to) && !can_move("refunded", to), "{to}");
        }
        assert!(!can_move("success", "pending") && !can_move("pending", "pending"));
        assert!(!can_move("pending", "refunded"));
    }
}
