//! The writes of one change of an order, made in one transaction: the order itself (on
//! condition that it is still as it was read), its status totals, its copy in its
//! assignee's list, and the history entry saying who, when and why.
//!
//! An assigned order is copied into `ORDERS#ASSIGNEE#<staff>` (sort key: creation time and
//! id, like the other lists), so that a staff member's own orders are a partition read and
//! their totals counters, never a scan.

use super::{BY_STATUS, Order, order_key, status_partition, status_total, user_status_total};
use crate::history::Entry;
use serde::Serialize;
use serde_json::Value;
use store::{Cond, Key, TxOp, Update};
use web::ApiResult;
use web::counters::{bump, list_sort_key};

/// The step whose condition fails when another request changed the order first.
pub const ORDER_AS_READ: &str = "order_as_read";

/// What a change does to the order's assignee.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Assignee {
    Keep,
    Set(i64),
    Clear,
}

pub fn assignee_partition(staff: i64) -> String {
    format!("ORDERS#ASSIGNEE#{staff}")
}

pub fn assignee_total(staff: i64) -> String {
    format!("orders#assignee#{staff}")
}

pub fn assignee_status_total(staff: i64, status: &str) -> String {
    format!("orders#assignee#{staff}#status#{status}")
}

fn copy_key(order: &Order, staff: i64) -> Key {
    Key::new(
        assignee_partition(staff),
        list_sort_key(&order.created_at, order.id),
    )
}

/// The condition of every change: the order is the one that was read.
pub fn as_read(order: &Order) -> Cond {
    Cond::Exists
        .and(Cond::eq("status", order.status.as_str()))
        .and(Cond::eq("updated_at", order.updated_at.as_str()))
}

/// Every step of moving `order` to `status` with `assignee`, stamped `now`, recorded as
/// `entry`; `extra` is set on the order too (payment markers).
pub fn ops(
    order: &Order,
    status: &str,
    assignee: Assignee,
    extra: Update,
    entry: &Entry,
    now: &str,
) -> ApiResult<Vec<(&'static str, TxOp)>> {
    let before = order.assigned_to;
    let after = match assignee {
        Assignee::Keep => before,
        Assignee::Set(staff) => Some(staff),
        Assignee::Clear => None,
    };
    let mut update = extra
        .set("status", status)
        .set("updated_at", now)
        .relist(BY_STATUS, status_partition(status));
    update = match after {
        Some(staff) => update.set("assigned_to", staff),
        None => update.set("assigned_to", Value::Null),
    };
    let mut ops = vec![(
        ORDER_AS_READ,
        TxOp::Update {
            key: order_key(order.id),
            update,
            cond: Some(as_read(order)),
        },
    )];
    let moved = order.status != status;
    if moved {
        ops.extend([
            ("totals", bump(status_total(&order.status), -1)),
            ("totals", bump(status_total(status), 1)),
            (
                "totals",
                bump(user_status_total(order.user_id, &order.status), -1),
            ),
            ("totals", bump(user_status_total(order.user_id, status), 1)),
        ]);
    }
    if let Some(staff) = before.filter(|s| Some(*s) != after) {
        ops.push((
            "assignee_copy",
            TxOp::Delete {
                key: copy_key(order, staff),
                cond: None,
            },
        ));
        ops.push(("totals", bump(assignee_total(staff), -1)));
        ops.push((
            "totals",
            bump(assignee_status_total(staff, &order.status), -1),
        ));
    }
    if let Some(staff) = after {
        ops.push(("assignee_copy", copy(order, staff, status, now)?));
        if before != after {
            ops.push(("totals", bump(assignee_total(staff), 1)));
            ops.push(("totals", bump(assignee_status_total(staff, status), 1)));
        } else if moved {
            ops.push((
                "totals",
                bump(assignee_status_total(staff, &order.status), -1),
            ));
            ops.push(("totals", bump(assignee_status_total(staff, status), 1)));
        }
    }
    ops.push(("history", entry.write(&order_key(order.id).pk)?));
    Ok(ops)
}

/// The order as its assignee's list shows it, written whole (orders assigned before the
/// copies existed get theirs on their next change).
fn copy(order: &Order, staff: i64, status: &str, now: &str) -> ApiResult<TxOp> {
    let mut item = copy_key(order, staff).to_item();
    let mut order = order.clone();
    order.status = status.to_owned();
    order.updated_at = now.to_owned();
    order.assigned_to = Some(staff);
    item.extend(web::item::record(&AssigneeCopy {
        copy_of: order_key(order.id).pk,
        order: &order,
    })?);
    Ok(TxOp::Put { item, cond: None })
}

/// An order as its assignee's list shows it, naming the order it copies.
#[derive(Serialize)]
struct AssigneeCopy<'a> {
    #[serde(flatten)]
    order: &'a Order,
    copy_of: String,
}
