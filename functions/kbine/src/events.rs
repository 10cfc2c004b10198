//! Live events, as the document's Socket.IO clients hear them: `new-order` reaches the
//! admins who joined the admin room when an order is created; `order-status-update`
//! reaches every open connection of the order's client when its status changes. Each
//! carries the order as the REST API renders it. Handlers publish after their write; a
//! delivery that fails is logged, never the request's failure.

use crate::orders;
use crate::role::Role;
use async_trait::async_trait;
use serde_json::{Value, json};
use web::ApiError;
use web::live::Live;
use web::live::connections::{self, Connection};
use web::live::socketio::{self, Handler, SocketIo};

/// The room `join-admin-room` joins.
pub const ADMIN_ROOM: &str = "admin";
pub const NEW_ORDER: &str = "new-order";
pub const ORDER_STATUS_UPDATE: &str = "order-status-update";

#[derive(Debug, Clone, PartialEq)]
pub enum OrderEvent {
    /// `new-order`, for the admin room: the created order as the API rendered it.
    Created { order: Value },
    /// `order-status-update`, for the order's client.
    StatusChanged {
        order_id: i64,
        user_id: i64,
        status: String,
        updated_at: String,
    },
}

#[async_trait]
pub trait Events: Send + Sync {
    async fn publish(&self, event: OrderEvent);
}

/// Without a WebSocket API, events are logged.
pub struct LogEvents;

#[async_trait]
impl Events for LogEvents {
    async fn publish(&self, event: OrderEvent) {
        tracing::info!(?event, "order event");
    }
}

/// Events sent to the Socket.IO clients of Kbine's WebSocket API (whose sessions' store is
/// Kbine's table, where orders are read too).
pub struct LiveEvents {
    pub live: Live,
}

impl LiveEvents {
    async fn send(&self, event: &OrderEvent) -> Result<(), ApiError> {
        let delivery = match event {
            OrderEvent::Created { order } => {
                let frame = socketio::event(NEW_ORDER, order)?;
                self.live.to_room(ADMIN_ROOM, &frame).await?
            }
            OrderEvent::StatusChanged {
                order_id, user_id, ..
            } => {
                let user = user_id.to_string();
                let recipients = connections::of_user(self.live.store(), &user).await?;
                if recipients.is_empty() {
                    return Ok(());
                }
                // The order as it is now, as its client reads it.
                let store = self.live.store();
                let Some(order) = orders::find(store, *order_id).await? else {
                    return Ok(());
                };
                let view = orders::view(store, order, false).await?;
                let body = serde_json::to_value(view).map_err(ApiError::internal)?;
                let frame = socketio::event(ORDER_STATUS_UPDATE, &body)?;
                self.live.deliver(recipients, &frame).await
            }
        };
        tracing::debug!(?delivery, "order event delivered");
        Ok(())
    }
}

#[async_trait]
impl Events for LiveEvents {
    async fn publish(&self, event: OrderEvent) {
        if let Err(e) = self.send(&event).await {
            tracing::warn!(?event, error = %e, "order event not delivered");
        }
    }
}

/// What Kbine's clients may emit: `join-admin-room`, for admins only.
pub struct KbineSockets;

/// Kbine's Socket.IO endpoint over `live`.
pub fn endpoint(live: Live) -> SocketIo<KbineSockets> {
    SocketIo {
        live,
        handler: KbineSockets,
        style: crate::ERROR_STYLE,
    }
}

#[async_trait]
impl Handler for KbineSockets {
    async fn on_event(
        &self,
        live: &Live,
        connection: &Connection,
        name: &str,
        _args: &[Value],
    ) -> Result<Value, ApiError> {
        match name {
            "join-admin-room" => {
                if connection.role.as_deref() != Some(Role::Admin.as_str()) {
                    return Err(ApiError::forbidden("Accès non autorisé")
                        .with_details("Réservé aux administrateurs"));
                }
                connections::join(live.store(), connection, ADMIN_ROOM).await?;
                Ok(json!({"success": true, "room": ADMIN_ROOM}))
            }
            _ => Err(ApiError::bad_request("Événement inconnu").with_details(name.to_owned())),
        }
    }
}
