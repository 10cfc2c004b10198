use serde_json::Value;

/// An item: a JSON object whose `pk` and `sk` attributes are its key. Numbers are stored as
/// DynamoDB numbers, strings as strings, objects as maps, arrays as lists.
pub type Item = serde_json::Map<String, Value>;

pub const PK: &str = "pk";
pub const SK: &str = "sk";
/// Epoch seconds after which the item is expired (DynamoDB TTL attribute).
pub const TTL: &str = "ttl";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Key {
            pk: pk.into(),
            sk: sk.into(),
        }
    }

    /// The key of an item, when it has string `pk` and `sk` attributes.
    pub fn of(item: &Item) -> Option<Key> {
        let pk = item.get(PK)?.as_str()?;
        let sk = item.get(SK)?.as_str()?;
        Some(Key::new(pk, sk))
    }

    /// A new item holding only this key.
    pub fn to_item(&self) -> Item {
        let mut item = Item::new();
        item.insert(PK.into(), Value::String(self.pk.clone()));
        item.insert(SK.into(), Value::String(self.sk.clone()));
        item
    }
}

/// The table's global secondary indexes. Each projects every attribute and is keyed by the
/// string attributes `<name>pk` / `<name>sk`; an item is in an index only when it has both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    Table,
    Gsi1,
    Gsi2,
    Gsi3,
}

impl Index {
    pub const GSIS: [Index; 3] = [Index::Gsi1, Index::Gsi2, Index::Gsi3];

    pub fn name(self) -> Option<&'static str> {
        match self {
            Index::Table => None,
            Index::Gsi1 => Some("gsi1"),
            Index::Gsi2 => Some("gsi2"),
            Index::Gsi3 => Some("gsi3"),
        }
    }

    pub fn pk_attr(self) -> &'static str {
        match self {
            Index::Table => PK,
            Index::Gsi1 => "gsi1pk",
            Index::Gsi2 => "gsi2pk",
            Index::Gsi3 => "gsi3pk",
        }
    }

    pub fn sk_attr(self) -> &'static str {
        match self {
            Index::Table => SK,
            Index::Gsi1 => "gsi1sk",
            Index::Gsi2 => "gsi2sk",
            Index::Gsi3 => "gsi3sk",
        }
    }
}

/// A condition on the current state of an item, evaluated atomically with the write.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// The item exists.
    Exists,
    /// The item does not exist.
    NotExists,
    AttrExists(String),
    AttrNotExists(String),
    Eq(String, Value),
    Ne(String, Value),
    Lt(String, Value),
    Le(String, Value),
    Gt(String, Value),
    Ge(String, Value),
    BeginsWith(String, String),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
}

impl Cond {
    pub fn eq(attr: &str, value: impl Into<Value>) -> Cond {
        Cond::Eq(attr.into(), value.into())
    }
    pub fn ne(attr: &str, value: impl Into<Value>) -> Cond {
        Cond::Ne(attr.into(), value.into())
    }
    pub fn lt(attr: &str, value: impl Into<Value>) -> Cond {
        Cond::Lt(attr.into(), value.into())
    }
    pub fn le(attr: &str, value: impl Into<Value>) -> Cond {
        Cond::Le(attr.into(), value.into())
    }
    pub fn gt(attr: &str, value: impl Into<Value>) -> Cond {
        Cond::Gt(attr.into(), value.into())
    }
    pub fn ge(attr: &str, value: impl Into<Value>) -> Cond {
        Cond::Ge(attr.into(), value.into())
    }
    pub fn attr_exists(attr: &str) -> Cond {
        Cond::AttrExists(attr.into())
    }
    pub fn attr_not_exists(attr: &str) -> Cond {
        Cond::AttrNotExists(attr.into())
    }
    pub fn and(self, other: Cond) -> Cond {
        match self {
            Cond::And(mut all) => {
                all.push(other);
                Cond::And(all)
            }
            first => Cond::And(vec![first, other]),
        }
    }
}

/// Changes to top-level attributes, applied in one atomic step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Update {
    pub set: Vec<(String, Value)>,
    /// Set only when the attribute is absent (DynamoDB's `if_not_exists`).
    pub set_if_absent: Vec<(String, Value)>,
    /// Add to a number attribute (an absent attribute counts as 0).
    pub add: Vec<(String, i64)>,
    pub remove: Vec<String>,
}

impl Update {
    pub fn new() -> Self {
        Update::default()
    }
    pub fn set(mut self, attr: &str, value: impl Into<Value>) -> Self {
        self.set.push((attr.into(), value.into()));
        self
    }
    pub fn set_if_absent(mut self, attr: &str, value: impl Into<Value>) -> Self {
        self.set_if_absent.push((attr.into(), value.into()));
        self
    }
    pub fn add(mut self, attr: &str, by: i64) -> Self {
        self.add.push((attr.into(), by));
        self
    }
    pub fn remove(mut self, attr: &str) -> Self {
        self.remove.push(attr.into());
        self
    }
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
            && self.set_if_absent.is_empty()
            && self.add.is_empty()
            && self.remove.is_empty()
    }
    /// Every attribute this update names, in order.
    pub fn attrs(&self) -> impl Iterator<Item = &str> {
        self.set
            .iter()
            .chain(self.set_if_absent.iter())
            .map(|(a, _)| a.as_str())
            .chain(self.add.iter().map(|(a, _)| a.as_str()))
            .chain(self.remove.iter().map(String::as_str))
    }
}

/// A condition on the sort key of a query (on the index's sort key for a GSI query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    Eq(String),
    BeginsWith(String),
    Between(String, String),
    Lt(String),
    Le(String),
    Gt(String),
    Ge(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub index: Index,
    pub pk: String,
    pub sk: Option<SortKey>,
    /// Evaluated on each item read; as in DynamoDB, `limit` counts items read before the
    /// filter, so a page may hold fewer items than the limit and still have a next cursor.
    pub filter: Option<Cond>,
    pub limit: u32,
    pub forward: bool,
    pub cursor: Option<crate::Cursor>,
}

impl Query {
    pub fn partition(index: Index, pk: impl Into<String>) -> Self {
        Query {
            index,
            pk: pk.into(),
            sk: None,
            filter: None,
            limit: crate::DEFAULT_QUERY_LIMIT,
            forward: true,
            cursor: None,
        }
    }
    pub fn sort_key(mut self, sk: SortKey) -> Self {
        self.sk = Some(sk);
        self
    }
    pub fn filter(mut self, cond: Cond) -> Self {
        self.filter = Some(cond);
        self
    }
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }
    pub fn backward(mut self) -> Self {
        self.forward = false;
        self
    }
    pub fn after(mut self, cursor: Option<crate::Cursor>) -> Self {
        self.cursor = cursor;
        self
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
    /// Present when more items may follow.
    pub next: Option<crate::Cursor>,
}

/// One operation of a transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum TxOp {
    Put {
        item: Item,
        cond: Option<Cond>,
    },
    Update {
        key: Key,
        update: Update,
        cond: Option<Cond>,
    },
    Delete {
        key: Key,
        cond: Option<Cond>,
    },
    Check {
        key: Key,
        cond: Cond,
    },
}

impl TxOp {
    pub fn key(&self) -> Option<Key> {
        match self {
            TxOp::Put { item, .. } => Key::of(item),
            TxOp::Update { key, .. } | TxOp::Delete { key, .. } | TxOp::Check { key, .. } => {
                Some(key.clone())
            }
        }
    }
}
