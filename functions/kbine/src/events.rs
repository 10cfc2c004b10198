//! The seam for live events (Socket.IO in the old backend, a later issue here): handlers
//! publish what happened; where it goes is chosen when the state is built.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum OrderEvent {
    /// `new-order`, for the admin room: the created order as the API renders it.
    Created { order: Value },
    /// `order-status-update`, for the order's owner.
    StatusChanged {
        order_id: i64,
        user_id: i64,
        status: String,
        updated_at: String,
    },
}

pub trait Events: Send + Sync {
    fn publish(&self, event: OrderEvent);
}

/// Until live delivery exists, events are logged.
pub struct LogEvents;

impl Events for LogEvents {
    fn publish(&self, event: OrderEvent) {
        tracing::info!(?event, "order event");
    }
}
