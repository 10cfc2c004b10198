//! The outbound message ports. A product sends an SMS through [`SmsSender`] and an email
//! through [`MailSender`]; which adapter carries them is the deployment's choice: Amazon SNS
//! ([`sns::SnsSms`], feature `sns`) and Amazon SES ([`ses::SesMail`], feature `ses`) in
//! Lambda, the [`Outbox`] on a laptop and in tests (it records every message and may print
//! it, so a developer reads the login code or the link the server "sent").

use async_trait::async_trait;
use serde::Serialize;
use std::sync::{Arc, Mutex, OnceLock};

#[cfg(feature = "ses")]
pub mod ses;
#[cfg(feature = "sns")]
pub mod sns;

/// A text message to one phone number, in E.164 form (`+2250701020304`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sms {
    pub to: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    /// The number or text was refused by the carrier: the caller's input.
    #[error("message refused: {0}")]
    Refused(String),
    /// The service could not be reached or failed: worth retrying later.
    #[error("message service unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    async fn send(&self, sms: Sms) -> Result<(), MessageError>;
}

pub type DynSms = Arc<dyn SmsSender>;

/// An email to one address: a subject, a plain-text body and, optionally, an HTML one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
}

#[async_trait]
pub trait MailSender: Send + Sync {
    async fn send_email(&self, email: Email) -> Result<(), MessageError>;
}

pub type DynMail = Arc<dyn MailSender>;

/// A mail sender built when a request first sends mail: a function whose requests mostly
/// send none (a login beside the ones that do) neither builds the SDK client at init nor
/// pages its code in until then.
pub struct LazyMail {
    build: Box<dyn Fn() -> Result<DynMail, MessageError> + Send + Sync>,
    built: OnceLock<DynMail>,
}

impl LazyMail {
    /// A sender that calls `build` on its first email, and again after a failed build.
    pub fn new(build: impl Fn() -> Result<DynMail, MessageError> + Send + Sync + 'static) -> Self {
        LazyMail {
            build: Box::new(build),
            built: OnceLock::new(),
        }
    }
}

#[async_trait]
impl MailSender for LazyMail {
    async fn send_email(&self, email: Email) -> Result<(), MessageError> {
        let sender = match self.built.get() {
            Some(sender) => sender,
            None => {
                let sender = (self.build)()?;
                self.built.get_or_init(|| sender)
            }
        };
        sender.send_email(email).await
    }
}

/// A message the outbox holds, with when it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sent {
    #[serde(flatten)]
    pub sms: Sms,
    pub sent_at: String,
}

/// An email the outbox holds, with when it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentEmail {
    #[serde(flatten)]
    pub email: Email,
    pub sent_at: String,
}

/// Everything an outbox holds, as the local server lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub sms: Vec<Sent>,
    pub emails: Vec<SentEmail>,
}

/// Records every message instead of sending it; with a label, also prints each one as a
/// line (`Kbine SMS to +225…: …`, `Lumira email to …: <subject>`) for the developer running
/// the local server.
#[derive(Debug, Default)]
pub struct Outbox {
    label: Option<String>,
    sent: Mutex<Listing>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Outbox {
    /// An outbox that keeps what is sent, silently (tests).
    pub fn new() -> Arc<Self> {
        Arc::new(Outbox::default())
    }

    /// An outbox that also prints each message under `label` (the local server).
    pub fn printing(label: impl Into<String>) -> Arc<Self> {
        Arc::new(Outbox {
            label: Some(label.into()),
            sent: Mutex::default(),
        })
    }

    /// Every SMS sent so far, oldest first.
    pub fn sent(&self) -> Vec<Sent> {
        self.listing().sms
    }

    /// Every email sent so far, oldest first.
    pub fn emails(&self) -> Vec<SentEmail> {
        self.listing().emails
    }

    /// Every message sent so far.
    pub fn listing(&self) -> Listing {
        self.sent.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn record(&self, add: impl FnOnce(&mut Listing)) -> Result<(), MessageError> {
        let mut sent = self
            .sent
            .lock()
            .map_err(|_| MessageError::Unavailable("outbox poisoned".into()))?;
        add(&mut sent);
        Ok(())
    }
}

#[async_trait]
impl SmsSender for Outbox {
    async fn send(&self, sms: Sms) -> Result<(), MessageError> {
        if let Some(label) = &self.label {
            println!("{label} SMS to {}: {}", sms.to, sms.text);
        }
        let sent_at = now();
        self.record(|sent| sent.sms.push(Sent { sms, sent_at }))
    }
}

#[async_trait]
impl MailSender for Outbox {
    async fn send_email(&self, email: Email) -> Result<(), MessageError> {
        if let Some(label) = &self.label {
            println!("{label} email to {}: {}", email.to, email.subject);
        }
        let sent_at = now();
        self.record(|sent| sent.emails.push(SentEmail { email, sent_at }))
    }
}

/// What a deployment without an SMS service answers: every send fails, so a feature that
/// needs one is refused rather than silently not delivered.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoSms;

#[async_trait]
impl SmsSender for NoSms {
    async fn send(&self, _: Sms) -> Result<(), MessageError> {
        Err(MessageError::Unavailable(
            "no SMS service is configured".into(),
        ))
    }
}

/// What a deployment without an email service answers: every send fails.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoMail;

#[async_trait]
impl MailSender for NoMail {
    async fn send_email(&self, _: Email) -> Result<(), MessageError> {
        Err(MessageError::Unavailable(
            "no email service is configured".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn email() -> Email {
        Email {
            to: "client@example.com".into(),
            subject: "Votre lecture".into(),
            text: "Bonjour".into(),
            html: None,
        }
    }

    #[tokio::test]
    async fn the_outbox_keeps_what_was_sent_in_order() {
        let outbox = Outbox::new();
        for text in ["un", "deux"] {
            let sms = Sms {
                to: "+2250701020304".into(),
                text: text.into(),
            };
            outbox.send(sms).await.unwrap();
        }
        let texts: Vec<_> = outbox.sent().into_iter().map(|s| s.sms.text).collect();
        assert_eq!(texts, ["un", "deux"]);
        assert!(NoSms.send(outbox.sent()[0].sms.clone()).await.is_err());
        let email = email();
        outbox.send_email(email.clone()).await.unwrap();
        assert_eq!(outbox.emails()[0].email, email);
        assert_eq!(outbox.listing().sms.len(), 2);
        assert!(NoMail.send_email(email).await.is_err());
    }

    #[tokio::test]
    async fn a_lazy_sender_is_built_by_its_first_email_once() {
        let outbox = Outbox::new();
        let builds = Arc::new(Mutex::new(0));
        let (counted, inner) = (builds.clone(), outbox.clone());
        let lazy = LazyMail::new(move || {
            *counted.lock().unwrap() += 1;
            Ok(inner.clone() as DynMail)
        });
        assert_eq!(*builds.lock().unwrap(), 0, "nothing built before an email");
        let email = email();
        lazy.send_email(email.clone()).await.unwrap();
        lazy.send_email(email.clone()).await.unwrap();
        assert_eq!(*builds.lock().unwrap(), 1);
        assert_eq!(outbox.emails().len(), 2);

        let failing = LazyMail::new(|| Err(MessageError::Unavailable("no region".into())));
        let error = failing.send_email(email).await.unwrap_err();
        assert!(matches!(error, MessageError::Unavailable(_)), "{error}");
    }
}
