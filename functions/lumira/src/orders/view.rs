//! How the routes show orders: the checkout's view (keyed by payment intent), and the back
//! office's, whose `userId` is the client itself on reads (as Mongoose's `populate` showed
//! it) and the client's id on writes, as documented.

use super::{Order, StatusChange};
use crate::customers::Customer;
use serde::Serialize;
use serde_json::{Map, Value};

// The order as the checkout routes show it (`GET /api/products/order/:orderId`): keyed by
// its intent, with the payment's outcome as its status.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CheckoutOrder)]
pub struct CheckoutView {
    pub id: String,
    pub product_id: String,
    pub customer_email: String,
    pub amount: i64,
    pub currency: String,
    /// The payment's outcome: `completed` once Stripe says it succeeded.
    #[schema(value_type = crate::openapi::schemas::CheckoutState, inline)]
    pub status: &'static str,
    pub payment_intent_id: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    #[schema(format = DateTime, required = true)]
    pub completed_at: Option<String>,
    #[schema(value_type = std::collections::HashMap<String, String>)]
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

/// An order's `userId`: the client itself on reads, its id on writes.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum OrderUser {
    Id(String),
    Client(PopulatedUser),
    /// A client that could not be read: only a safety net, as a client is written with its
    /// first order.
    Unread {
        #[serde(rename = "_id")]
        id: String,
        email: String,
    },
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(description = "The order's client on reads (its id on writes).")]
pub struct PopulatedUser {
    #[serde(rename = "_id")]
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    pub id: String,
    #[serde(rename = "firstName")]
    pub first_name: Option<String>,
    #[serde(rename = "lastName")]
    pub last_name: Option<String>,
    pub email: String,
    pub phone: Option<String>,
}

/// The client as an order's `userId` shows it on reads.
pub fn populated(customer: Option<&Customer>, order: &Order) -> OrderUser {
    match customer {
        Some(c) => OrderUser::Client(PopulatedUser {
            id: c.id.clone(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
        }),
        None => OrderUser::Unread {
            id: order.user_id.clone(),
            email: order.customer_email.clone(),
        },
    }
}

// An order in the back office's list.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListedOrder {
    #[serde(rename = "_id")]
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    pub id: String,
    #[schema(example = json!("LU240115001"))]
    pub order_number: String,
    #[schema(value_type = i64)]
    pub level: u8,
    pub level_name: String,
    pub amount: i64,
    pub currency: String,
    #[schema(value_type = crate::openapi::schemas::OrderState, inline)]
    pub status: String,
    #[schema(value_type = crate::openapi::schemas::PaymentStatus, inline)]
    pub payment_status: &'static str,
    #[schema(value_type = PopulatedUser)]
    pub user_id: OrderUser,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl ListedOrder {
    pub fn new(order: Order, user: OrderUser) -> Self {
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

// An order, whole, as the back office and the expert desk see it.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Order)]
pub struct OrderView {
    #[serde(rename = "_id")]
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    pub id: String,
    pub order_number: String,
    pub product_id: String,
    #[schema(value_type = crate::openapi::schemas::Service, inline)]
    pub service: String,
    #[schema(value_type = i64)]
    pub level: u8,
    pub level_name: String,
    pub amount: i64,
    pub currency: String,
    #[schema(value_type = crate::openapi::schemas::OrderState, inline)]
    pub status: String,
    #[schema(value_type = crate::openapi::schemas::PaymentStatus, inline)]
    pub payment_status: &'static str,
    pub payment_intent_id: String,
    /// The client (`PopulatedUser`) on reads, the client's id on writes.
    #[schema(value_type = serde_json::Value)]
    pub user_id: OrderUser,
    /// What the client submitted.
    #[schema(nullable)]
    pub form_data: Option<Value>,
    #[schema(value_type = Vec<crate::openapi::schemas::SubmittedFile>)]
    pub files: Vec<Value>,
    /// The client's answers.
    #[schema(nullable)]
    pub client_inputs: Option<Value>,
    /// The reading's parts; `pdfUrl`, once delivered, a link to its PDF that works 15 minutes.
    #[schema(value_type = Option<std::collections::HashMap<String, String>>)]
    pub generated_content: Option<Map<String, Value>>,
    /// `expertId`, `status`, `notes`, `reviewedAt`.
    #[schema(nullable)]
    pub expert_review: Option<Value>,
    /// `validationStatus`, `validationNotes`, `validatedAt`, `validatedBy`.
    #[schema(nullable)]
    pub expert_validation: Option<Value>,
    pub status_history: Vec<StatusChange>,
    #[schema(format = DateTime)]
    pub paid_at: Option<String>,
    #[schema(format = DateTime)]
    pub delivered_at: Option<String>,
    pub delivery_method: Option<String>,
    /// The expert who took the order for review.
    pub assigned_expert: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl OrderView {
    pub fn new(order: Order, user: OrderUser) -> Self {
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
        let user = OrderUser::Id(order.user_id.clone());
        OrderView::new(order, user)
    }
}
