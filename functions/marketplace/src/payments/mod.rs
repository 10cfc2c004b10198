//! Payments (`marketplace-admin.md` §6): a provider buys a subscription, a boost or a featured
//! period through a Stripe PaymentIntent in FCFA (XAF, a currency without minor unit: the
//! amount is in francs). A payment (`AELI…`) is `PENDING` until Stripe's signed webhook says
//! otherwise; the webhook writes its status and its effect in one transaction, once per event
//! ([`settle`]).
//!
//! Items: the payment at `PAYMENTS` / `<id>` (an id starts with its creation time in
//! milliseconds, so the partition is the list of every payment in order), listed by status in
//! gsi1 (`PAYMENTS#<STATUS>`), by type in gsi2 (`PAYMENTS#TYPE#<type>`) and by buyer in gsi3
//! (`PAYMENTSOF#<userId>`). Counts and amounts per status and type are counters moved in the
//! same transactions ([`totals`]).

pub mod routes;
pub mod settle;
pub mod totals;
pub mod webhook;

use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Placement, TxOp};
use web::validate::Choice;
use web::{ApiError, ApiResult};

web::choice! {
    pub enum PaymentType {
        Subscription = "subscription",
        Boost = "boost",
        Featured = "featured",
    }
}

web::choice! {
    pub enum PaymentStatus {
        Pending = "PENDING",
        Accepted = "ACCEPTED",
        Refused = "REFUSED",
        Cancelled = "CANCELLED",
    }
}

/// What a purchase costs and gives.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PaymentOffer)]
pub struct Offer {
    #[serde(rename = "type")]
    #[schema(rename = "type", value_type = PaymentType)]
    pub kind: &'static str,
    /// En FCFA (XAF).
    #[schema(example = json!(5000))]
    pub amount: u64,
    #[schema(example = json!("XAF"))]
    pub currency: &'static str,
    /// Jours ajoutés à l'abonnement, au boost ou à la mise en avant.
    #[schema(example = json!(30))]
    pub days: i64,
    #[schema(example = json!("Abonnement mensuel"))]
    pub label: &'static str,
}

pub const CURRENCY: &str = "XAF";

impl PaymentType {
    /// The document's prices: 5,000, 2,000 and 10,000 XAF.
    pub fn offer(self) -> Offer {
        let (amount, days, label) = match self {
            PaymentType::Subscription => (5_000, 30, "Abonnement mensuel"),
            PaymentType::Boost => (2_000, 7, "Boost d'une semaine"),
            PaymentType::Featured => (10_000, 7, "Mise en avant d'une semaine"),
        };
        Offer {
            kind: self.as_str(),
            amount,
            currency: CURRENCY,
            days,
            label,
        }
    }
}

impl PaymentStatus {
    /// Whether a payment in this status may move to `next`: a refused card may be followed
    /// by another that pays; an accepted or cancelled payment is settled for good.
    pub fn may_become(self, next: PaymentStatus) -> bool {
        match self {
            PaymentStatus::Pending => next != PaymentStatus::Pending,
            PaymentStatus::Refused => {
                matches!(next, PaymentStatus::Accepted | PaymentStatus::Cancelled)
            }
            PaymentStatus::Accepted | PaymentStatus::Cancelled => false,
        }
    }
}

// The buyer, as the payment keeps them (anonymised when their account is deleted).
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PaymentUser)]
pub struct Buyer {
    pub id: String,
    #[schema(example = json!("Marie"))]
    pub first_name: String,
    #[schema(example = json!("Dupont"))]
    pub last_name: String,
    pub email: String,
}

// The provider paid for, as the payment keeps it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PaymentProvider)]
pub struct PaidFor {
    pub id: String,
    #[schema(example = json!("Salon Marie Coiffure"))]
    pub business_name: String,
}

// A payment as stored and as clients see it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    /// `AELI` suivi de l'instant de création (millisecondes) et de 6 chiffres.
    #[schema(example = json!("AELI1705340000000123456"))]
    pub id: String,
    #[serde(rename = "type")]
    #[schema(rename = "type", value_type = PaymentType)]
    pub kind: String,
    /// En FCFA (XAF).
    #[schema(example = json!(5000))]
    pub amount: u64,
    #[schema(example = json!("XAF"))]
    pub currency: String,
    #[schema(value_type = PaymentStatus)]
    pub status: String,
    pub user: Buyer,
    pub provider: PaidFor,
    /// Le PaymentIntent de Stripe.
    #[schema(example = json!("pi_3OZ..."))]
    pub stripe_payment_intent_id: String,
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub paid_at: Option<String>,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub updated_at: String,
}

pub const PARTITION: &str = "PAYMENTS";
pub const BY_STATUS: Index = Index::Gsi1;
pub const BY_TYPE: Index = Index::Gsi2;
pub const BY_BUYER: Index = Index::Gsi3;

pub fn key(id: &str) -> Key {
    Key::new(PARTITION, id)
}

pub fn status_partition(status: PaymentStatus) -> String {
    format!("PAYMENTS#{}", status.as_str())
}

pub fn type_partition(kind: PaymentType) -> String {
    format!("PAYMENTS#TYPE#{}", kind.as_str())
}

pub fn buyer_partition(user_id: &str) -> String {
    format!("PAYMENTSOF#{user_id}")
}

/// A new payment id: `AELI`, the time in milliseconds, and 6 random digits.
pub fn new_id(now: chrono::DateTime<chrono::Utc>) -> String {
    let random = uuid::Uuid::new_v4().as_u128() % 1_000_000;
    format!("AELI{:013}{random:06}", now.timestamp_millis())
}

/// Whether `text` is a payment id as [`new_id`] makes them.
pub fn is_id(text: &str) -> bool {
    text.strip_prefix("AELI")
        .is_some_and(|digits| digits.len() == 19 && digits.bytes().all(|b| b.is_ascii_digit()))
}

impl Payment {
    /// A new payment `id` of `kind` by `user` for `provider`, pending on Stripe's intent
    /// `intent`, at the offer's price.
    pub fn pending(
        id: String,
        kind: PaymentType,
        (user, provider): (crate::users::User, PaidFor),
        intent: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Payment {
        let offer = kind.offer();
        let at = web::time::format(now);
        Payment {
            id,
            kind: offer.kind.to_owned(),
            amount: offer.amount,
            currency: offer.currency.to_owned(),
            status: PaymentStatus::Pending.as_str().to_owned(),
            user: Buyer {
                id: user.id,
                first_name: user.first_name,
                last_name: user.last_name,
                email: user.email,
            },
            provider,
            stripe_payment_intent_id: intent,
            paid_at: None,
            created_at: at.clone(),
            updated_at: at,
        }
    }

    pub fn kind(&self) -> ApiResult<PaymentType> {
        PaymentType::parse(&self.kind)
            .ok_or_else(|| ApiError::internal("a payment of no known type"))
    }

    pub fn status(&self) -> ApiResult<PaymentStatus> {
        PaymentStatus::parse(&self.status)
            .ok_or_else(|| ApiError::internal("a payment of no known status"))
    }

    fn placement(&self) -> ApiResult<Placement> {
        Ok(Placement::new(key(&self.id))
            .listed(BY_STATUS, status_partition(self.status()?), &self.id)
            .listed(BY_TYPE, type_partition(self.kind()?), &self.id)
            .listed(BY_BUYER, buyer_partition(&self.user.id), &self.id))
    }

    /// The write that stores it, on `cond`.
    pub fn stored(&self, cond: Cond) -> ApiResult<TxOp> {
        Ok(TxOp::Put {
            item: self.placement()?.item(web::item::record(self)?),
            cond: Some(cond),
        })
    }
}

/// Keeps the payments of the deleted account `user_id` for the totals, without whom they
/// were: the buyer's name and email are gone, and so is the account's list of them.
pub async fn anonymised(store: &DynStore, user_id: &str) -> ApiResult<()> {
    let query = store::Query::partition(BY_BUYER, buyer_partition(user_id));
    let mut changed_meanwhile = false;
    for item in web::pagination::read_all(store, query).await? {
        let was: Payment = web::item::parse(item)?;
        let payment = Payment {
            user: Buyer {
                id: DELETED.into(),
                first_name: "Compte".into(),
                last_name: "supprimé".into(),
                email: String::new(),
            },
            updated_at: web::time::now(),
            ..was.clone()
        };
        let write = payment.stored(Cond::eq("updatedAt", was.updated_at.clone()))?;
        match store.transact(vec![write]).await {
            Err(e) if e.is_condition_failed() => changed_meanwhile = true,
            other => other?,
        }
    }
    if changed_meanwhile {
        // Settled meanwhile: the deletion stays pending, and its next run finds it again.
        return Err(ApiError::internal(
            "a payment changed while it was anonymised",
        ));
    }
    Ok(())
}

/// What an anonymised payment's buyer is.
pub const DELETED: &str = "deleted";

pub async fn find(store: &DynStore, id: &str) -> ApiResult<Option<Payment>> {
    store.get(&key(id)).await?.map(web::item::parse).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_start_with_their_time_and_sort_by_it() {
        let early = chrono::DateTime::from_timestamp_millis(1_705_340_000_000).unwrap_or_default();
        let later = early + chrono::Duration::milliseconds(1);
        let (a, b) = (new_id(early), new_id(later));
        assert!(a.starts_with("AELI1705340000000"), "{a}");
        assert!(a < b);
        assert!(is_id(&a) && is_id(&b));
        assert!(!is_id("AELI123") && !is_id("pi_123") && !is_id("AELI170534000000012345x"));
    }

    #[test]
    fn settled_payments_stay_settled() {
        assert!(PaymentStatus::Pending.may_become(PaymentStatus::Refused));
        assert!(PaymentStatus::Refused.may_become(PaymentStatus::Accepted));
        assert!(!PaymentStatus::Accepted.may_become(PaymentStatus::Refused));
        assert!(!PaymentStatus::Cancelled.may_become(PaymentStatus::Accepted));
        assert!(!PaymentStatus::Pending.may_become(PaymentStatus::Pending));
    }
}
