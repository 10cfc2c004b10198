//! Lumira's orders: one per checkout, created with its payment intent (or without one for a
//! free product), numbered `LU` + date + sequence, and carried by the reading's workflow.
//!
//! Two statuses, each with its own transitions: `paymentStatus` is what the payment gateway
//! said ([`payment`]), `status` is where the reading stands. A succeeded payment moves a
//! `pending` order to `paid`; nothing the gateway says later moves it back.
//!
//! Items: the order at `ORDER#<id>`; `INTENT#<payment intent id>` names the order of each
//! intent (the client knows its order by the intent id); `ORDERNO#<number>` keeps numbers
//! unique.

pub mod number;
pub mod payment;

use crate::catalogue::Product;
use payments::Intent;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::{Cond, DynStore, Key, TxOp};
use web::ids::{IdKind, ObjectId};
use web::item::fields;
use web::{ApiError, ApiResult};

pub use payment::PaymentStatus;

/// The id a client knows its order by: its payment intent's (`pi_...`), or `free_<order id>`
/// for a free product's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentId(pub String);

impl IdKind for IntentId {
    fn parse_id(text: &str) -> Option<Self> {
        let shaped = (4..=255).contains(&text.len())
            && (text.starts_with("pi_") || text.starts_with("free_"))
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        shaped.then(|| IntentId(text.to_owned()))
    }
}

/// Where the reading stands.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const PAID: &str = "paid";
    pub const CANCELLED: &str = "cancelled";
}

/// An order as stored.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    #[serde(rename = "_id")]
    pub id: String,
    pub order_number: String,
    pub product_id: String,
    pub level: u8,
    pub level_name: String,
    pub amount: i64,
    pub currency: String,
    /// What is bought: `reading`, or `consultation_expert`.
    pub service: String,
    pub status: String,
    pub payment_status: PaymentStatus,
    pub payment_intent_id: String,
    pub customer_email: String,
    #[serde(default)]
    pub metadata: Map<String, Value>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub paid_at: Option<String>,
}

pub fn order_key(id: &str) -> Key {
    Key::new(format!("ORDER#{id}"), "ORDER")
}

fn intent_key(intent: &str) -> Key {
    Key::new(format!("INTENT#{intent}"), "INTENT")
}

/// The order `id`, if there is one.
pub async fn find(store: &DynStore, id: &str) -> ApiResult<Option<Order>> {
    store
        .get(&order_key(id))
        .await?
        .map(web::item::parse)
        .transpose()
}

/// The order of payment intent `intent`, if this shop made it.
pub async fn find_by_intent(store: &DynStore, intent: &str) -> ApiResult<Option<Order>> {
    let Some(link) = store.get(&intent_key(intent)).await? else {
        return Ok(None);
    };
    let id = link
        .get("orderId")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::internal(format!("intent {intent} names no order")))?;
    find(store, id).await
}

/// What a checkout asks for, checked.
pub struct Checkout<'a> {
    pub product: &'static Product,
    pub email: String,
    /// The client's own metadata (`source`...), kept beside the shop's.
    pub client_metadata: Map<String, Value>,
    pub id: ObjectId,
    pub number: String,
    /// The gateway's intent; `None` for a free product.
    pub intent: Option<&'a Intent>,
}

impl Checkout<'_> {
    /// The id the client knows the order by.
    pub fn intent_id(&self) -> String {
        match self.intent {
            Some(intent) => intent.id.clone(),
            None => format!("free_{}", self.id),
        }
    }

    /// The order's metadata: the client's, then the shop's names, which win.
    fn metadata(&self) -> Map<String, Value> {
        let mut metadata = self.client_metadata.clone();
        metadata.insert("productName".into(), self.product.name.into());
        metadata.insert("level".into(), self.product.level_key.into());
        metadata
    }

    /// The steps that store the order, its intent link and its number, all or nothing.
    pub fn write(&self, now: &str) -> Vec<(&'static str, TxOp)> {
        let free = self.intent.is_none();
        let (status, payment_status) = if free {
            (status::PAID, PaymentStatus::Succeeded)
        } else {
            (status::PENDING, PaymentStatus::Pending)
        };
        let id = self.id.to_string();
        let intent_id = self.intent_id();
        let mut order = order_key(&id).to_item();
        order.extend(fields(json!({
            "_id": id,
            "orderNumber": self.number,
            "productId": self.product.id,
            "level": self.product.level,
            "levelName": self.product.level_name,
            "amount": self.product.amount_cents,
            "currency": self.product.currency,
            "service": "reading",
            "status": status,
            "paymentStatus": payment_status,
            "paymentIntentId": intent_id,
            "customerEmail": self.email,
            "metadata": self.metadata(),
            "createdAt": now,
            "updatedAt": now,
            "paidAt": if free { Some(now) } else { None },
            "gsi1pk": "ORDERS",
            "gsi1sk": format!("{now}#{id}"),
        })));
        let mut link = intent_key(&intent_id).to_item();
        link.insert("orderId".into(), id.clone().into());
        let mut number = Key::new(format!("ORDERNO#{}", self.number), "ORDERNO").to_item();
        number.insert("orderId".into(), id.into());
        let new = || Some(Cond::NotExists);
        vec![
            (
                "order",
                TxOp::Put {
                    item: order,
                    cond: new(),
                },
            ),
            (
                "intent_link",
                TxOp::Put {
                    item: link,
                    cond: new(),
                },
            ),
            (
                "order_number",
                TxOp::Put {
                    item: number,
                    cond: new(),
                },
            ),
        ]
    }
}

/// The order as the checkout routes show it (`GET /api/products/order/:orderId`): keyed by
/// its intent, with the payment's outcome as its status.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutView {
    pub id: String,
    pub product_id: String,
    pub customer_email: String,
    pub amount: i64,
    pub currency: String,
    pub status: &'static str,
    pub payment_intent_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    pub metadata: Map<String, Value>,
}

impl From<&Order> for CheckoutView {
    fn from(order: &Order) -> Self {
        CheckoutView {
            id: order.payment_intent_id.clone(),
            product_id: order.product_id.clone(),
            customer_email: order.customer_email.clone(),
            amount: order.amount,
            currency: order.currency.clone(),
            status: order.payment_status.checkout_status(),
            payment_intent_id: order.payment_intent_id.clone(),
            created_at: order.created_at.clone(),
            updated_at: order.updated_at.clone(),
            completed_at: order.paid_at.clone(),
            metadata: order.metadata.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intent_ids_are_the_gateway_s_or_a_free_order_s() {
        for good in ["pi_3N1x2Y", "free_65550b2b8f1b2c3d4e5f6a7b", "pi_a_b"] {
            assert!(IntentId::parse_id(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "pi_",
            "ch_123",
            "pi_12 3",
            "pi_é",
            "../pi_1",
            &"pi_1".repeat(80),
        ] {
            assert!(IntentId::parse_id(bad).is_none(), "{bad}");
        }
    }
}
