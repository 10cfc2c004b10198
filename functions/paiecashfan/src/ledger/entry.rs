//! One movement of money, and how a wallet's history shows it.

use super::Account;
use serde::{Deserialize, Serialize};
use store::{Item, Key, Placement};
use web::ApiResult;
use web::money::Money;

web::choice! {
    #[schema(description = "Nature d'un mouvement.", example = json!("transfer"))]
    pub enum Kind {
        Deposit = "deposit",
        Transfer = "transfer",
        Shop = "shop",
        Ticket = "ticket",
        Esim = "esim",
        Refund = "refund",
    }
}

/// An entry as stored: immutable once written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: String,
    pub debit: Account,
    pub credit: Account,
    /// In cents, positive.
    pub amount: i64,
    pub kind: String,
    /// What it paid for, or who it came from, in words.
    pub memo: String,
    /// The entry this one reverses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverses: Option<String>,
    pub created_at: String,
}

impl Entry {
    /// A new entry (its id a fresh UUID) of `amount` cents from `debit` to `credit`.
    pub fn new(debit: Account, credit: Account, amount: Money, kind: Kind, memo: String) -> Self {
        Entry {
            id: uuid::Uuid::new_v4().to_string(),
            debit,
            credit,
            amount: amount.minor(),
            kind: kind.as_str().to_owned(),
            memo,
            reverses: None,
            created_at: web::time::now(),
        }
    }

    pub fn key(&self) -> Key {
        entry_key(&self.id)
    }

    /// The posting of this entry in `account`'s history: `signed` cents (negative for the
    /// debit), newest last.
    pub(super) fn posting(&self, account: &Account, signed: i64) -> ApiResult<Item> {
        let counterpart = match account == &self.debit {
            true => &self.credit,
            false => &self.debit,
        };
        let fields = web::item::record(&Posting {
            entry_id: self.id.clone(),
            account: account.clone(),
            counterpart: counterpart.clone(),
            amount: signed,
            kind: self.kind.clone(),
            memo: self.memo.clone(),
            created_at: self.created_at.clone(),
        })?;
        let sk = format!("{}#{}", self.created_at, self.id);
        Ok(Placement::new(Key::new(account.postings(), sk)).item(fields))
    }
}

pub fn entry_key(id: &str) -> Key {
    Key::new(format!("ENTRY#{id}"), "ENTRY")
}

/// One side of an entry, in its account's history.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Posting {
    pub entry_id: String,
    pub account: Account,
    pub counterpart: Account,
    /// Cents: positive credited, negative debited.
    pub amount: i64,
    pub kind: String,
    pub memo: String,
    pub created_at: String,
}

/// A movement as the wallet's owner reads it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Transaction)]
pub struct EntryView {
    /// L'identifiant de l'écriture.
    #[schema(example = json!("0b7c7d0e-3c55-4a53-9a0f-7a7f1b7bd3a1"))]
    pub id: String,
    #[schema(value_type = Kind)]
    pub kind: String,
    /// En euros : positif reçu, négatif dépensé.
    #[schema(value_type = f64, example = json!(-25.5))]
    pub amount: Money,
    /// `credit` (reçu) ou `debit` (dépensé).
    #[schema(example = json!("debit"))]
    pub direction: &'static str,
    /// L'autre fan d'un transfert.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterpart_id: Option<String>,
    #[schema(example = json!("Transfert à Awa"))]
    pub description: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
}

impl EntryView {
    /// `entry` as its debited account's history shows it.
    pub fn sent(entry: &Entry) -> Self {
        EntryView {
            id: entry.id.clone(),
            kind: entry.kind.clone(),
            amount: Money::from_minor(-entry.amount),
            direction: "debit",
            counterpart_id: entry.credit.owner().map(str::to_owned),
            description: entry.memo.clone(),
            created_at: entry.created_at.clone(),
        }
    }
}

impl From<Posting> for EntryView {
    fn from(p: Posting) -> Self {
        EntryView {
            id: p.entry_id,
            kind: p.kind,
            amount: Money::from_minor(p.amount),
            direction: if p.amount < 0 { "debit" } else { "credit" },
            counterpart_id: p.counterpart.owner().map(str::to_owned),
            description: p.memo,
            created_at: p.created_at,
        }
    }
}
