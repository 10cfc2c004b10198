//! Where a reading stands (`status`), apart from its payment (`paymentStatus`):
//!
//! `pending` (awaiting payment) → `paid` → `processing` (the reading is being written) →
//! `awaiting_validation` (generated content, in the experts' queue) → `completed`
//! (delivered). An expert's rejection sends it back to `processing`. `cancelled` ends an
//! order before delivery; `refunded` follows Stripe's refund of a paid one.
//!
//! The gateway alone moves an order to `paid` or `refunded`: an admin cannot mark an order
//! paid that Stripe never charged.

pub const PENDING: &str = "pending";
pub const PAID: &str = "paid";
pub const PROCESSING: &str = "processing";
pub const AWAITING_VALIDATION: &str = "awaiting_validation";
pub const COMPLETED: &str = "completed";
pub const CANCELLED: &str = "cancelled";
pub const REFUNDED: &str = "refunded";

/// Every status, in the order a reading goes through them.
pub const ALL: &[&str] = &[
    PENDING,
    PAID,
    PROCESSING,
    AWAITING_VALIDATION,
    COMPLETED,
    CANCELLED,
    REFUNDED,
];

/// The status named `text`, as the constant.
pub fn parse(text: &str) -> Option<&'static str> {
    ALL.iter().copied().find(|s| *s == text)
}

/// Whether staff may move an order from `from` to `to` (`PATCH /api/orders/:id/status`).
pub fn staff_may_move(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        (PENDING, CANCELLED)
            | (PAID, PROCESSING | CANCELLED)
            | (PROCESSING, AWAITING_VALIDATION | COMPLETED | CANCELLED)
            | (AWAITING_VALIDATION, PROCESSING | COMPLETED | CANCELLED)
    )
}

/// Whether a refund moves an order in `from` to `refunded` (a cancelled order stays so).
pub fn refundable(from: &str) -> bool {
    matches!(from, PAID | PROCESSING | AWAITING_VALIDATION | COMPLETED)
}

/// The statuses staff may move an order in `from` to, for the error that refuses another.
pub fn staff_moves_from(from: &str) -> Vec<&'static str> {
    ALL.iter()
        .copied()
        .filter(|to| staff_may_move(from, to))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_move_orders_forward_and_never_to_paid_or_refunded() {
        assert!(staff_may_move(PAID, PROCESSING));
        assert!(staff_may_move(AWAITING_VALIDATION, PROCESSING));
        for from in ALL {
            assert!(!staff_may_move(from, PAID), "{from} -> paid");
            assert!(!staff_may_move(from, REFUNDED), "{from} -> refunded");
            assert!(!staff_may_move(from, from), "{from} -> itself");
        }
        for to in ALL {
            assert!(!staff_may_move(COMPLETED, to), "completed -> {to}");
            assert!(!staff_may_move(CANCELLED, to), "cancelled -> {to}");
        }
        assert_eq!(staff_moves_from(PENDING), [CANCELLED]);
        assert!(refundable(COMPLETED) && !refundable(PENDING) && !refundable(CANCELLED));
        assert_eq!(parse("processing"), Some(PROCESSING));
        assert_eq!(parse("Processing"), None);
    }
}
