//! An order's statuses (`kbine.md`) and the moves between them.

use web::validate::Choice;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    Pending,
    Assigned,
    Processing,
    Completed,
    Cancelled,
}

impl Choice for OrderStatus {
    const ALL: &'static [Self] = &[
        OrderStatus::Pending,
        OrderStatus::Assigned,
        OrderStatus::Processing,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
    ];

    fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Assigned => "assigned",
            OrderStatus::Processing => "processing",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
        }
    }
}

impl OrderStatus {
    /// Whether an order may go from this status to `to`. Completed and cancelled orders are
    /// final; a status never moves to itself.
    pub fn can_move_to(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (Pending, Assigned | Processing | Cancelled)
                | (Assigned, Pending | Processing | Cancelled)
                | (Processing, Completed | Cancelled)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn transitions_follow_the_lifecycle() {
        assert!(Pending.can_move_to(Assigned) && Pending.can_move_to(Processing));
        assert!(Assigned.can_move_to(Pending));
        assert!(Processing.can_move_to(Completed) && Processing.can_move_to(Cancelled));
        assert!(!Pending.can_move_to(Completed) && !Pending.can_move_to(Pending));
        assert!(!Processing.can_move_to(Pending));
        for status in OrderStatus::ALL {
            assert!(!Completed.can_move_to(*status) && !Cancelled.can_move_to(*status));
        }
        assert_eq!(OrderStatus::names(), crate::orders::STATUSES);
    }
}
