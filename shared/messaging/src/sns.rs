//! SMS through Amazon SNS (`Publish` to a phone number), with the client built from the
//! variables Lambda sets (no `aws-config` provider chain; `aws_env`).

use crate::{MessageError, Sms, SmsSender};
use async_trait::async_trait;
use aws_sdk_sns::Client;
use aws_sdk_sns::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_sns::types::MessageAttributeValue;

pub struct SnsSms {
    client: Client,
    /// Shown as the sender where the carrier allows it (`AWS.SNS.SMS.SenderID`).
    sender_id: Option<String>,
}

impl SnsSms {
    /// From the function's environment (`AWS_REGION`, its role's credentials, and
    /// `AWS_ENDPOINT_URL_SNS` or `AWS_ENDPOINT_URL` for an emulator).
    pub fn from_lambda_env(sender_id: Option<String>) -> Result<Self, String> {
        Self::from_vars(sender_id, |name| std::env::var(name).ok())
    }

    /// As [`from_lambda_env`](Self::from_lambda_env), reading the variables through `var`.
    pub fn from_vars(
        sender_id: Option<String>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let config = aws_env::LambdaEnv::read("AWS_ENDPOINT_URL_SNS", var)?.sdk_config();
        let client = Client::from_conf(aws_sdk_sns::config::Builder::from(&config).build());
        Ok(SnsSms {
            client,
            sender_id: sender_id.filter(|s| !s.is_empty()),
        })
    }
}

#[async_trait]
impl SmsSender for SnsSms {
    async fn send(&self, sms: Sms) -> Result<(), MessageError> {
        let attribute = |value: &str| {
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value(value)
                .build()
                .map_err(|e| MessageError::Refused(e.to_string()))
        };
        // A one-time code is transactional: SNS then favours delivery over cost.
        let mut publish = self
            .client
            .publish()
            .phone_number(&sms.to)
            .message(&sms.text)
            .message_attributes("AWS.SNS.SMS.SMSType", attribute("Transactional")?);
        if let Some(sender) = &self.sender_id {
            publish = publish.message_attributes("AWS.SNS.SMS.SenderID", attribute(sender)?);
        }
        match publish.send().await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some("InvalidParameter") => {
                Err(MessageError::Refused(DisplayErrorContext(&e).to_string()))
            }
            Err(e) => Err(MessageError::Unavailable(
                DisplayErrorContext(&e).to_string(),
            )),
        }
    }
}
