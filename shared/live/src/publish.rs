//! Sending an event to a user's connections or a room's, from a REST handler (after its
//! write) or from the endpoint. Each recipient's session is checked first: a connection
//! ends with the session it was opened with (a logout, a demotion), not two hours later.
//! A connection API Gateway no longer knows (410) is forgotten.

use crate::connections::{self, Connection, Recipient};
use crate::gateway::{DynGateway, PostError};
use futures_util::stream::{self, StreamExt};
use store::DynStore;
use web_auth::Sessions;
use web_core::ApiResult;

/// How many posts a delivery has in flight at most.
pub const AT_ONCE: usize = 32;

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

    /// Sends `frame` to each of `recipients`, [`AT_ONCE`] at a time (a heartbeat over
    /// thousands of connections neither opens thousands of requests nor waits for each).
    pub async fn deliver(&self, recipients: Vec<Recipient>, frame: &str) -> Delivery {
        // Each send owns its recipient: a closure over borrowed ones is not `Send` enough for
        // the endpoints' `async_trait` futures.
        let sends = recipients
            .into_iter()
            .map(|recipient| async move { self.send(&recipient, frame).await });
        let outcomes: Vec<Outcome> = stream::iter(sends)
            .buffer_unordered(AT_ONCE)
            .collect()
            .await;
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::gateway::Gateway;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use web_auth::{ClaimNames, SessionSettings, TokenIdentity};
    use web_core::config::Env;

    /// A gateway whose posts take a moment, counting how many are in flight at most; one
    /// connection is gone.
    #[derive(Default)]
    struct Slow {
        in_flight: AtomicUsize,
        most: AtomicUsize,
    }

    #[async_trait::async_trait]
    impl Gateway for Slow {
        async fn post(&self, connection: &str, _: &str) -> Result<(), PostError> {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            match connection {
                "gone" => Err(PostError::Gone),
                _ => Ok(()),
            }
        }
        async fn is_open(&self, _: &str) -> Result<bool, PostError> {
            Ok(true)
        }
        async fn close(&self, _: &str) -> Result<(), PostError> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_delivery_keeps_a_bounded_number_of_posts_in_flight() {
        let dir = tempfile_dir();
        let store: store::DynStore =
            Arc::new(store::embedded::EmbeddedStore::open(&dir.join("t.sqlite3")).unwrap());
        let identity = TokenIdentity {
            issuer: "t",
            audience: "t",
            claims: ClaimNames::CAMEL,
            access_ttl_secs: 60,
            refresh_ttl_secs: 60,
        };
        let env = Env::given([
            ("JWT_SECRET", "test-access-secret-0123456789abcdef0123"),
            (
                "JWT_REFRESH_SECRET",
                "test-refresh-secret-0123456789abcdef01",
            ),
        ]);
        let sessions = SessionSettings::from_env(&env, identity)
            .unwrap()
            .sessions(store);
        let gateway = Arc::new(Slow::default());
        let live = Live::new(sessions, gateway.clone());
        let recipients: Vec<Recipient> = (0..200)
            .map(|i| Recipient {
                connection: if i == 7 {
                    "gone".into()
                } else {
                    format!("c{i}")
                },
                session: None,
            })
            .collect();
        let delivery = live.deliver(recipients, "2").await;
        assert_eq!((delivery.sent, delivery.gone), (199, 1));
        let most = gateway.most.load(Ordering::SeqCst);
        assert!(
            most > 1 && most <= AT_ONCE,
            "{most} posts in flight at most"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("live-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
