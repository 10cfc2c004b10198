//! Email through Amazon SES (API v2 `SendEmail`, simple content), with the client built from
//! the variables Lambda sets (`aws_env`), as the SNS adapter's.

use crate::{Email, MailSender, MessageError};
use async_trait::async_trait;
use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

pub struct SesMail {
    client: Client,
    /// The verified identity every email is sent from (`Oracle Lumira <noreply@…>`).
    from: String,
}

impl SesMail {
    /// From the function's environment (`AWS_REGION`, its role's credentials, and
    /// `AWS_ENDPOINT_URL_SESV2` or `AWS_ENDPOINT_URL` for an emulator).
    pub fn from_lambda_env(from: impl Into<String>) -> Result<Self, String> {
        Self::from_vars(from, |name| std::env::var(name).ok())
    }

    /// As [`from_lambda_env`](Self::from_lambda_env), reading the variables through `var`.
    /// As [`from_lambda_env`](Self::from_lambda_env), with the client built by the first
    /// email: a function whose other routes send none never pays for it at init.
    pub fn lazy_from_lambda_env(from: impl Into<String>) -> crate::DynMail {
        let from = from.into();
        std::sync::Arc::new(crate::LazyMail::new(move || {
            let sender =
                SesMail::from_lambda_env(from.clone()).map_err(MessageError::Unavailable)?;
            Ok(std::sync::Arc::new(sender) as crate::DynMail)
        }))
    }

    pub fn from_vars(
        from: impl Into<String>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let config = aws_env::LambdaEnv::read("AWS_ENDPOINT_URL_SESV2", var)?.sdk_config();
        let client = Client::from_conf(aws_sdk_sesv2::config::Builder::from(&config).build());
        Ok(SesMail {
            client,
            from: from.into(),
        })
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}

fn content(text: &str) -> Result<Content, MessageError> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| MessageError::Refused(e.to_string()))
}

#[async_trait]
impl MailSender for SesMail {
    async fn send_email(&self, email: Email) -> Result<(), MessageError> {
        let mut body = Body::builder().text(content(&email.text)?);
        if let Some(html) = &email.html {
            body = body.html(content(html)?);
        }
        let message = Message::builder()
            .subject(content(&email.subject)?)
            .body(body.build())
            .build();
        let sent = self
            .client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&email.to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await;
        match sent {
            Ok(_) => Ok(()),
            // The address or the message was refused: the caller's input, not an outage.
            Err(e) if matches!(e.code(), Some("BadRequestException" | "MessageRejected")) => {
                Err(MessageError::Refused(DisplayErrorContext(&e).to_string()))
            }
            Err(e) => Err(MessageError::Unavailable(
                DisplayErrorContext(&e).to_string(),
            )),
        }
    }
}
