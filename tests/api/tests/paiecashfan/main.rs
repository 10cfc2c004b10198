//! Black-box tests of PaieCashFan (`paiecashfan.md` and the contract issue 25 fixes), over
//! HTTP, on both stores.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: failing loudly is the point

mod accounts;
mod concurrency;
mod demo;
mod deposits;
mod esim;
mod insights;
mod ledger_check;
mod live;
mod shop;
mod social;
mod system;
mod tickets;
mod wallet;

use api_tests::{Backend, ProductApp};
use paiecashfan::ledger::{self, Account, Entry, Kind};
use reqwest::StatusCode;
use serde_json::{Value, json};
use web::money::Money;

/// A fresh PaieCashFan with its clubs (the demo accounts are left out: their password
/// hashing is slow in a debug build, and each test makes the fans it needs).
async fn paiecashfan(backend: Backend) -> ProductApp {
    let app = ProductApp::spawn(&paiecashfan::PaieCashFan, backend).await;
    paiecashfan::seed::demo_catalogue(&app.deps.store)
        .await
        .unwrap();
    app
}

macro_rules! both {
    ($name:ident, $scenario:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                ($scenario)(paiecashfan(Backend::Embedded).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn dynamodb() {
                ($scenario)(paiecashfan(Backend::DynamoDb).await).await;
            }
        }
    };
}
pub(crate) use both;

pub const PASSWORD: &str = "Allez les bleus 2026";

/// A signed-in fan.
pub struct Fan {
    pub id: String,
    pub token: String,
}

/// Registers a fan of `club` through the API.
pub async fn fan(app: &ProductApp, email: &str, club: &str) -> Fan {
    let reply = app
        .post(
            "/api/auth/register",
            None,
            json!({"email": email, "password": PASSWORD, "name": "Un Fan", "clubId": club}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    Fan {
        id: reply.body["user"]["id"].as_str().unwrap().to_owned(),
        token: reply.body["token"].as_str().unwrap().to_owned(),
    }
}

/// Puts `euros` in `fan`'s wallet as a deposit entry of the ledger (what a settled Stripe
/// deposit writes).
pub async fn fund(app: &ProductApp, fan: &Fan, euros: i64) {
    let entry = Entry::new(
        Account::deposits(),
        Account::wallet(&fan.id),
        Money::from_minor(euros * 100),
        Kind::Deposit,
        "Dépôt de test".into(),
    );
    app.deps
        .store
        .transact_named(ledger::posted(&entry).unwrap())
        .await
        .unwrap();
}

/// The wallet's balance as its owner reads it, in euros.
pub async fn balance(app: &ProductApp, fan: &Fan) -> f64 {
    let reply = app.get("/api/wallet/balance", Some(&fan.token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["currency"], "EUR");
    reply.body["balance"].as_f64().unwrap()
}

/// The ledger's check holds.
pub async fn ledger_holds(app: &ProductApp) -> ledger::check::Report {
    let report = ledger::check::run(&app.deps.store).await.unwrap();
    assert!(report.holds(), "{report}");
    report
}

/// Of two answers to requests that raced for the last of something: one was created, the
/// other refused as a conflict. The refused one.
pub fn one_wins<'a>(a: &'a api_tests::Reply, b: &'a api_tests::Reply) -> &'a api_tests::Reply {
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CONFLICT],
        "{:?} {:?}",
        a.body,
        b.body
    );
    if a.status == StatusCode::CONFLICT {
        a
    } else {
        b
    }
}

/// The error code of a PaieCashFan refusal.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}
