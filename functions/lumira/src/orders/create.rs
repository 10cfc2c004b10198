//! A new order, as a checkout makes it: the order, its intent link, its number's guard, its
//! client (made by their first order) with the client's aggregates, and the shop's totals,
//! in one transaction.

use super::{PaymentStatus, intent_key, list_sort_key, placement, status, totals};
use crate::catalogue::Product;
use crate::customers::{self, Customer, NewOrder};
use payments::Intent;
use serde::Serialize;
use serde_json::{Map, Value};
use store::{Cond, DynStore, Key, TxOp};
use web::counters::bump;
use web::ids::ObjectId;
use web::retry::{self, ATTEMPTS, back_off};
use web::{ApiError, ApiResult};

/// What a checkout asks for, checked.
pub struct Checkout<'a> {
    pub product: &'static Product,
    /// What is bought: `reading`, or `consultation_expert`.
    pub service: &'static str,
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

    /// Stores the order with everything that counts it. A client created at the same moment
    /// by another checkout of the same email is read, and this order counted on it; a
    /// transaction that collided on a shared total is tried again.
    pub async fn save(&self, store: &DynStore, now: &str) -> ApiResult<()> {
        let mut customer = customers::find_by_email(store, &self.email).await?;
        for attempt in 1..=ATTEMPTS {
            match store
                .transact_named(self.write(customer.as_ref(), now)?)
                .await
            {
                Ok(()) => return Ok(()),
                Err(e) if retry::lost_race(&e, customers::EMAIL_GUARD) => {
                    back_off(attempt).await;
                    customer = customers::find_by_email(store, &self.email).await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(ApiError::problem(web::error::Problem::ConcurrentChange))
    }

    /// The steps that store the order, all or nothing.
    fn write(
        &self,
        customer: Option<&Customer>,
        now: &str,
    ) -> ApiResult<Vec<(&'static str, TxOp)>> {
        let free = self.intent.is_none();
        let (status, payment_status) = if free {
            (status::PAID, PaymentStatus::Succeeded)
        } else {
            (status::PENDING, PaymentStatus::Pending)
        };
        let id = self.id.to_string();
        let intent_id = self.intent_id();
        let amount = i64::from(self.product.amount_cents);
        let level = self.product.level;
        let (user_id, mut ops) = customers::count_order(
            customer,
            &self.email,
            &NewOrder {
                id: &id,
                number: &self.number,
                level,
                amount,
                status,
                paid: if free { amount } else { 0 },
                created_at: now,
            },
        )?;
        let sort_key = list_sort_key(now, &id);
        let order =
            placement(&id, status, level, &sort_key).item(web::item::record(&NewOrderRecord {
                id: &id,
                order_number: &self.number,
                product_id: self.product.id,
                level,
                level_name: self.product.level_name,
                amount,
                currency: self.product.currency,
                service: self.service,
                status,
                payment_status,
                payment_intent_id: &intent_id,
                customer_email: &self.email,
                user_id: &user_id,
                metadata: self.metadata(),
                created_at: now,
                updated_at: now,
                paid_at: free.then_some(now),
            })?);
        let mut link = intent_key(&intent_id).to_item();
        link.insert("orderId".into(), id.clone().into());
        let mut number = Key::new(format!("ORDERNO#{}", self.number), "ORDERNO").to_item();
        number.insert("orderId".into(), id.into());
        let new = || Some(Cond::NotExists);
        ops.extend([
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
            ("totals", bump(totals::ALL, 1)),
            ("totals", bump(totals::status(status), 1)),
            ("totals", bump(totals::level(level), 1)),
        ]);
        Ok(ops)
    }
}

/// A new order as stored (the fields a later write adds, such as the client's submission
/// or the reading, come with those writes).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewOrderRecord<'a> {
    #[serde(rename = "_id")]
    id: &'a str,
    order_number: &'a str,
    product_id: &'a str,
    level: u8,
    level_name: &'a str,
    amount: i64,
    currency: &'a str,
    service: &'a str,
    status: &'a str,
    payment_status: PaymentStatus,
    payment_intent_id: &'a str,
    customer_email: &'a str,
    user_id: &'a str,
    /// The client's own metadata with the shop's names (free JSON, kept as sent).
    metadata: Map<String, Value>,
    created_at: &'a str,
    updated_at: &'a str,
    paid_at: Option<&'a str>,
}
