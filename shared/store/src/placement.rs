//! Where an item sits: its key, and its entry in each secondary index it is listed by. A
//! product spells each entity's layout once (`orders::placement(&order)`), and writes items
//! and index moves through it: no handler names an index attribute.

use crate::{Cond, Index, Item, Key, Update};
use serde_json::Value;

/// An item's entry in one secondary index: the partition it is listed under, and its place
/// in that partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub index: Index,
    pub pk: String,
    pub sk: String,
}

impl IndexEntry {
    pub fn new(index: Index, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        IndexEntry {
            index,
            pk: pk.into(),
            sk: sk.into(),
        }
    }
}

/// An item's key and its index entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub key: Key,
    pub entries: Vec<IndexEntry>,
}

impl Placement {
    pub fn new(key: Key) -> Self {
        Placement {
            key,
            entries: Vec::new(),
        }
    }

    /// Also listed in `index`, under `pk`, at `sk`.
    pub fn listed(mut self, index: Index, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.entries.push(IndexEntry::new(index, pk, sk));
        self
    }

    /// The item placed here, holding `fields` (which name no key or index attribute).
    pub fn item(&self, fields: Item) -> Item {
        let mut item = self.key.to_item();
        for entry in &self.entries {
            item.insert(entry.index.pk_attr().into(), Value::from(entry.pk.clone()));
            item.insert(entry.index.sk_attr().into(), Value::from(entry.sk.clone()));
        }
        item.extend(fields);
        item
    }
}

impl Cond {
    /// The item is listed in `index` under the partition `pk` (an owner's, a status's).
    pub fn listed(index: Index, pk: impl Into<String>) -> Cond {
        Cond::eq(index.pk_attr(), pk.into())
    }
}

impl Update {
    /// Moves the item to another partition of `index` (a status that lists it elsewhere),
    /// keeping its place in the partition.
    pub fn relist(self, index: Index, pk: impl Into<String>) -> Self {
        self.set(index.pk_attr(), pk.into())
    }

    /// Moves the item to `entry` in its index.
    pub fn place(self, entry: IndexEntry) -> Self {
        self.set(entry.index.pk_attr(), entry.pk)
            .set(entry.index.sk_attr(), entry.sk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_item_carries_its_key_and_index_entries() {
        let placement = Placement::new(Key::new("ORDER#1", "ORDER"))
            .listed(Index::Gsi1, "USER#7", "2025-01-01#1")
            .listed(Index::Gsi3, "STATUS#pending", "2025-01-01#1");
        let mut fields = Item::new();
        fields.insert("amount".into(), json!(1000));
        let item = placement.item(fields);
        assert_eq!(
            Value::Object(item),
            json!({"pk": "ORDER#1", "sk": "ORDER", "amount": 1000,
                   "gsi1pk": "USER#7", "gsi1sk": "2025-01-01#1",
                   "gsi3pk": "STATUS#pending", "gsi3sk": "2025-01-01#1"})
        );
        let moved = Update::new().relist(Index::Gsi3, "STATUS#paid");
        assert_eq!(moved, Update::new().set("gsi3pk", "STATUS#paid"));
    }
}
