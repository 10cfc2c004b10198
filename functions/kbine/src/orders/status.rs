//! An order's statuses (`kbine.md`) and the moves between them.

web::choice! {
    #[schema(description = "Statut d'une commande : `pending` en attente de paiement, `assigned` assignée à un staff, `processing` en cours de traitement, `completed` terminée, `cancelled` annulée, `refunded` remboursée (quand son paiement réussi est remboursé ; final).", example = json!("pending"))]
    pub enum OrderStatus {
        Pending = "pending",
        Assigned = "assigned",
        Processing = "processing",
        Completed = "completed",
        Cancelled = "cancelled",
        /// Reached only when the order's successful payment is refunded; final.
        Refunded = "refunded",
    }
}

impl OrderStatus {
    /// Whether an order may go from this status to `to`. Completed and cancelled orders
    /// move only to refunded (their payment refunded), which is final; a status never moves
    /// to itself. Who may make which move is the routes' business (`assigned` only through
    /// an assignment, `completed` only once paid, `refunded` only through the payment).
    pub fn can_move_to(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (Pending, Assigned | Processing | Cancelled)
                | (Assigned, Pending | Processing | Cancelled)
                | (Processing, Completed | Cancelled)
                | (
                    Pending | Assigned | Processing | Completed | Cancelled,
                    Refunded
                )
        )
    }

    /// Whether a payment may still be recorded for an order in this status.
    pub fn payable(self) -> bool {
        matches!(
            self,
            OrderStatus::Pending | OrderStatus::Assigned | OrderStatus::Processing
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;
    use web::validate::Choice;

    #[test]
    fn transitions_follow_the_lifecycle() {
        assert!(Pending.can_move_to(Assigned) && Pending.can_move_to(Processing));
        assert!(Assigned.can_move_to(Pending));
        assert!(Processing.can_move_to(Completed) && Processing.can_move_to(Cancelled));
        assert!(!Pending.can_move_to(Completed) && !Pending.can_move_to(Pending));
        assert!(!Processing.can_move_to(Pending));
        for status in OrderStatus::ALL {
            assert!(!Refunded.can_move_to(*status));
            if *status != Refunded {
                assert!(!Completed.can_move_to(*status) && !Cancelled.can_move_to(*status));
                assert!(status.can_move_to(Refunded));
            }
        }
        assert!(Pending.payable() && !Completed.payable() && !Refunded.payable());
        assert_eq!(OrderStatus::names(), crate::orders::STATUSES);
    }
}
