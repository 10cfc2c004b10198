//! The Stripe adapter, through async-stripe: its request builders say what Stripe is sent,
//! and [`transport::StripeHttp`] sends them; responses are read into the few fields this port
//! reports, so a response with more or fewer fields than the crate's full `PaymentIntent`
//! (localstripe's older object shapes, a newer API version) still reads.

mod checkout;
mod transport;

use crate::{
    Checkout, Gateway, GatewayError, Intent, IntentStatus, NewCheckout, NewIntent, Subscription,
};
use async_trait::async_trait;
use std::collections::HashMap;
use std::time::Duration;
use stripe_client_core::{
    IdempotencyKey, RequestBuilder, RequestStrategy, StripeMethod, StripeRequest,
};
use stripe_core::payment_intent::{CreatePaymentIntent, RetrievePaymentIntent};
use transport::{Failure, StripeHttp};

/// How many times a call is made when Stripe cannot be reached or fails on its side; every
/// attempt of a creation carries the same idempotency key.
const ATTEMPTS: u32 = 3;
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct StripeGateway {
    client: StripeHttp,
}

impl StripeGateway {
    /// `api_base` points the client elsewhere than `https://api.stripe.com/` (localstripe).
    pub fn new(secret_key: &str, api_base: Option<&str>) -> Result<Self, GatewayError> {
        let client = StripeHttp::new(secret_key, api_base, ATTEMPT_TIMEOUT)
            .map_err(|error| GatewayError::Unavailable(error.to_string()))?;
        Ok(StripeGateway { client })
    }
}

/// The key a stand-in on this machine is called with when none is set: localstripe takes
/// any test key, and a developer running it needs no Stripe account.
pub const LOCAL_TEST_KEY: &str = "sk_test_local_stand_in";

/// The key to call Stripe with: the one set, or [`LOCAL_TEST_KEY`] when `api_base` is a
/// stand-in on 127.0.0.1 (never for Stripe itself, where a made-up key would only fail).
pub fn key_for(secret_key: Option<&str>, api_base: Option<&str>) -> Option<String> {
    let local = api_base.is_some_and(|base| {
        base.starts_with("http://127.0.0.1:") || base.starts_with("http://localhost:")
    });
    match secret_key {
        Some(key) if !key.is_empty() => Some(key.to_owned()),
        _ if local => Some(LOCAL_TEST_KEY.to_owned()),
        _ => None,
    }
}

/// The fields of a PaymentIntent this port reports.
#[derive(miniserde::Deserialize)]
struct IntentFields {
    id: String,
    client_secret: Option<String>,
    status: String,
    amount: i64,
    currency: String,
    metadata: Option<HashMap<String, String>>,
}

impl From<IntentFields> for Intent {
    fn from(fields: IntentFields) -> Intent {
        Intent {
            id: fields.id,
            client_secret: fields.client_secret,
            status: IntentStatus::parse(&fields.status),
            amount: fields.amount,
            currency: fields.currency,
            metadata: fields.metadata.unwrap_or_default().into_iter().collect(),
        }
    }
}

fn gateway_error(error: Failure) -> GatewayError {
    match error {
        Failure::Api {
            status: 404,
            message,
        } => {
            tracing::info!(%message, "stripe: not found");
            GatewayError::NotFound
        }
        Failure::Api { status, message } if (400..500).contains(&status) => {
            GatewayError::Refused(message)
        }
        other => GatewayError::Unavailable(other.to_string()),
    }
}

/// Whether a failed attempt may be made again: Stripe unreachable, timed out or failing on
/// its side. A refusal is final.
fn worth_retrying(error: &Failure) -> bool {
    match error {
        Failure::Api { status, .. } => matches!(status, 409 | 429 | 500..=599),
        Failure::Unreachable(_) | Failure::Timeout => true,
        Failure::Decode(_) => false,
    }
}

impl StripeGateway {
    /// Sends the request `request` builds, again for what may be retried, with the same
    /// idempotency `key`; reads the answer as `T`.
    async fn send<T: miniserde::Deserialize + Send>(
        &self,
        request: impl Fn() -> RequestBuilder + Send + Sync,
        key: Option<&str>,
    ) -> Result<T, GatewayError> {
        let strategy = match key {
            Some(key) => RequestStrategy::Idempotent(
                IdempotencyKey::new(key).map_err(|e| GatewayError::Refused(e.to_string()))?,
            ),
            None => RequestStrategy::Once,
        };
        let mut attempt = 1;
        loop {
            let sent = request()
                .customize::<T>()
                .request_strategy(strategy.clone())
                .send(&self.client)
                .await;
            match sent {
                Ok(fields) => return Ok(fields),
                Err(error) if attempt < ATTEMPTS && worth_retrying(&error) => {
                    tracing::warn!(%error, attempt, "stripe: retrying");
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                    attempt += 1;
                }
                Err(error) => return Err(gateway_error(error)),
            }
        }
    }
}

#[async_trait]
impl Gateway for StripeGateway {
    async fn create_intent(&self, intent: &NewIntent) -> Result<Intent, GatewayError> {
        let currency = intent
            .currency
            .parse::<stripe_types::Currency>()
            .unwrap_or_else(|never| match never {});
        let request = CreatePaymentIntent::new(intent.amount, currency).metadata(
            intent
                .metadata
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<HashMap<_, _>>(),
        );
        let fields: IntentFields = self
            .send(|| request.build(), Some(&intent.idempotency_key))
            .await?;
        Ok(fields.into())
    }

    async fn intent(&self, id: &str) -> Result<Intent, GatewayError> {
        let fields: IntentFields = self
            .send(|| RetrievePaymentIntent::new(id).build(), None)
            .await?;
        Ok(fields.into())
    }

    async fn create_checkout(&self, checkout: &NewCheckout) -> Result<Checkout, GatewayError> {
        let form = checkout::Form::of(checkout);
        let request = || RequestBuilder::new(StripeMethod::Post, "/checkout/sessions").form(&form);
        let fields: checkout::SessionFields =
            self.send(request, Some(&checkout.idempotency_key)).await?;
        Ok(fields.into())
    }

    async fn subscription(&self, id: &str) -> Result<Subscription, GatewayError> {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(GatewayError::NotFound);
        }
        let path = format!("/subscriptions/{id}");
        let request = || RequestBuilder::new(StripeMethod::Get, path.clone());
        let fields: checkout::SubscriptionFields = self.send(request, None).await?;
        Ok(fields.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_up_key_only_for_a_local_stand_in() {
        assert_eq!(
            key_for(Some("sk_live_1"), None).as_deref(),
            Some("sk_live_1")
        );
        assert_eq!(key_for(None, None), None);
        assert_eq!(key_for(Some(""), Some("https://api.stripe.com")), None);
        assert_eq!(
            key_for(None, Some("http://127.0.0.1:8420")).as_deref(),
            Some(LOCAL_TEST_KEY)
        );
    }
}
