//! The ledger: every movement of money is an immutable entry, written in one transaction
//! with the balances of both its accounts (TigerBeetle's guarantees, on DynamoDB).
//!
//! - An entry moves `amount` cents from its `debit` account to its `credit` account. It is
//!   stored once under its id (`ENTRY#<id>`, on the condition that the id is new), with a
//!   posting in each account's history (`POSTING#<account>`, newest last), in the
//!   transaction that moves both balances: no entry without its balances, nor the reverse.
//! - A fan's wallet never goes below zero: its debit is conditional on the balance covering
//!   it. Only the accounts outside the platform (`deposits`, money that came in through
//!   Stripe) hold a negative balance, the mirror of what they brought.
//! - A mistake is corrected by a reversing entry (`reverses` names the entry), never an edit.
//! - Revenue (the club shop's, the ticket office's, eSIM plans') is spread over
//!   [`REVENUE_SHARDS`] accounts each, so that sales do not queue on one item.
//!
//! [`check`] proves the whole: each balance equals the sum of its postings, all balances sum
//! to zero, and the wallets hold what was deposited less what was spent.

pub mod check;
mod entry;

pub use entry::{Entry, EntryView, Kind, Posting, entry_key};

use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Placement, StoreResult, TxOp, Update};
use web::{ApiResult, counters, retry};

/// How many accounts each revenue is spread over.
pub const REVENUE_SHARDS: u32 = 8;

/// The index listing every ledger account (the check reads it).
const ACCOUNTS: Index = Index::Gsi1;
const ACCOUNTS_PARTITION: &str = "LEDGER_ACCOUNTS";

/// The transaction step that fails when the debited wallet cannot cover the amount.
pub const FUNDS: &str = "funds";
/// What a payer is told when their wallet does not cover a payment ([`FUNDS`] failed).
pub fn insufficient_funds() -> web::ApiError {
    web::ApiError::bad_request("Solde insuffisant")
}

/// The step that fails when the credited wallet does not exist.
pub const RECIPIENT: &str = "recipient";
/// The step that fails when the entry's id was used already.
pub const ONCE: &str = "entry_once";

/// A ledger account's name: `wallet:<account id>`, `deposits`, `revenue:shop:<n>`...
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Account(String);

impl Account {
    /// A fan's wallet.
    pub fn wallet(owner: &str) -> Self {
        Account(format!("wallet:{owner}"))
    }

    /// Where deposits come from: the money outside the platform that Stripe brought in.
    pub fn deposits() -> Self {
        Account("deposits".into())
    }

    /// One of the shards of a revenue (`shop`, `tickets`, `esim`), picked at random.
    pub fn revenue(of: &str) -> Self {
        let shard = uuid::Uuid::new_v4().as_u128() % u128::from(REVENUE_SHARDS);
        Account(format!("revenue:{of}:{shard}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The wallet's owner, for a wallet.
    pub fn owner(&self) -> Option<&str> {
        self.0.strip_prefix("wallet:")
    }

    /// Whether the account is a fan's: it may never go below zero, and must exist to be
    /// credited.
    pub fn is_wallet(&self) -> bool {
        self.owner().is_some()
    }

    /// The balance's item.
    pub fn key(&self) -> Key {
        Key::new(format!("LEDGER#{}", self.0), "BALANCE")
    }

    /// The partition of its postings.
    pub fn postings(&self) -> String {
        format!("POSTING#{}", self.0)
    }
}

/// An account's balance as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Balance {
    pub account: Account,
    /// In cents.
    pub balance: i64,
    /// How many postings it has.
    pub postings: i64,
}

/// The write that opens `account` at zero (a new fan's wallet), unless it exists.
pub fn opening(account: &Account) -> ApiResult<TxOp> {
    let item = Placement::new(account.key())
        .listed(ACCOUNTS, ACCOUNTS_PARTITION, account.as_str())
        .item(web::item::record(&Balance {
            account: account.clone(),
            balance: 0,
            postings: 0,
        })?);
    Ok(TxOp::Put {
        item,
        cond: Some(Cond::NotExists),
    })
}

/// The stored balance of `account`, if it was ever opened or moved.
async fn stored(store: &DynStore, account: &Account) -> ApiResult<Option<Balance>> {
    web::item::get(store, &account.key()).await
}

/// The balance of `account` (zero when it was never opened).
pub async fn balance(store: &DynStore, account: &Account) -> ApiResult<i64> {
    Ok(stored(store, account).await?.map_or(0, |b| b.balance))
}

/// Every posting of `account`, oldest first (a fan's wallet holds a few hundred at most).
pub async fn history(store: &DynStore, account: &Account) -> ApiResult<Vec<Posting>> {
    let query = store::Query::partition(store::Index::Table, account.postings());
    web::item::all(store, query).await
}

/// The sharded tally of the entries: how many of each kind, and the cents they moved.
pub const TALLY: &str = "ledger";

/// The tally's field counting the entries of `kind`.
pub fn count_field(kind: &str) -> String {
    format!("count_{kind}")
}

/// The tally's field of the cents the entries of `kind` moved.
pub fn volume_field(kind: &str) -> String {
    format!("volume_{kind}")
}

/// How many postings `account` has.
pub async fn postings(store: &DynStore, account: &Account) -> ApiResult<u64> {
    let stored = stored(store, account).await?;
    Ok(stored.map_or(0, |b| u64::try_from(b.postings).unwrap_or(0)))
}

/// The steps that write `entry` with both balances, labelled for
/// [`store::Store::transact_named`]: the entry once ([`ONCE`]), the debit of a wallet
/// covered ([`FUNDS`]), the credit of a wallet that exists ([`RECIPIENT`]).
pub fn posted(entry: &Entry) -> ApiResult<Vec<(&'static str, TxOp)>> {
    let amount = entry.amount;
    let mut ops = vec![(
        ONCE,
        TxOp::Put {
            item: Placement::new(entry.key()).item(web::item::record(entry)?),
            cond: Some(Cond::NotExists),
        },
    )];
    let debit_cond = match entry.debit.is_wallet() {
        true => Some(Cond::ge("balance", amount)),
        false => None,
    };
    ops.push((FUNDS, moved(&entry.debit, -amount, debit_cond)));
    let credit_cond = entry.credit.is_wallet().then_some(Cond::Exists);
    ops.push((RECIPIENT, moved(&entry.credit, amount, credit_cond)));
    // What the platform's statistics count, spread so that entries do not queue on them.
    let moves = [
        (count_field(&entry.kind), 1),
        (volume_field(&entry.kind), amount),
    ];
    ops.push(("tally", counters::bump_fields_sharded(TALLY, &moves)));
    for (account, signed) in [(&entry.debit, -amount), (&entry.credit, amount)] {
        ops.push((
            "posting",
            TxOp::Put {
                item: entry.posting(account, signed)?,
                cond: Some(Cond::NotExists),
            },
        ));
    }
    Ok(ops)
}

/// Writes `ops`, the transaction of one or more entries, through DynamoDB's refusals for a
/// concurrent transaction (a hot wallet, the shared tally): nothing was written then, so
/// the same entries go again under the same ids, at most once as ever.
pub async fn commit(store: &DynStore, ops: Vec<(&'static str, TxOp)>) -> StoreResult<()> {
    retry::transact_through_conflicts(store, ops).await
}

/// The balance of `account` moved by `by` cents, the account listed for the check (an
/// account outside the wallets is opened by its first entry).
fn moved(account: &Account, by: i64, cond: Option<Cond>) -> TxOp {
    let update = Update::new()
        .add("balance", by)
        .add("postings", 1)
        .set("account", account.as_str())
        .set(ACCOUNTS.pk_attr(), ACCOUNTS_PARTITION)
        .set(ACCOUNTS.sk_attr(), account.as_str());
    TxOp::Update {
        key: account.key(),
        update,
        cond,
    }
}
