//! The shop's clients (the document's "users"): one per email, made by their first checkout,
//! carrying the aggregates the admin's stats show (orders by status and by level, total
//! spent), which every order write keeps in step in its own transaction: never a scan.
//!
//! Items: the client at `USER#<id>` (sort key `USER`); `USEREMAIL#<email>` names the client
//! of each email; each order leaves a reference in the client's partition
//! (`USER#<id>`, `ORDER#<createdAt>#<orderId>`) with what lists and filters need of it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use store::{Cond, DynStore, Index, Key, Placement, Query, SortKey, TxOp, Update};
use web::counters::bump;
use web::ids::ObjectId;
use web::{ApiError, ApiResult};

/// What an admin may set a client's subscription to; new clients are `inactive`.
pub const SUBSCRIPTION_STATUSES: &[&str] = &["inactive", "active", "trial", "cancelled"];

/// A client as stored, aggregates included.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    #[serde(rename = "_id")]
    pub id: String,
    pub email: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub date_of_birth: Option<String>,
    pub subscription_status: String,
    #[serde(default)]
    pub total_orders: i64,
    #[serde(default)]
    pub total_spent: i64,
    #[serde(default)]
    pub last_order_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// `count_<status>` and `level_<n>` aggregates, read by [`Customer::count`].
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

impl Customer {
    fn aggregate(&self, name: &str) -> i64 {
        self.rest.get(name).and_then(Value::as_i64).unwrap_or(0)
    }

    /// How many of the client's orders are in `status`.
    pub fn count(&self, status: &str) -> i64 {
        self.aggregate(&status_count(status))
    }

    /// How many of the client's orders are of `level`.
    pub fn level_count(&self, level: u8) -> i64 {
        self.aggregate(&level_count(level))
    }

    /// The level the client has reached: the highest they ordered (0 before any order).
    pub fn level(&self) -> u8 {
        (1..=crate::catalogue::MAX_LEVEL)
            .rev()
            .find(|l| self.level_count(*l) > 0)
            .unwrap_or(0)
    }
}

/// What admins and the client see of a client (`GET /api/users/:id`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerView {
    #[serde(rename = "_id")]
    pub id: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub date_of_birth: Option<String>,
    pub subscription_status: String,
    pub total_orders: i64,
    pub last_order_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Customer> for CustomerView {
    fn from(c: &Customer) -> Self {
        CustomerView {
            id: c.id.clone(),
            email: c.email.clone(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            phone: c.phone.clone(),
            date_of_birth: c.date_of_birth.clone(),
            subscription_status: c.subscription_status.clone(),
            total_orders: c.total_orders,
            last_order_at: c.last_order_at.clone(),
            created_at: c.created_at.clone(),
            updated_at: c.updated_at.clone(),
        }
    }
}

pub fn customer_key(id: &str) -> Key {
    Key::new(format!("USER#{id}"), "USER")
}

fn email_key(email: &str) -> Key {
    Key::new(format!("USEREMAIL#{email}"), "EMAIL")
}

/// The reference an order leaves in its client's partition.
pub fn order_ref_key(customer_id: &str, created_at: &str, order_id: &str) -> Key {
    Key::new(
        format!("USER#{customer_id}"),
        format!("ORDER#{created_at}#{order_id}"),
    )
}

/// The query of a client's order references, oldest first.
pub fn order_refs(customer_id: &str) -> Query {
    Query::partition(Index::Table, format!("USER#{customer_id}"))
        .sort_key(SortKey::BeginsWith("ORDER#".into()))
}

pub fn status_count(status: &str) -> String {
    format!("count_{status}")
}

fn level_count(level: u8) -> String {
    format!("level_{level}")
}

/// A client's key layout: listed with every client (gsi1) and by subscription status
/// (gsi2), newest first.
fn placement(id: &str, status: &str, sort_key: &str) -> Placement {
    Placement::new(customer_key(id))
        .listed(ALL, "USERS", sort_key)
        .listed(BY_SUBSCRIPTION, subscription_partition(status), sort_key)
}

/// The indexes clients are listed in.
pub(crate) const ALL: Index = Index::Gsi1;
pub(crate) const BY_SUBSCRIPTION: Index = Index::Gsi2;

/// The index partition of the clients of one subscription status.
pub fn subscription_partition(status: &str) -> String {
    format!("USERS#{status}")
}

pub async fn find(store: &DynStore, id: &str) -> ApiResult<Option<Customer>> {
    store
        .get(&customer_key(id))
        .await?
        .map(web::item::parse)
        .transpose()
}

/// The customers of `ids`, in their order, read at once.
pub async fn find_many(store: &DynStore, ids: &[String]) -> ApiResult<Vec<Option<Customer>>> {
    let keys: Vec<Key> = ids.iter().map(|id| customer_key(id)).collect();
    web::item::get_many(store, &keys).await
}

pub async fn find_by_email(store: &DynStore, email: &str) -> ApiResult<Option<Customer>> {
    let Some(guard) = store.get(&email_key(email)).await? else {
        return Ok(None);
    };
    let id = guard
        .get("userId")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::internal("email guard without userId"))?;
    find(store, id).await
}

/// What a new order adds to its client.
pub struct NewOrder<'a> {
    pub id: &'a str,
    pub number: &'a str,
    pub level: u8,
    pub amount: i64,
    pub status: &'a str,
    /// What the client has paid with this order already (a free product's 0, or nothing).
    pub paid: i64,
    pub created_at: &'a str,
}

/// A new client as stored: its first order (if it comes with one) already counted.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewCustomer<'a> {
    #[serde(rename = "_id")]
    id: &'a str,
    email: &'a str,
    subscription_status: &'a str,
    total_orders: i64,
    total_spent: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_order_at: Option<&'a str>,
    created_at: &'a str,
    updated_at: &'a str,
    /// The first order's `count_<status>` and `level_<n>` aggregates.
    #[serde(flatten)]
    first_order_counts: BTreeMap<String, i64>,
}

/// The reference an order leaves in its client's partition: what the client's lists and
/// filters need of it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRef {
    pub order_id: String,
    pub order_number: String,
    pub level: u8,
    pub amount: i64,
    pub status: String,
    pub created_at: String,
}

/// A new client of `email` at `at`, with its first order or none: its id, and the steps
/// that write it (its email guard, then the client) and count it.
fn creation(
    email: &str,
    at: &str,
    first_order: Option<&NewOrder>,
) -> ApiResult<(String, Vec<(&'static str, TxOp)>)> {
    let id = ObjectId::new().to_string();
    let mut guard = email_key(email).to_item();
    guard.insert("userId".into(), id.clone().into());
    let status = SUBSCRIPTION_STATUSES[0];
    let record = NewCustomer {
        id: &id,
        email,
        subscription_status: status,
        total_orders: first_order.map_or(0, |_| 1),
        total_spent: first_order.map_or(0, |order| order.paid),
        last_order_at: first_order.map(|order| order.created_at),
        created_at: at,
        updated_at: at,
        first_order_counts: first_order
            .map(|order| {
                BTreeMap::from([
                    (status_count(order.status), 1),
                    (level_count(order.level), 1),
                ])
            })
            .unwrap_or_default(),
    };
    let customer = placement(&id, status, &format!("{at}#{id}")).item(web::item::record(&record)?);
    let new = || Some(Cond::NotExists);
    let ops = vec![
        (
            EMAIL_GUARD,
            TxOp::Put {
                item: guard,
                cond: new(),
            },
        ),
        (
            "customer",
            TxOp::Put {
                item: customer,
                cond: new(),
            },
        ),
        ("totals", bump("users", 1)),
        ("totals", bump(format!("users#{status}"), 1)),
    ];
    Ok((id, ops))
}

/// The client of `email`, made with no order if there is none (the harnesses' clients).
pub async fn ensure(store: &DynStore, email: &str) -> ApiResult<Customer> {
    if let Some(customer) = find_by_email(store, email).await? {
        return Ok(customer);
    }
    let (id, ops) = creation(email, &web::time::now(), None)?;
    match store.transact_named(ops).await {
        Ok(()) | Err(store::StoreError::ConditionFailed { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let found = match find_by_email(store, email).await? {
        Some(customer) => Some(customer),
        None => find(store, &id).await?,
    };
    found.ok_or_else(|| ApiError::internal("client vanished"))
}

/// Label of the step that creates a client, whose failure means another request did first.
pub const EMAIL_GUARD: &str = "email_guard";

/// The steps that count `order` on the client of `email`: the client's aggregates (the
/// client and its email guard, created when `existing` is `None`), the order's reference
/// and the shop's totals. Answers the client's id with them.
pub fn count_order(
    existing: Option<&Customer>,
    email: &str,
    order: &NewOrder,
) -> ApiResult<(String, Vec<(&'static str, TxOp)>)> {
    let mut ops = Vec::new();
    let id = match existing {
        Some(customer) => {
            let update = Update::new()
                .add("totalOrders", 1)
                .add(&status_count(order.status), 1)
                .add(&level_count(order.level), 1)
                .add("totalSpent", order.paid)
                .set("lastOrderAt", order.created_at)
                .set("updatedAt", order.created_at);
            ops.push((
                "customer",
                TxOp::Update {
                    key: customer_key(&customer.id),
                    update,
                    cond: Some(Cond::Exists),
                },
            ));
            customer.id.clone()
        }
        None => {
            let (id, creation) = creation(email, order.created_at, Some(order))?;
            ops.extend(creation);
            id
        }
    };
    let mut reference = order_ref_key(&id, order.created_at, order.id).to_item();
    reference.extend(web::item::record(&OrderRef {
        order_id: order.id.to_owned(),
        order_number: order.number.to_owned(),
        level: order.level,
        amount: order.amount,
        status: order.status.to_owned(),
        created_at: order.created_at.to_owned(),
    })?);
    ops.push((
        "order_ref",
        TxOp::Put {
            item: reference,
            cond: Some(Cond::NotExists),
        },
    ));
    Ok((id, ops))
}

/// The steps that move one of the client's orders from `from` to `to` in its aggregates and
/// its reference, with `spent` added to what the client has paid.
pub fn move_order(
    customer_id: &str,
    order_ref: Key,
    from: &str,
    to: &str,
    spent: i64,
    at: &str,
) -> Vec<TxOp> {
    let mut update = Update::new().set("updatedAt", at);
    if from != to {
        update = update
            .add(&status_count(from), -1)
            .add(&status_count(to), 1);
    }
    if spent != 0 {
        update = update.add("totalSpent", spent);
    }
    vec![
        TxOp::Update {
            key: customer_key(customer_id),
            update,
            cond: Some(Cond::Exists),
        },
        TxOp::Update {
            key: order_ref,
            update: Update::new().set("status", to),
            cond: Some(Cond::Exists),
        },
    ]
}
