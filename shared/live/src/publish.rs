//! Sending an event to a user's connections or a room's, from a REST handler (after its
//! write) or from the endpoint. Each recipient's session is checked first: a connection
//! ends with the session it was opened with (a logout, a demotion), not two hours later.
//! A connection API Gateway no longer knows (410) is forgotten.

use crate::connections::{self, Connection, Recipient};
use crate::gateway::{DynGateway, PostError};
use futures_util::future::join_all;
use store::DynStore;
use web_auth::Sessions;
use web_core::ApiResult;

/// Where a product's events go.
#[derive(Clone)]
pub struct Live {
    pub sessions: Sessions,
    pub gateway: DynGateway,
}

/// What became of an event.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    /// Connections that were gone, now forgotten.
    pub gone: usize,
    /// Connections whose session had ended, now closed.
    pub ended: usize,
    pub failed: usize,
}

enum Outcome {
    Sent,
    Gone,
    Ended,
    Failed,
}

impl Live {
    pub fn new(sessions: Sessions, gateway: DynGateway) -> Live {
        Live { sessions, gateway }
    }

    pub fn store(&self) -> &DynStore {
        self.sessions.store()
    }

    /// Sends `frame` to every listed connection of `user`.
    pub async fn to_user(&self, user: &str, frame: &str) -> ApiResult<Delivery> {
        let recipients = connections::of_user(self.store(), user).await?;
        Ok(self.deliver(recipients, frame).await)
    }

    /// Sends `frame` to every connection in `room`.
    pub async fn to_room(&self, room: &str, frame: &str) -> ApiResult<Delivery> {
        let recipients = connections::in_room(self.store(), room).await?;
        Ok(self.deliver(recipients, frame).await)
    }

    /// Sends `frame` to every connection (the heartbeat's ping); what became of it.
    pub async fn to_everyone(&self, frame: &str) -> Result<String, String> {
        let everyone = connections::all(self.store())
            .await
            .map_err(|e| e.to_string())?;
        let recipients = everyone.iter().map(Connection::recipient).collect();
        let delivery = self.deliver(recipients, frame).await;
        Ok(format!("{delivery:?}"))
    }

    /// Sends `frame` to each of `recipients` at once.
    pub async fn deliver(&self, recipients: Vec<Recipient>, frame: &str) -> Delivery {
        let outcomes = join_all(recipients.iter().map(|r| self.send(r, frame))).await;
        let mut delivery = Delivery::default();
        for outcome in outcomes {
            match outcome {
                Outcome::Sent => delivery.sent += 1,
                Outcome::Gone => delivery.gone += 1,
                Outcome::Ended => delivery.ended += 1,
                Outcome::Failed => delivery.failed += 1,
            }
        }
        delivery
    }

    async fn send(&self, recipient: &Recipient, frame: &str) -> Outcome {
        let id = recipient.connection.as_str();
        if let Some(session) = &recipient.session {
            match self.sessions.is_active(session).await {
                Ok(true) => {}
                Ok(false) => {
                    self.end(id).await;
                    return Outcome::Ended;
                }
                Err(e) => {
                    tracing::warn!(connection = id, error = %e, "session check failed");
                    return Outcome::Failed;
                }
            }
        }
        match self.gateway.post(id, frame).await {
            Ok(()) => Outcome::Sent,
            Err(PostError::Gone) => {
                self.forget(id).await;
                Outcome::Gone
            }
            Err(e) => {
                tracing::warn!(connection = id, error = %e, "event not posted");
                Outcome::Failed
            }
        }
    }

    /// Closes a connection and forgets it.
    pub async fn end(&self, id: &str) {
        match self.gateway.close(id).await {
            Ok(()) | Err(PostError::Gone) => {}
            Err(e) => tracing::warn!(connection = id, error = %e, "connection not closed"),
        }
        self.forget(id).await;
    }

    /// Stores a connection `$connect` accepts; its answer (500 if it could not be stored).
    pub async fn accept(&self, connection: &Connection) -> crate::SocketReply {
        match connections::open(self.store(), connection).await {
            Ok(()) => crate::SocketReply::ACCEPT,
            Err(e) => {
                tracing::error!(error = %e, "connection not stored");
                crate::SocketReply::refuse(500)
            }
        }
    }

    /// Forgets a connection (closed, or gone); a failure is logged: its items expire anyway.
    pub async fn forget(&self, id: &str) {
        if let Err(e) = connections::forget(self.store(), id).await {
            tracing::warn!(connection = id, error = %e, "connection not forgotten");
        }
    }
}

/// How long a new connection is waited for.
const OPENING_PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

impl Live {
    /// Waits for API Gateway to open a connection it accepted: right after `$connect`
    /// returns, it still answers 410 for a moment. Gives up when the connection was
    /// forgotten meanwhile (closed before it opened) or after a few seconds. Whether it is
    /// open.
    pub async fn when_open(&self, id: &str) -> bool {
        let started = std::time::Instant::now();
        let mut pause = std::time::Duration::from_millis(2);
        loop {
            match self.gateway.is_open(id).await {
                Ok(true) => return true,
                Ok(false) if started.elapsed() < OPENING_PATIENCE => {
                    match connections::get(self.store(), id).await {
                        Ok(Some(_)) => {}
                        Ok(None) => return false,
                        Err(e) => {
                            tracing::warn!(connection = id, error = %e, "connection unreadable");
                            return false;
                        }
                    }
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(std::time::Duration::from_millis(100));
                }
                Ok(false) => {
                    self.forget(id).await;
                    return false;
                }
                Err(e) => {
                    tracing::warn!(connection = id, error = %e, "connection not checked");
                    return false;
                }
            }
        }
    }

    /// Posts a connection's first frame once API Gateway has opened it.
    pub async fn first_frame(&self, id: &str, frame: &str) -> bool {
        self.when_open(id).await && self.post_or_forget(id, frame).await
    }

    /// Posts `frame`; forgets the connection if it is gone. Whether it was sent.
    pub async fn post_or_forget(&self, id: &str, frame: &str) -> bool {
        match self.gateway.post(id, frame).await {
            Ok(()) => true,
            Err(PostError::Gone) => {
                self.forget(id).await;
                false
            }
            Err(e) => {
                tracing::warn!(connection = id, error = %e, "frame not posted");
                false
            }
        }
    }
}
