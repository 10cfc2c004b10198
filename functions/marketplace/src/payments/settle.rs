//! A payment settled by Stripe's word: its new status, its counters and, once accepted, what
//! it bought (the subscription extended, the boost or the featuring) in one transaction with
//! the event's guard, so an event is applied once and a payment never changes without its
//! effect. A transaction that lost a race with another write (an admin's change of the
//! provider, another event) is tried again on what is there now.

use super::{Payment, PaymentStatus, PaymentType, totals};
use crate::providers::{self, Provider, Subscription};
use chrono::{DateTime, Utc};
use store::{Cond, DynStore, TxOp};
use web::retry::{ATTEMPTS, back_off, lost_race};
use web::webhook::{ONCE_STEP, once};
use web::{ApiError, ApiResult};

const PAYMENT: &str = "payment";
const SUBSCRIPTION: &str = "subscription";

/// What Stripe's event says of its intent.
pub struct Reported<'a> {
    pub event_id: &'a str,
    pub intent_id: &'a str,
    pub amount: Option<u64>,
    pub currency: Option<&'a str>,
    pub status: PaymentStatus,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Settled {
    Applied,
    /// The event was applied before: nothing changed.
    Replayed,
    /// The event does not move this payment (another intent, another amount, or a status it
    /// cannot take now); said why.
    Ignored(&'static str),
}

/// `until` moved on by `days`, from now when it is past or absent.
fn extended(until: Option<&str>, now: DateTime<Utc>, days: i64) -> String {
    let from = until
        .and_then(web::time::parse_date)
        .filter(|at| *at > now)
        .unwrap_or(now);
    web::time::format(from + chrono::Duration::days(days))
}

/// The writes of what an accepted `payment` gives its provider.
async fn effect(
    store: &DynStore,
    payment: &Payment,
    now: DateTime<Utc>,
) -> ApiResult<Vec<(&'static str, TxOp)>> {
    let kind = payment.kind()?;
    let days = kind.offer().days;
    let provider_id = &payment.provider.id;
    if kind == PaymentType::Subscription {
        let key = providers::subscription_key(provider_id);
        let was: Option<Subscription> = store.get(&key).await?.map(web::item::parse).transpose()?;
        let running = was
            .as_ref()
            .filter(|s| s.plan != "trial" && s.ends_at.as_str() > web::time::format(now).as_str());
        let subscription = Subscription {
            provider_id: provider_id.clone(),
            plan: "monthly".into(),
            status: "active".into(),
            starts_at: running.map_or_else(|| web::time::format(now), |s| s.starts_at.clone()),
            ends_at: extended(was.as_ref().map(|s| s.ends_at.as_str()), now, days),
        };
        let cond = match &was {
            Some(was) => Cond::eq("endsAt", was.ends_at.clone()),
            None => Cond::NotExists,
        };
        let mut item = subscription.key().to_item();
        item.extend(web::item::record(&subscription)?);
        return Ok(vec![(
            SUBSCRIPTION,
            TxOp::Put {
                item,
                cond: Some(cond),
            },
        )]);
    }
    let Some(was) = providers::find(store, provider_id).await? else {
        tracing::warn!(payment = %payment.id, "paid for a provider that is gone: nothing to give");
        return Ok(Vec::new());
    };
    let mut provider: Provider = was.clone();
    if kind == PaymentType::Boost {
        provider.boosted_until = Some(extended(was.boosted_until.as_deref(), now, days));
    } else {
        // A featuring without an end stays without one.
        let endless = was.is_featured && was.featured_until.is_none();
        provider.is_featured = true;
        if !endless {
            provider.featured_until = Some(extended(was.featured_until.as_deref(), now, days));
        }
    }
    provider.updated_at = web::time::format(now);
    provider.saved(&was)
}

/// Applies `reported` to the payment `id`.
pub async fn settle(store: &DynStore, id: &str, reported: &Reported<'_>) -> ApiResult<Settled> {
    let mut attempt = 0;
    loop {
        let Some(payment) = super::find(store, id).await? else {
            return Ok(Settled::Ignored("no such payment"));
        };
        if payment.stripe_payment_intent_id != reported.intent_id {
            return Ok(Settled::Ignored("another intent"));
        }
        let currency_differs = reported
            .currency
            .is_some_and(|c| !c.eq_ignore_ascii_case(&payment.currency));
        if reported.amount.is_some_and(|a| a != payment.amount) || currency_differs {
            return Ok(Settled::Ignored("another amount"));
        }
        let was = payment.status()?;
        if !was.may_become(reported.status) {
            return Ok(Settled::Ignored("settled already"));
        }
        let now = Utc::now();
        let mut next = payment.clone();
        next.status = reported.status.as_str().to_owned();
        next.updated_at = web::time::format(now);
        if reported.status == PaymentStatus::Accepted {
            next.paid_at = Some(next.updated_at.clone());
        }
        let mut ops = vec![
            (ONCE_STEP, once("stripe", reported.event_id)),
            (
                PAYMENT,
                next.stored(
                    Cond::eq("status", was.as_str())
                        .and(Cond::eq("updatedAt", payment.updated_at.clone())),
                )?,
            ),
        ];
        let tally = totals::moved(payment.kind()?, payment.amount, Some(was), reported.status);
        ops.push(("payment_total", tally));
        if reported.status == PaymentStatus::Accepted {
            ops.push((
                "revenue",
                crate::trends::received(&next.updated_at, payment.amount),
            ));
            ops.extend(effect(store, &payment, now).await?);
        }
        match store.transact_named(ops).await {
            Ok(()) => return Ok(Settled::Applied),
            Err(e) if e.failed(ONCE_STEP) => return Ok(Settled::Replayed),
            Err(e)
                if [PAYMENT, SUBSCRIPTION, providers::SAVED]
                    .iter()
                    .any(|step| lost_race(&e, step))
                    && attempt + 1 < ATTEMPTS =>
            {
                attempt += 1;
                back_off(attempt).await;
            }
            Err(e) => return Err(ApiError::from(e)),
        }
    }
}
