//! The card-payment port. A product asks its [`Gateway`] to create a payment intent (an amount
//! the client will pay, with the product's references in metadata) and to read one back; it
//! never trusts a client's word that a payment succeeded.
//!
//! Every creation carries an idempotency key derived from the product's own record (an order,
//! a consultation), so a retried request, ours or the client's, finds the intent the first
//! attempt made instead of charging twice. With no secret key configured a product gets
//! [`NotConfigured`], whose every call fails with [`GatewayError::NotConfigured`]: payment
//! routes answer 503 rather than pretending.

pub mod checkout;
#[cfg(feature = "localstripe")]
pub mod localstripe;
#[cfg(feature = "stripe")]
pub mod stripe;

pub use checkout::{Checkout, CheckoutMode, Interval, NewCheckout, Subscription};

use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

pub type DynGateway = Arc<dyn Gateway>;

/// What a product asks to be paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntent {
    /// In the currency's smallest unit (cents).
    pub amount: i64,
    /// ISO 4217, lower case (`eur`).
    pub currency: String,
    /// The product's references (order id, product id, email, what is bought): a webhook
    /// finds its record by them, and an intent without them is not the shop's. (Stripe's
    /// `description` and `receipt_email` are not sent: localstripe refuses them, and the
    /// products send their own receipts.)
    pub metadata: BTreeMap<String, String>,
    /// Derived from the product's record; at most 255 characters.
    pub idempotency_key: String,
}

/// A payment intent as the gateway reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    pub id: String,
    /// Handed to the client's payment form; absent when the gateway withholds it.
    pub client_secret: Option<String>,
    pub status: IntentStatus,
    pub amount: i64,
    pub currency: String,
    pub metadata: BTreeMap<String, String>,
}

/// Stripe's PaymentIntent statuses; a status this code does not know is kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntentStatus {
    RequiresPaymentMethod,
    RequiresConfirmation,
    RequiresAction,
    Processing,
    RequiresCapture,
    Canceled,
    Succeeded,
    Other(String),
}

impl IntentStatus {
    pub fn parse(text: &str) -> IntentStatus {
        match text {
            "requires_payment_method" => IntentStatus::RequiresPaymentMethod,
            "requires_confirmation" => IntentStatus::RequiresConfirmation,
            "requires_action" => IntentStatus::RequiresAction,
            "processing" => IntentStatus::Processing,
            "requires_capture" => IntentStatus::RequiresCapture,
            "canceled" => IntentStatus::Canceled,
            "succeeded" => IntentStatus::Succeeded,
            other => IntentStatus::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            IntentStatus::RequiresPaymentMethod => "requires_payment_method",
            IntentStatus::RequiresConfirmation => "requires_confirmation",
            IntentStatus::RequiresAction => "requires_action",
            IntentStatus::Processing => "processing",
            IntentStatus::RequiresCapture => "requires_capture",
            IntentStatus::Canceled => "canceled",
            IntentStatus::Succeeded => "succeeded",
            IntentStatus::Other(text) => text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// No secret key: the product cannot take payments here.
    #[error("no payment gateway is configured")]
    NotConfigured,
    /// The gateway has no such intent (or it belongs to another account).
    #[error("no such payment intent")]
    NotFound,
    /// The gateway refused the request as made (a 4xx other than 404); its message says why.
    #[error("the payment gateway refused the request: {0}")]
    Refused(String),
    /// The gateway could not be reached or failed, after the retries.
    #[error("the payment gateway is unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait Gateway: Send + Sync {
    /// Creates an intent, or returns the one an earlier call with the same key created.
    async fn create_intent(&self, intent: &NewIntent) -> Result<Intent, GatewayError>;
    /// Reads an intent as the gateway knows it now.
    async fn intent(&self, id: &str) -> Result<Intent, GatewayError>;
    /// Creates a Checkout session, or returns the one an earlier call with the same key
    /// created. Gateways that offer none say they are not configured for it.
    async fn create_checkout(&self, _checkout: &NewCheckout) -> Result<Checkout, GatewayError> {
        Err(GatewayError::NotConfigured)
    }
    /// Reads a subscription as the gateway knows it now.
    async fn subscription(&self, _id: &str) -> Result<Subscription, GatewayError> {
        Err(GatewayError::NotConfigured)
    }
}

/// The gateway of a deployment with no secret key.
pub struct NotConfigured;

#[async_trait]
impl Gateway for NotConfigured {
    async fn create_intent(&self, _intent: &NewIntent) -> Result<Intent, GatewayError> {
        Err(GatewayError::NotConfigured)
    }
    async fn intent(&self, _id: &str) -> Result<Intent, GatewayError> {
        Err(GatewayError::NotConfigured)
    }
}

/// The longest idempotency key Stripe accepts.
pub const MAX_KEY_LEN: usize = 255;

/// An idempotency key from a product's record: `<scope>:<record id>:<purpose>`, so two
/// purposes of one record (the order's intent, its refund) never share a key.
pub fn idempotency_key(scope: &str, record: &str, purpose: &str) -> String {
    let mut key = format!("{scope}:{record}:{purpose}");
    key.truncate(key.floor_char_boundary(MAX_KEY_LEN));
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_as_written() {
        for text in [
            "requires_payment_method",
            "succeeded",
            "canceled",
            "new_one",
        ] {
            assert_eq!(IntentStatus::parse(text).as_str(), text);
        }
        assert_eq!(IntentStatus::parse("succeeded"), IntentStatus::Succeeded);
    }

    #[test]
    fn keys_name_the_record_and_fit_stripe() {
        assert_eq!(
            idempotency_key("shop-order", "abc", "intent"),
            "shop-order:abc:intent"
        );
        assert_eq!(
            idempotency_key("s", &"x".repeat(400), "p").len(),
            MAX_KEY_LEN
        );
        assert!(idempotency_key("s", &"é".repeat(200), "p").len() <= MAX_KEY_LEN);
    }

    #[tokio::test]
    async fn an_unconfigured_gateway_refuses_everything() {
        let gateway = NotConfigured;
        assert_eq!(
            gateway.intent("pi_1").await,
            Err(GatewayError::NotConfigured)
        );
    }
}
