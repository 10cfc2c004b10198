//! Live messages: a message sent through `POST /api/social/messages` reaches the other
//! participants' open connections at once, over PaieCashFan's WebSocket API (plain JSON,
//! `web::live::plain`). The event is `{"type": "message", "message": {...}}`, the message
//! as `POST /api/social/messages` answers it. Nobody else hears it, the sender's own
//! connections included.

use super::{Conversation, Message};
use crate::AppState;
use serde_json::json;
use web::live::Live;
use web::live::plain::{self, PlainJson};

/// The event type of a message.
pub const MESSAGE: &str = "message";

/// PaieCashFan's endpoint over `live`.
pub fn endpoint(live: Live) -> PlainJson {
    PlainJson {
        live,
        style: crate::ERROR_STYLE,
        unknown_message: "Message inconnu",
    }
}

/// Sends `message` to the participants of `conversation` but its sender. A delivery that
/// fails is logged: the message is stored either way.
pub(super) async fn notify(state: &AppState, conversation: &Conversation, message: &Message) {
    let Some(live) = &state.live else {
        return;
    };
    let frame = plain::message(MESSAGE, json!({ "message": message }));
    for participant in &conversation.participants {
        if *participant == message.sender_id {
            continue;
        }
        match live.to_user(participant, &frame).await {
            Ok(delivery) => tracing::debug!(?delivery, "message delivered"),
            Err(e) => tracing::warn!(error = %e, "message not delivered"),
        }
    }
}
