//! Lumira's orders: one per checkout, created with its payment intent (or without one for a
//! free product), numbered `LU` + date + sequence, and carried by the reading's workflow.
//!
//! Two statuses, each with its own transitions: `paymentStatus` is what the payment gateway
//! said ([`payment`]), `status` is where the reading stands ([`status`]). Every change of
//! status goes through [`moves`], which keeps the indexes, the totals and the client's
//! aggregates in the same transaction and records who made it and when.
//!
//! Items: the order at `ORDER#<id>`; `INTENT#<payment intent id>` names the order of each
//! intent (the client knows its order by the intent id); `ORDERNO#<number>` keeps numbers
//! unique. Indexes, newest last by creation: gsi1 every order, gsi2 by status, gsi3 by level;
//! the client's own orders are referenced in the client's partition ([`crate::customers`]).

pub mod create;
pub mod moves;
pub mod number;
pub mod payment;
pub mod review;
pub mod status;
pub mod view;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::{DynStore, Index, Key, Placement};
use web::ids::IdKind;
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

// One change of status: from what, to what, by whom (an account id, or `stripe`) and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub from: String,
    pub to: String,
    /// An account id, or `stripe`.
    pub by: String,
    #[schema(format = DateTime)]
    pub at: String,
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
    /// The client's id ([`crate::customers`]).
    pub user_id: String,
    #[serde(default)]
    pub status_history: Vec<StatusChange>,
    /// What the client submitted with their photos (`client-submit`).
    #[serde(default)]
    pub form_data: Option<Value>,
    #[serde(default)]
    pub files: Vec<Value>,
    #[serde(default)]
    pub client_inputs: Option<Value>,
    #[serde(default)]
    pub generated_content: Option<Map<String, Value>>,
    #[serde(default)]
    pub expert_review: Option<Value>,
    #[serde(default)]
    pub expert_validation: Option<Value>,
    #[serde(default)]
    pub delivered_at: Option<String>,
    #[serde(default)]
    pub delivery_method: Option<String>,
    /// The expert who took the order for review.
    #[serde(default)]
    pub assigned_expert: Option<String>,
    /// The delivered reading's PDF, in the private blob store.
    #[serde(default)]
    pub reading_pdf: Option<String>,
}

impl Order {
    /// The key of the order's reference in its client's partition.
    pub fn reference(&self) -> Key {
        crate::customers::order_ref_key(&self.user_id, &self.created_at, &self.id)
    }
}

/// The sort key of the order indexes: creation time, then id.
pub fn list_sort_key(created_at: &str, id: &str) -> String {
    format!("{created_at}#{id}")
}

/// An order's key layout: listed with every order (gsi1), by status (gsi2) and by level
/// (gsi3), newest first in each.
pub(crate) fn placement(id: &str, status: &str, level: u8, sort_key: &str) -> Placement {
    Placement::new(order_key(id))
        .listed(ALL, "ORDERS", sort_key)
        .listed(BY_STATUS, status_partition(status), sort_key)
        .listed(BY_LEVEL, level_partition(level), sort_key)
}

/// The indexes orders are listed in.
pub(crate) const ALL: Index = Index::Gsi1;
pub(crate) const BY_STATUS: Index = Index::Gsi2;
pub(crate) const BY_LEVEL: Index = Index::Gsi3;

pub fn status_partition(status: &str) -> String {
    format!("ORDERS#STATUS#{status}")
}

pub fn level_partition(level: u8) -> String {
    format!("ORDERS#LEVEL#{level}")
}

/// The names of the totals of orders: all, by status, by level.
pub mod totals {
    pub const ALL: &str = "orders";

    pub fn status(status: &str) -> String {
        format!("orders#status#{status}")
    }

    pub fn level(level: u8) -> String {
        format!("orders#level#{level}")
    }
}

pub fn order_key(id: &str) -> Key {
    Key::new(format!("ORDER#{id}"), "ORDER")
}

pub(crate) fn intent_key(intent: &str) -> Key {
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

/// The orders of `ids`, in their order, read at once.
pub async fn find_many(store: &DynStore, ids: &[String]) -> ApiResult<Vec<Option<Order>>> {
    let keys: Vec<Key> = ids.iter().map(|id| order_key(id)).collect();
    web::item::get_many(store, &keys).await
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
