//! The clubs fans support: a fan names one at registration (`clubId`), and the shop, the
//! ticket office and the feed are by club. Stored at `CLUB#<id>` (the demo data writes them).

use serde::{Deserialize, Serialize};
use store::Key;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Club {
    /// A short lower-case name (`psg`).
    pub id: String,
    pub name: String,
    pub city: String,
}

pub fn key(id: &str) -> Key {
    Key::new(format!("CLUB#{id}"), "CLUB")
}

/// Whether `id` can name a club: a short lower-case name (anything else names none, and is
/// not looked up).
pub fn is_club_id(id: &str) -> bool {
    (1..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
