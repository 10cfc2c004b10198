//! A Checkout session's creation form, as Stripe's API takes it (`line_items[0][price_data]
//! [currency]=eur`...), and the fields of its answer this port reports. async-stripe's own
//! builder for it lives in a crate of its own (`async-stripe-checkout`) as large as the
//! rest of the client: the form is written here and sent by the same client.

use crate::{Checkout, CheckoutMode, NewCheckout, Subscription};
use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::HashMap;

#[derive(Serialize)]
struct ProductData<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Recurring {
    interval: &'static str,
}

#[derive(Serialize)]
struct PriceData<'a> {
    currency: &'a str,
    unit_amount: i64,
    product_data: ProductData<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recurring: Option<Recurring>,
}

#[derive(Serialize)]
struct LineItem<'a> {
    price_data: PriceData<'a>,
    quantity: u32,
}

#[derive(Serialize)]
struct SubscriptionData<'a> {
    metadata: &'a BTreeMap<String, String>,
}

/// `POST /v1/checkout/sessions`'s form.
#[derive(Serialize)]
pub struct Form<'a> {
    mode: &'static str,
    line_items: [LineItem<'a>; 1],
    success_url: &'a str,
    cancel_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_reference_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_email: Option<&'a str>,
    metadata: &'a BTreeMap<String, String>,
    /// A subscription's own metadata: its events carry them, the session's do not.
    #[serde(skip_serializing_if = "Option::is_none")]
    subscription_data: Option<SubscriptionData<'a>>,
}

impl<'a> Form<'a> {
    pub fn of(checkout: &'a NewCheckout) -> Form<'a> {
        let (mode, recurring) = match checkout.mode {
            CheckoutMode::Payment => ("payment", None),
            CheckoutMode::Subscription(interval) => (
                "subscription",
                Some(Recurring {
                    interval: interval.as_str(),
                }),
            ),
        };
        Form {
            mode,
            line_items: [LineItem {
                price_data: PriceData {
                    currency: &checkout.currency,
                    unit_amount: checkout.amount,
                    product_data: ProductData {
                        name: &checkout.product_name,
                    },
                    recurring,
                },
                quantity: 1,
            }],
            success_url: &checkout.success_url,
            cancel_url: &checkout.cancel_url,
            client_reference_id: checkout.client_reference_id.as_deref(),
            customer_email: checkout.customer_email.as_deref(),
            metadata: &checkout.metadata,
            subscription_data: matches!(checkout.mode, CheckoutMode::Subscription(_)).then_some(
                SubscriptionData {
                    metadata: &checkout.metadata,
                },
            ),
        }
    }
}

/// The fields of a Checkout session this port reports.
#[derive(miniserde::Deserialize)]
pub struct SessionFields {
    id: String,
    url: Option<String>,
}

impl From<SessionFields> for Checkout {
    fn from(fields: SessionFields) -> Checkout {
        Checkout {
            id: fields.id,
            url: fields.url,
        }
    }
}

#[derive(miniserde::Deserialize)]
struct Recurrence {
    interval: Option<String>,
}

#[derive(miniserde::Deserialize)]
struct SubscriptionItem {
    /// Where newer API versions keep it.
    current_period_end: Option<i64>,
    price: Option<Recurrence>,
    plan: Option<Recurrence>,
}

#[derive(miniserde::Deserialize)]
struct SubscriptionItems {
    data: Vec<SubscriptionItem>,
}

/// The fields of a subscription this port reports, where any API version keeps them.
#[derive(miniserde::Deserialize)]
pub struct SubscriptionFields {
    id: String,
    status: String,
    current_period_end: Option<i64>,
    latest_invoice: Option<String>,
    items: Option<SubscriptionItems>,
    metadata: Option<HashMap<String, String>>,
}

impl From<SubscriptionFields> for Subscription {
    fn from(fields: SubscriptionFields) -> Subscription {
        let first = fields.items.and_then(|items| items.data.into_iter().next());
        let (item_end, interval) = match first {
            Some(item) => {
                let recurrence = item.price.or(item.plan);
                (item.current_period_end, recurrence.and_then(|r| r.interval))
            }
            None => (None, None),
        };
        Subscription {
            id: fields.id,
            status: fields.status,
            current_period_end: fields.current_period_end.or(item_end),
            latest_invoice: fields.latest_invoice,
            interval,
            metadata: fields.metadata.unwrap_or_default().into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Interval;

    #[test]
    fn the_form_is_stripes_bracket_notation() {
        let checkout = NewCheckout {
            mode: CheckoutMode::Subscription(Interval::Year),
            amount: 9999,
            currency: "eur".into(),
            product_name: "CV Builder annuel".into(),
            success_url: "https://app.example/ok".into(),
            cancel_url: "https://app.example/ko".into(),
            client_reference_id: Some("user-1".into()),
            customer_email: None,
            metadata: BTreeMap::from([("user_id".into(), "1".into())]),
            idempotency_key: "k".into(),
        };
        let form = serde_qs::to_string(&Form::of(&checkout)).unwrap();
        let form = form.replace("%5B", "[").replace("%5D", "]");
        for part in [
            "mode=subscription",
            "line_items[0][price_data][currency]=eur",
            "line_items[0][price_data][unit_amount]=9999",
            "line_items[0][price_data][recurring][interval]=year",
            "line_items[0][quantity]=1",
            "metadata[user_id]=1",
            "subscription_data[metadata][user_id]=1",
            "client_reference_id=user-1",
        ] {
            assert!(form.contains(part), "{part} not in {form}");
        }
        assert!(!form.contains("customer_email"), "{form}");
    }
}
