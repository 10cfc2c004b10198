//! Stripe Checkout: a payment page hosted by Stripe, for a one-off price or a subscription.
//! A product creates a session with its price, where to come back to and its references in
//! metadata, sends the client to the session's `url`, and learns of the outcome from the
//! signed `checkout.session.completed` event and, for a subscription, the subscription's own
//! events, never from the client coming back.

use std::collections::BTreeMap;

/// How often a subscription is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Month,
    Year,
}

impl Interval {
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Month => "month",
            Interval::Year => "year",
        }
    }
}

/// What a checkout sells: a one-off payment, or a subscription charged every interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckoutMode {
    Payment,
    Subscription(Interval),
}

/// A checkout session to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCheckout {
    pub mode: CheckoutMode,
    /// In the currency's smallest unit, per payment (per interval for a subscription).
    pub amount: i64,
    /// ISO 4217, lower case (`eur`).
    pub currency: String,
    /// What the payment page names.
    pub product_name: String,
    pub success_url: String,
    pub cancel_url: String,
    /// The product's own reference of who pays or what for.
    pub client_reference_id: Option<String>,
    /// Prefilled on the payment page and on Stripe's receipt.
    pub customer_email: Option<String>,
    /// On the session and, for a subscription, on the subscription too: its events carry
    /// them.
    pub metadata: BTreeMap<String, String>,
    /// Derived from the product's records; at most 255 characters.
    pub idempotency_key: String,
}

/// A session as the gateway reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    pub id: String,
    /// The payment page; absent once the session is complete or expired.
    pub url: Option<String>,
}

/// A subscription as the gateway reports it now: what settles its events, whatever order
/// they arrive in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: String,
    /// Stripe's: `active`, `trialing`, `past_due`, `canceled`, `incomplete`, `unpaid`...
    pub status: String,
    /// When the period paid for ends (unix seconds).
    pub current_period_end: Option<i64>,
    /// The invoice of its latest period.
    pub latest_invoice: Option<String>,
    /// `month` or `year`.
    pub interval: Option<String>,
    pub metadata: BTreeMap<String, String>,
}

impl Subscription {
    /// Whether it gives what it sells now.
    pub fn is_running(&self) -> bool {
        matches!(self.status.as_str(), "active" | "trialing")
    }
}
