//! The id kinds the documents use: positive integers (Kbine, CV Builder), 24-hex object ids
//! (Lumira's MongoDB `_id`) and UUIDs (the marketplace), each parsed once at the edge.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

/// Who an account is, as its product keys accounts: an integer (Kbine, CV Builder) or a
/// string (Lumira's object ids). Written as the bare number or string, so tokens and stored
/// sessions read as they always have.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AccountId {
    Int(i64),
    Text(String),
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountId::Int(id) => write!(f, "{id}"),
            AccountId::Text(id) => f.write_str(id),
        }
    }
}

impl From<i64> for AccountId {
    fn from(id: i64) -> Self {
        AccountId::Int(id)
    }
}

impl From<String> for AccountId {
    fn from(id: String) -> Self {
        AccountId::Text(id)
    }
}

impl From<&str> for AccountId {
    fn from(id: &str) -> Self {
        AccountId::Text(id.to_owned())
    }
}

/// The integer id of a product whose accounts are numbered (none for a string id).
impl TryFrom<AccountId> for i64 {
    type Error = AccountId;

    fn try_from(id: AccountId) -> Result<Self, AccountId> {
        match id {
            AccountId::Int(id) => Ok(id),
            other => Err(other),
        }
    }
}

/// The string id of a product whose accounts have object ids (none for a number).
impl TryFrom<AccountId> for String {
    type Error = AccountId;

    fn try_from(id: AccountId) -> Result<Self, AccountId> {
        match id {
            AccountId::Text(id) => Ok(id),
            other => Err(other),
        }
    }
}

impl From<&String> for AccountId {
    fn from(id: &String) -> Self {
        AccountId::Text(id.clone())
    }
}

/// An id as it appears in a path: parsing says whether the text is one.
pub trait IdKind: Sized + Send {
    fn parse_id(text: &str) -> Option<Self>;
}

/// Positive integers, written in plain decimal digits (no sign, no `+`, no spaces).
impl IdKind for i64 {
    fn parse_id(text: &str) -> Option<Self> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse::<i64>().ok().filter(|id| *id > 0)
    }
}

/// UUIDs in their hyphenated form, any case.
impl IdKind for uuid::Uuid {
    fn parse_id(text: &str) -> Option<Self> {
        (text.len() == 36)
            .then(|| uuid::Uuid::parse_str(text).ok())
            .flatten()
    }
}

/// A MongoDB-style object id: 12 bytes written as 24 lower-case hex digits, the first four
/// the creation time in seconds, so ids sort by creation as Lumira's did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId([u8; 12]);

/// Keeps ids made in one second by one process apart even if their random parts met.
static COUNTER: AtomicU32 = AtomicU32::new(0);

impl ObjectId {
    pub fn new() -> ObjectId {
        let seconds = u32::try_from(chrono::Utc::now().timestamp()).unwrap_or(u32::MAX);
        let random = uuid::Uuid::new_v4().into_bytes();
        let count = COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes();
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&seconds.to_be_bytes());
        bytes[4..9].copy_from_slice(&random[..5]);
        bytes[9..].copy_from_slice(&count[1..]);
        ObjectId(bytes)
    }

    pub fn parse(text: &str) -> Option<ObjectId> {
        crate::text::decode_hex(text)?.try_into().ok().map(ObjectId)
    }
}

impl Default for ObjectId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl IdKind for ObjectId {
    fn parse_id(text: &str) -> Option<Self> {
        ObjectId::parse(text)
    }
}

impl Serialize for ObjectId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ObjectId::parse(&text).ok_or_else(|| serde::de::Error::custom("not a 24-hex object id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ids_are_positive_plain_digits() {
        assert_eq!(i64::parse_id("42"), Some(42));
        for bad in [
            "0",
            "-1",
            "+1",
            " 1",
            "1.0",
            "",
            "99999999999999999999",
            "1e3",
        ] {
            assert_eq!(i64::parse_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn object_ids_roundtrip_and_sort_by_creation() {
        let id = ObjectId::parse("65550b2b8f1b2c3d4e5f6a7b").unwrap();
        assert_eq!(id.to_string(), "65550b2b8f1b2c3d4e5f6a7b");
        assert_eq!(ObjectId::parse("65550B2B8F1B2C3D4E5F6A7B"), Some(id));
        for bad in [
            "65550b2b8f1b2c3d4e5f6a7",
            "65550b2b8f1b2c3d4e5f6a7g",
            "",
            "1",
        ] {
            assert_eq!(ObjectId::parse(bad), None, "{bad}");
        }
        let (a, b) = (ObjectId::new(), ObjectId::new());
        assert_ne!(a, b);
        assert!(a.to_string() > id.to_string(), "made after 2023");
        let json = serde_json::to_value(a).unwrap();
        assert_eq!(serde_json::from_value::<ObjectId>(json).unwrap(), a);
    }

    #[test]
    fn uuids_are_hyphenated() {
        let id = "8c43c085-0088-4037-94f1-e30d841b01c5";
        assert_eq!(
            uuid::Uuid::parse_id(id).map(|u| u.to_string()),
            Some(id.into())
        );
        assert_eq!(
            uuid::Uuid::parse_id("8c43c08500884037 94f1e30d841b01c5"),
            None
        );
        assert_eq!(
            uuid::Uuid::parse_id("8c43c085008840379 4f1e30d841b01c5"),
            None
        );
    }

    #[test]
    fn an_account_id_is_written_as_the_bare_number_or_string() {
        let written = serde_json::to_string(&[AccountId::Int(7), AccountId::from("65a1")]);
        assert_eq!(written.ok().as_deref(), Some(r#"[7,"65a1"]"#));
        let read: Result<Vec<AccountId>, _> = serde_json::from_str(r#"[7,"65a1"]"#);
        assert_eq!(
            read.ok(),
            Some(vec![AccountId::Int(7), AccountId::from("65a1")])
        );
        assert_eq!(i64::try_from(AccountId::Int(7)).ok(), Some(7));
        assert!(i64::try_from(AccountId::from("7")).is_err());
        assert_eq!(AccountId::from("65a1").to_string(), "65a1");
    }
}
