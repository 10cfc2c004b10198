//! How the routes show orders: the checkout's view (keyed by payment intent), and the back
//! office's, whose `userId` is the client itself on reads (as Mongoose's `populate` showed
//! it) and the client's id on writes, as documented.

use super::{Order, StatusChange};
use crate::customers::Customer;
use serde::Serialize;
use serde_json::{Map, Value, json};

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

/// The client as an order's `userId` shows it on reads.
pub fn populated(customer: Option<&Customer>, order: &Order) -> Value {
    match customer {
        Some(c) => json!({
            "_id": c.id,
            "firstName": c.first_name,
            "lastName": c.last_name,
            "email": c.email,
            "phone": c.phone,
        }),
        // A client is written with their first order, so this is only a safety net.
        None => json!({"_id": order.user_id, "email": order.customer_email}),
    }
}

/// An order in the back office's list.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedOrder {
    #[serde(rename = "_id")]
    pub id: String,
    pub order_number: String,
    pub level: u8,
    pub level_name: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub payment_status: &'static str,
    pub user_id: Value,
    pub created_at: String,
    pub updated_at: String,
}

impl ListedOrder {
    pub fn new(order: Order, user: Value) -> Self {
        ListedOrder {
            payment_status: order.payment_status.as_str(),
            id: order.id,
            order_number: order.order_number,
            level: order.level,
            level_name: order.level_name,
            amount: order.amount,
            currency: order.currency,
            status: order.status,
            user_id: user,
            created_at: order.created_at,
            updated_at: order.updated_at,
        }
    }
}

/// An order, whole, as the back office and the expert desk see it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderView {
    #[serde(rename = "_id")]
    pub id: String,
    pub order_number: String,
    pub product_id: String,
    pub service: String,
    pub level: u8,
    pub level_name: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub payment_status: &'static str,
    pub payment_intent_id: String,
    pub user_id: Value,
    pub form_data: Option<Value>,
    pub files: Vec<Value>,
    pub client_inputs: Option<Value>,
    pub generated_content: Option<Map<String, Value>>,
    pub expert_review: Option<Value>,
    pub expert_validation: Option<Value>,
    pub status_history: Vec<StatusChange>,
    pub paid_at: Option<String>,
    pub delivered_at: Option<String>,
    pub delivery_method: Option<String>,
    pub assigned_expert: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl OrderView {
    pub fn new(order: Order, user: Value) -> Self {
        OrderView {
            payment_status: order.payment_status.as_str(),
            id: order.id,
            order_number: order.order_number,
            product_id: order.product_id,
            service: order.service,
            level: order.level,
            level_name: order.level_name,
            amount: order.amount,
            currency: order.currency,
            status: order.status,
            payment_intent_id: order.payment_intent_id,
            user_id: user,
            form_data: order.form_data,
            files: order.files,
            client_inputs: order.client_inputs,
            generated_content: order.generated_content,
            expert_review: order.expert_review,
            expert_validation: order.expert_validation,
            status_history: order.status_history,
            paid_at: order.paid_at,
            delivered_at: order.delivered_at,
            delivery_method: order.delivery_method,
            assigned_expert: order.assigned_expert,
            created_at: order.created_at,
            updated_at: order.updated_at,
        }
    }

    /// The order after a write: `userId` is the client's id, as documented.
    pub fn written(order: Order) -> Self {
        let user = Value::String(order.user_id.clone());
        OrderView::new(order, user)
    }
}
