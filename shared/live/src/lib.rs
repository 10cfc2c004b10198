//! Live events through API Gateway WebSocket APIs.
//!
//! API Gateway holds the sockets and hands the function three routes' events (`$connect`,
//! `$disconnect`, `$default` for every frame); the function answers by posting to a
//! connection through the management API. Which user a connection belongs to, and which
//! rooms it joined, live in the product's table ([`connections`]). A REST handler sends an
//! event through [`Live`] after its write.
//!
//! Two endpoints speak over it: [`socketio::SocketIo`] (Engine.IO v4 and Socket.IO v5, for
//! the official client) and [`plain::PlainJson`] (JSON messages). The same endpoint runs
//! under the Lambda runtime ([`lambda`]) and behind the local gateway ([`local`]), which
//! plays API Gateway on this machine: its events, its management API, its 410 for a gone
//! connection and its refusal to post during `$connect`.

pub mod caller;
pub mod connections;
pub mod endpoint;
pub mod gateway;
#[cfg(feature = "lambda")]
pub mod lambda;
#[cfg(feature = "local")]
pub mod local;
pub mod plain;
pub mod publish;
pub mod socketio;

pub use endpoint::{DynEndpoint, Endpoint, Route, SocketEvent, SocketReply};
pub use gateway::{DynGateway, Gateway, ManagementApi, PostError};
pub use publish::{Delivery, Live};
