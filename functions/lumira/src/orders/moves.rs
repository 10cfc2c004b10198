//! Every write to an existing order goes through here: the order's own update, conditioned on
//! the order as it was read, and, when its status moves, the status index, the shop's totals,
//! the client's aggregates and the order's reference with it, in one transaction, with the
//! move recorded (who, when) in `statusHistory`.

use super::{BY_STATUS, Order, StatusChange, order_key, status_partition, totals};
use crate::customers;
use store::{Cond, DynStore, TxOp, Update};
use web::counters::bump;
use web::retry::{self, ATTEMPTS, back_off};
use web::{ApiError, ApiResult};

/// The label of the order's own step, whose failure means the order changed meanwhile.
pub const ORDER_STEP: &str = "order";

/// What to change on an order, decided from the order as read.
pub struct Change {
    /// Its status afterwards (its current one when it does not move).
    pub to: &'static str,
    /// Other attributes to set; never `status` or `updatedAt`, which this module sets.
    pub update: Update,
    /// What the client's total spent moves by (a payment, a refund).
    pub spent: i64,
    /// Who makes the change: an account id, or `stripe`.
    pub by: String,
}

impl Change {
    /// A change of other attributes than the status.
    pub fn fields(order: &Order, update: Update, by: &str) -> ApiResult<Change> {
        let to = super::status::parse(&order.status)
            .ok_or_else(|| ApiError::internal(format!("order {} in no status", order.id)))?;
        Ok(Change {
            to,
            update,
            spent: 0,
            by: by.to_owned(),
        })
    }

    /// A move of the order to `to`, with other attributes.
    pub fn moving(to: &'static str, update: Update, by: &str) -> Change {
        Change {
            to,
            update,
            spent: 0,
            by: by.to_owned(),
        }
    }

    fn moves(&self, order: &Order) -> bool {
        self.to != order.status
    }
}

/// The steps that make `change` on `order` as it was read, at `at`.
pub fn steps(order: &Order, change: Change, at: &str) -> Vec<(&'static str, TxOp)> {
    let moves = change.moves(order);
    let mut update = change.update;
    update = update.set("updatedAt", at);
    if moves {
        let mut history = order.status_history.clone();
        history.push(StatusChange {
            from: order.status.clone(),
            to: change.to.to_owned(),
            by: change.by.clone(),
            at: at.to_owned(),
        });
        update = update
            .set("status", change.to)
            .relist(BY_STATUS, status_partition(change.to))
            .set(
                "statusHistory",
                serde_json::to_value(history).unwrap_or_default(),
            );
    }
    let cond = Cond::eq("status", order.status.as_str())
        .and(Cond::eq("updatedAt", order.updated_at.as_str()));
    let mut ops = vec![(
        ORDER_STEP,
        TxOp::Update {
            key: order_key(&order.id),
            update,
            cond: Some(cond),
        },
    )];
    if moves || change.spent != 0 {
        let follow = customers::move_order(
            &order.user_id,
            order.reference(),
            &order.status,
            change.to,
            change.spent,
            at,
        );
        ops.extend(follow.into_iter().map(|op| ("customer", op)));
    }
    if moves {
        ops.push(("totals", bump(totals::status(&order.status), -1)));
        ops.push(("totals", bump(totals::status(change.to), 1)));
    }
    ops
}

/// Makes the change `decide` computes from the order, reading the order again and deciding
/// again when another write changed it first. Answers the order as written.
pub async fn apply(
    store: &DynStore,
    order: Order,
    mut decide: impl FnMut(&Order) -> ApiResult<Change>,
) -> ApiResult<Order> {
    let mut order = order;
    for attempt in 1..=ATTEMPTS {
        let change = decide(&order)?;
        let at = web::time::now();
        match store.transact_named(steps(&order, change, &at)).await {
            Ok(()) => return reread(store, &order.id).await,
            Err(e) if retry::lost_race(&e, ORDER_STEP) => {
                back_off(attempt).await;
                order = reread(store, &order.id).await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::problem(web::error::Problem::ConcurrentChange))
}

/// The order `id`, which must be there (it was just read or written).
pub(super) async fn reread(store: &DynStore, id: &str) -> ApiResult<Order> {
    super::find(store, id)
        .await?
        .ok_or_else(|| ApiError::internal(format!("order {id} vanished")))
}
