//! A Socket.IO endpoint over API Gateway: Engine.IO v4 and Socket.IO v5 on the WebSocket
//! transport alone (API Gateway has no long polling), namespace `/`, text packets.
//!
//! - `$connect` checks the Engine.IO handshake's query (`EIO=4`, `transport=websocket`) and,
//!   when the query carries a `token`, that token; it stores the connection.
//! - Once API Gateway takes posts, the open packet goes out ([`Endpoint::opened`]).
//! - The client's CONNECT packet carries `auth: {token}` (or relies on the query's): a valid
//!   token is answered `40{"sid"}` and lists the connection under its user; any other is
//!   answered `44{"message"}`, in the product's words.
//! - Events (`42["name", ...]`) go to the product's [`Handler`]; an event that asks for an
//!   acknowledgement (`42<id>[...]`) gets one (`43<id>[...]`). A refused event is answered
//!   with the `error` event (`42["error", {"message"}]`).
//! - Pings come from the heartbeat, on a schedule ([`PING_INTERVAL_MS`]), since a function
//!   holds no timer between events.

use crate::caller::{authenticate, refusal};
use crate::connections::{self, Connection};
use crate::endpoint::{Endpoint, Route, SocketEvent, SocketReply};
use crate::publish::Live;
use async_trait::async_trait;
use engineioxide_core::{OpenPacket, Packet as EnginePacket, ProtocolVersion, Sid};
use serde_json::{Value, json};
use socketioxide_core::Str;
use socketioxide_core::packet::{Packet, PacketData};
use socketioxide_core::parser::{Parse, ParseConfig, ParserState};
use socketioxide_parser_common::CommonParser;
use std::time::Duration;
use web_core::ApiError;
use web_core::error::ErrorStyle;

/// How often the server pings (the heartbeat's schedule, once a minute, with room to
/// spare), and how long a client then waits for the next ping before it gives up.
pub const PING_INTERVAL_MS: u64 = 60_000;
pub const PING_TIMEOUT_MS: u64 = 60_000;
/// API Gateway refuses frames over 32 KB.
pub const MAX_PAYLOAD: u64 = 32 * 1024;

/// What a product does with its clients' events.
#[async_trait]
pub trait Handler: Send + Sync + 'static {
    /// The event `name` with its arguments, from a signed-in connection: the value its
    /// acknowledgement carries, or the refusal sent back as the `error` event.
    async fn on_event(
        &self,
        live: &Live,
        connection: &Connection,
        name: &str,
        args: &[Value],
    ) -> Result<Value, ApiError>;
}

/// A Socket.IO endpoint running `handler`, refusing in `style`'s words.
pub struct SocketIo<H> {
    pub live: Live,
    pub handler: H,
    pub style: &'static dyn ErrorStyle,
}

/// The Engine.IO text frame of a Socket.IO packet.
pub fn frame(packet: Packet) -> String {
    let text = match CommonParser.encode(packet) {
        socketioxide_core::Value::Str(text, _) => text,
        socketioxide_core::Value::Bytes(_) => Str::from(""),
    };
    String::from(EnginePacket::Message(text))
}

/// The frame of the event `name` carrying `data` (`42["name", data]`).
pub fn event(name: &str, data: &Value) -> Result<String, ApiError> {
    let value = CommonParser
        .encode_value(data, Some(name))
        .map_err(ApiError::internal)?;
    Ok(frame(Packet::event("/", value)))
}

fn ack(id: i64, data: &Value) -> Result<String, ApiError> {
    let value = CommonParser
        .encode_value(&[data], None)
        .map_err(ApiError::internal)?;
    Ok(frame(Packet::ack("/", value, id)))
}

/// The open packet: a WebSocket-only session, pinged by the heartbeat.
pub fn open_packet() -> String {
    String::from(EnginePacket::Open(OpenPacket {
        sid: Sid::new(),
        upgrades: Default::default(),
        ping_interval: Duration::from_millis(PING_INTERVAL_MS),
        ping_timeout: Duration::from_millis(PING_TIMEOUT_MS),
        max_payload: MAX_PAYLOAD,
    }))
}

impl<H: Handler> SocketIo<H> {
    async fn connect(&self, event: &SocketEvent) -> SocketReply {
        let query = |name: &str| event.query.get(name).map(String::as_str);
        if query("EIO") != Some("4") || query("transport") != Some("websocket") {
            return SocketReply::refuse(400);
        }
        let caller = match query("token") {
            None => None,
            Some(token) => match authenticate(&self.live.sessions, Some(token)).await {
                Ok(caller) => Some(caller),
                Err(e) => return SocketReply::refuse(e.status().as_u16()),
            },
        };
        let connection = Connection::new(&event.connection, caller);
        self.live.accept(&connection).await
    }

    async fn frame(&self, id: &str, text: &str) -> Result<(), ApiError> {
        match EnginePacket::parse(ProtocolVersion::V4, text.to_owned()) {
            Ok(EnginePacket::Message(message)) => self.packet(id, message).await,
            Ok(EnginePacket::Pong) => Ok(()),
            Ok(EnginePacket::Ping) => self.post(id, String::from(EnginePacket::Pong)).await,
            // A close, and upgrades, binary frames and malformed ones: a Socket.IO server
            // closes the connection.
            _ => {
                self.live.end(id).await;
                Ok(())
            }
        }
    }

    async fn packet(&self, id: &str, message: Str) -> Result<(), ApiError> {
        let decoded =
            CommonParser.decode_str(&ParseConfig::default(), &ParserState::default(), message);
        let Ok(packet) = decoded else {
            self.live.end(id).await;
            return Ok(());
        };
        if packet.ns != "/" {
            let refused = Packet::connect_error(packet.ns, "Invalid namespace");
            return self.post(id, frame(refused)).await;
        }
        let Some(connection) = connections::get(self.live.store(), id).await? else {
            return Ok(());
        };
        match packet.inner {
            PacketData::Connect(auth) => self.join_namespace(connection, auth).await,
            PacketData::Disconnect => {
                self.live.end(id).await;
                Ok(())
            }
            PacketData::Event(data, ack_id) if connection.listed => {
                self.event(&connection, data, ack_id).await
            }
            // Events before CONNECT, acknowledgements (the server asks for none), binary
            // packets (nothing here sends them).
            _ => Ok(()),
        }
    }

    async fn join_namespace(
        &self,
        connection: Connection,
        auth: Option<socketioxide_core::Value>,
    ) -> Result<(), ApiError> {
        let auth: Value = auth
            .as_ref()
            .and_then(|a| a.as_str())
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or(Value::Null);
        let token = auth["token"].as_str().map(str::to_owned);
        let checked = match (token, &connection.session) {
            (Some(token), _) => authenticate(&self.live.sessions, Some(&token)).await,
            // The query's token, checked at `$connect`; its session may have ended since.
            (None, Some(_)) => match connection.caller() {
                Some(caller) if self.live.sessions.is_active(&caller.session).await? => Ok(caller),
                _ => Err(ApiError::of(web_core::error::ErrorKind::InvalidToken)),
            },
            (None, None) => authenticate(&self.live.sessions, None).await,
        };
        let caller = match checked {
            Ok(caller) => caller,
            Err(e) => {
                let message = refusal(self.style, &e);
                let refused = Packet::connect_error("/", message);
                return self.post(&connection.id, frame(refused)).await;
            }
        };
        connections::list(self.live.store(), &connection.id, &caller).await?;
        let accepted = json!({"sid": Sid::new().to_string()}).to_string();
        let packet = Packet::connect(
            "/",
            Some(socketioxide_core::Value::Str(accepted.into(), None)),
        );
        self.post(&connection.id, frame(packet)).await
    }

    async fn event(
        &self,
        connection: &Connection,
        data: socketioxide_core::Value,
        ack_id: Option<i64>,
    ) -> Result<(), ApiError> {
        let args: Vec<Value> = data
            .as_str()
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default();
        let Some((Value::String(name), args)) = args.split_first() else {
            self.live.end(&connection.id).await;
            return Ok(());
        };
        let answer = self
            .handler
            .on_event(&self.live, connection, name, args)
            .await;
        let answer = match answer {
            Ok(value) => value,
            Err(e) => {
                let message = refusal(self.style, &e);
                let body = json!({"message": message});
                self.post(&connection.id, event("error", &body)?).await?;
                json!({"error": message})
            }
        };
        match ack_id {
            Some(ack_id) => self.post(&connection.id, ack(ack_id, &answer)?).await,
            None => Ok(()),
        }
    }

    /// Posts `frame` (a connection gone meanwhile is forgotten: [`Live::post_or_forget`]).
    async fn post(&self, id: &str, frame: String) -> Result<(), ApiError> {
        self.live.post_or_forget(id, &frame).await;
        Ok(())
    }
}

#[async_trait]
impl<H: Handler> Endpoint for SocketIo<H> {
    async fn handle(&self, event: SocketEvent) -> SocketReply {
        match event.route {
            Route::Connect => self.connect(&event).await,
            Route::Disconnect => {
                self.live.forget(&event.connection).await;
                SocketReply::OK
            }
            Route::Default => {
                let text = event.body.as_deref().unwrap_or_default();
                if let Err(e) = self.frame(&event.connection, text).await {
                    tracing::error!(connection = %event.connection, error = %e, "frame failed");
                }
                SocketReply::OK
            }
        }
    }

    async fn opened(&self, connection: &str) {
        self.live.first_frame(connection, &open_packet()).await;
    }

    async fn heartbeat(&self) -> Result<String, String> {
        self.live
            .to_everyone(&String::from(EnginePacket::Ping))
            .await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_engine_io_messages_of_socket_io_packets() {
        assert_eq!(
            event("new-order", &json!({"id": 1})).unwrap(),
            r#"42["new-order",{"id":1}]"#
        );
        assert_eq!(ack(7, &json!({"ok": true})).unwrap(), r#"437[{"ok":true}]"#);
        assert_eq!(
            frame(Packet::connect_error("/", "Token invalide")),
            r#"44{"message":"Token invalide"}"#
        );
        let open: Value = serde_json::from_str(&open_packet()[1..]).unwrap();
        assert_eq!(&open_packet()[..1], "0");
        assert_eq!(open["upgrades"], json!([]));
        assert_eq!(open["pingInterval"], PING_INTERVAL_MS);
        assert_eq!(open["pingTimeout"], PING_TIMEOUT_MS);
        assert_eq!(open["maxPayload"], MAX_PAYLOAD);
        assert!(open["sid"].as_str().is_some_and(|sid| !sid.is_empty()));
    }
}
