//! The ledger's proof: every account's balance equals the sum of its postings and their
//! count, every entry's two postings cancel out (all balances sum to zero), no wallet is
//! below zero, and the wallets hold what was deposited less what was spent. Run by the
//! tests after every concurrency test, and by an operator as the `ledger_check` job
//! (`local-api job --product paiecashfan --name ledger_check`). It reads everything: an
//! audit, not a request's work.

use super::{ACCOUNTS, ACCOUNTS_PARTITION, Account, Balance};
use std::fmt;
use store::{DynStore, Query};
use web::ApiResult;
use web::money::Money;

/// What the check found.
#[derive(Debug, Default)]
pub struct Report {
    pub accounts: usize,
    pub postings: u64,
    /// The sum of the wallets, in cents.
    pub wallets: i64,
    /// What came in through deposits, in cents.
    pub deposited: i64,
    /// What the wallets paid the platform (shop, tickets, eSIM), net of refunds, in cents.
    pub spent: i64,
    /// Each broken rule, in words; empty when the ledger holds.
    pub problems: Vec<String>,
}

impl Report {
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} accounts, {} postings; wallets {} EUR = deposited {} EUR - spent {} EUR",
            self.accounts,
            self.postings,
            Money::from_minor(self.wallets),
            Money::from_minor(self.deposited),
            Money::from_minor(self.spent),
        )?;
        match self.problems.is_empty() {
            true => write!(f, ": the ledger holds"),
            false => write!(f, "; BROKEN: {}", self.problems.join("; ")),
        }
    }
}

pub async fn run(store: &DynStore) -> ApiResult<Report> {
    let accounts: Vec<Balance> =
        web::item::all(store, Query::partition(ACCOUNTS, ACCOUNTS_PARTITION)).await?;
    let mut report = Report::default();
    let mut total: i64 = 0;
    for account in accounts {
        let postings = super::history(store, &account.account).await?;
        let sum: i64 = postings.iter().map(|p| p.amount).sum();
        let count = postings.len() as u64;
        let name = account.account.as_str();
        if sum != account.balance {
            report.problems.push(format!(
                "{name}: balance {} but its postings sum to {}",
                account.balance, sum
            ));
        }
        if i64::try_from(count).ok() != Some(account.postings) {
            report.problems.push(format!(
                "{name}: {} postings counted, {count} stored",
                account.postings
            ));
        }
        tally(&mut report, &account.account, account.balance);
        total += account.balance;
        report.accounts += 1;
        report.postings += count;
    }
    if total != 0 {
        report
            .problems
            .push(format!("the balances sum to {total} cents, not zero"));
    }
    if report.wallets != report.deposited - report.spent {
        report.problems.push(format!(
            "the wallets hold {} cents, deposits less spending is {}",
            report.wallets,
            report.deposited - report.spent
        ));
    }
    Ok(report)
}

fn tally(report: &mut Report, account: &Account, balance: i64) {
    if account.is_wallet() {
        if balance < 0 {
            report
                .problems
                .push(format!("{}: below zero ({balance})", account.as_str()));
        }
        report.wallets += balance;
    } else if account == &Account::deposits() {
        report.deposited -= balance;
    } else {
        report.spent += balance;
    }
}
