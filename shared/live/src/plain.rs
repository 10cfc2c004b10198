//! A plain WebSocket endpoint of JSON messages, each an object with a `type`:
//!
//! - the client connects with its access token in the query string (`?token=...`); a
//!   missing or invalid one refuses the handshake (401);
//! - once the connection is open and listed under its user, the server sends
//!   `{"type":"ready"}`: from then on, the user's events reach it;
//! - `{"type":"ping"}` from the client is answered `{"type":"pong"}` (a round trip the
//!   client can wait on); the heartbeat sends `{"type":"ping"}`, which a client may ignore;
//! - anything else is answered `{"type":"error","message":...}`, in the product's words.
//!
//! The product's own events are `{"type": <its name>, ...}` (see [`message`]).

use crate::caller::{authenticate, refusal};
use crate::connections::{self, Connection};
use crate::endpoint::{Endpoint, Route, SocketEvent, SocketReply};
use crate::publish::Live;
use async_trait::async_trait;
use serde_json::{Value, json};
use web_core::ApiError;
use web_core::error::ErrorStyle;

/// A plain JSON endpoint, refusing in `style`'s words.
pub struct PlainJson {
    pub live: Live,
    pub style: &'static dyn ErrorStyle,
    /// What an unknown or malformed message is answered (in the product's language).
    pub unknown_message: &'static str,
}

/// The frame of an event of type `kind` carrying `fields` (an object).
pub fn message(kind: &str, fields: Value) -> String {
    let mut object = json!({ "type": kind });
    if let (Some(all), Value::Object(fields)) = (object.as_object_mut(), fields) {
        all.extend(fields);
    }
    object.to_string()
}

impl PlainJson {
    async fn connect(&self, event: &SocketEvent) -> SocketReply {
        let token = event.query.get("token").map(String::as_str);
        let caller = match authenticate(&self.live.sessions, token).await {
            Ok(caller) => caller,
            Err(e) => return SocketReply::refuse(e.status().as_u16()),
        };
        let connection = Connection::new(&event.connection, Some(caller));
        self.live.accept(&connection).await
    }

    async fn frame(&self, id: &str, text: &str) {
        let kind = serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| v["type"].as_str().map(str::to_owned));
        let answer = match kind.as_deref() {
            Some("ping") => message("pong", json!({})),
            Some("pong") => return,
            _ => {
                let refused = ApiError::bad_request(self.unknown_message);
                message("error", json!({"message": refusal(self.style, &refused)}))
            }
        };
        self.live.post_or_forget(id, &answer).await;
    }

    async fn list(&self, id: &str) -> Result<bool, ApiError> {
        let caller = connections::get(self.live.store(), id)
            .await?
            .and_then(|connection| connection.caller());
        let Some(caller) = caller else {
            return Ok(false);
        };
        connections::list(self.live.store(), id, &caller).await?;
        Ok(true)
    }
}

#[async_trait]
impl Endpoint for PlainJson {
    async fn handle(&self, event: SocketEvent) -> SocketReply {
        match event.route {
            Route::Connect => self.connect(&event).await,
            Route::Disconnect => {
                self.live.forget(&event.connection).await;
                SocketReply::OK
            }
            Route::Default => {
                let text = event.body.as_deref().unwrap_or_default();
                self.frame(&event.connection, text).await;
                SocketReply::OK
            }
        }
    }

    async fn opened(&self, id: &str) {
        if !self.live.when_open(id).await {
            return;
        }
        match self.list(id).await {
            Ok(true) => {
                self.live
                    .post_or_forget(id, &message("ready", json!({})))
                    .await;
            }
            Ok(false) => {}
            Err(e) => tracing::error!(connection = id, error = %e, "connection not listed"),
        }
    }

    async fn heartbeat(&self) -> Result<String, String> {
        self.live.to_everyone(&message("ping", json!({}))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_its_type_and_its_fields() {
        assert_eq!(message("ready", json!({})), r#"{"type":"ready"}"#);
        let sent: Value =
            serde_json::from_str(&message("message", json!({"message": {"id": "m1"}})))
                .unwrap_or_default();
        assert_eq!(sent, json!({"type": "message", "message": {"id": "m1"}}));
    }
}
