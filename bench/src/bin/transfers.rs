//! Transfers per second (issue 25): PaieCashFan's `POST /api/wallet/send` through the local
//! server's HTTP stack, each transfer one ledger transaction with both balances, measured
//! - on one wallet: every connection sends from the same wallet (each to its own recipient),
//!   so every transfer writes the same balance item;
//! - across many: each connection sends from its own wallet to its own recipient.
//!
//! On the embedded store and, with `BENCH_DYNAMODB_ENDPOINT`, on DynamoDB Local (whose
//! transactions refuse concurrent writes of one item, as DynamoDB's do). After each run the
//! ledger check must hold and the transfers answered 201 must be the ones the ledger counts.
//! Writes `bench/results/transfers.md`.

use bench::load::{self, Outcome, Plan, Target};
use bench::products::InProcessServer;
use bench::report::{publish, table};
use bench::stats::ms;
use bench::{BenchResult, cli, workspace_root};
use paiecashfan::ledger::{self, Account, Entry, Kind};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::DynStore;
use store::dynamodb::DynamoStore;
use store::embedded::EmbeddedStore;
use web::money::Money;

const USAGE: &str = "usage: transfers [--connections N] [--transfers N] [--report FILE]";

struct Options {
    connections: usize,
    /// Per connection.
    transfers: usize,
    report: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        connections: 16,
        transfers: 100,
        report: workspace_root().join("bench/results/transfers.md"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--connections" => options.connections = cli::positive(args.next(), &arg)?,
            "--transfers" => options.transfers = cli::positive(args.next(), &arg)?,
            "--report" => options.report = cli::path(args.next(), &arg)?,
            _ => return Err(USAGE.into()),
        }
    }
    Ok(options)
}

/// A fan registered through the API.
struct Fan {
    id: String,
    token: String,
}

/// One measured run.
struct Run {
    store: &'static str,
    mode: &'static str,
    outcome: Outcome,
    /// Transfers the ledger's tally counted during the run.
    counted: u64,
    check: String,
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let options = options()?;
    let mut runs = Vec::new();
    let dir = tempfile::tempdir()?;
    let embedded: DynStore = Arc::new(EmbeddedStore::open(&dir.path().join("transfers.sqlite3"))?);
    runs.extend(measure("embedded", embedded, &options).await?);
    match std::env::var("BENCH_DYNAMODB_ENDPOINT") {
        Ok(endpoint) => {
            let table = format!("bench-transfers-{}", uuid::Uuid::new_v4().simple());
            let dynamo = DynamoStore::local(&endpoint, table);
            dynamo.create_table_if_missing().await?;
            runs.extend(measure("DynamoDB Local", Arc::new(dynamo), &options).await?);
        }
        Err(_) => eprintln!("BENCH_DYNAMODB_ENDPOINT unset: the embedded store only"),
    }
    publish(&options.report, &report(&runs, &options))?;
    Ok(())
}

async fn measure(
    store_name: &'static str,
    store: DynStore,
    options: &Options,
) -> BenchResult<Vec<Run>> {
    let product = bench::products::all()
        .into_iter()
        .find(|p| p.name == "paiecashfan")
        .ok_or("PaieCashFan is not registered")?;
    product.prepare(&store).await?;
    let server = InProcessServer::start(&product, store.clone()).await?;
    let origin = server.origin.clone();

    let n = options.connections;
    let mut fans = Vec::new();
    for i in 0..2 * n {
        fans.push(register(&origin, store_name, i).await?);
    }
    let (senders, recipients) = fans.split_at(n);
    // Enough for every transfer of a run, whichever wallet pays them all.
    let budget = i64::try_from(n * options.transfers)? * 100;
    for sender in senders {
        fund(&store, sender, budget).await?;
    }
    let mut runs = Vec::new();
    for (mode, from) in [
        ("one wallet", vec![&senders[0]; n]),
        ("across many", senders.iter().collect()),
    ] {
        let before = counted(&store).await?;
        let outcome = send_all(&origin, &from, recipients, options.transfers).await?;
        let report = ledger::check::run(&store).await?;
        let check = match report.holds() {
            true => "holds".to_string(),
            false => format!("**BROKEN**: {report}"),
        };
        runs.push(Run {
            store: store_name,
            mode,
            outcome,
            counted: counted(&store).await? - before,
            check,
        });
    }
    server.stop().await;
    Ok(runs)
}

/// Each sender's transfers of 0.01 € to its recipient, all connections at once.
async fn send_all(
    origin: &str,
    senders: &[&Fan],
    recipients: &[Fan],
    each: usize,
) -> BenchResult<Outcome> {
    let started = Instant::now();
    let mut connections = tokio::task::JoinSet::new();
    for (sender, recipient) in senders.iter().zip(recipients) {
        let target = Target {
            method: reqwest::Method::POST,
            url: format!("{origin}/api/wallet/send"),
            token: Some(sender.token.clone()),
            body: Some(json!({"recipientId": recipient.id, "amount": 0.01}).to_string()),
            label: "POST /api/wallet/send".into(),
        };
        let plan = Plan {
            connections: 1,
            requests: each,
            max_duration: Duration::from_secs(600),
        };
        connections.spawn(async move { load::run(&target, plan).await });
    }
    let mut total = Outcome::default();
    while let Some(done) = connections.join_next().await {
        total.merge(done??);
    }
    total.elapsed = started.elapsed();
    Ok(total)
}

async fn register(origin: &str, store: &str, i: usize) -> BenchResult<Fan> {
    let email = format!(
        "bench-{}-{i}@example.com",
        store.replace(' ', "-").to_lowercase()
    );
    let body =
        json!({"email": email, "password": "Transferts 2026 !", "name": "Fan", "clubId": "psg"});
    let response = load::client()?
        .post(format!("{origin}/api/auth/register"))
        .json(&body)
        .send()
        .await?;
    let answer: Value = response.json().await?;
    let field = |pointer: &str| {
        answer
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match (field("/user/id"), field("/token")) {
        (Some(id), Some(token)) => Ok(Fan { id, token }),
        _ => Err(format!("registering {email}: {answer}").into()),
    }
}

/// A deposit of `cents` as the Stripe webhook writes it: one ledger entry.
async fn fund(store: &DynStore, fan: &Fan, cents: i64) -> BenchResult<()> {
    let entry = Entry::new(
        Account::deposits(),
        Account::wallet(&fan.id),
        Money::from_minor(cents),
        Kind::Deposit,
        "Dépôt du banc d'essai".into(),
    );
    store.transact_named(ledger::posted(&entry)?).await?;
    Ok(())
}

/// The transfers the ledger's tally has counted.
async fn counted(store: &DynStore) -> BenchResult<u64> {
    let field = ledger::count_field(Kind::Transfer.as_str());
    let totals = web::counters::sharded_fields(store, ledger::TALLY).await?;
    Ok(totals.get(&field).copied().unwrap_or(0).try_into()?)
}

fn report(runs: &[Run], options: &Options) -> String {
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|run| {
            let o = &run.outcome;
            let moved = o.requests() - o.non_2xx - o.failed;
            vec![
                run.store.to_string(),
                run.mode.to_string(),
                o.requests().to_string(),
                moved.to_string(),
                (o.non_2xx + o.failed).to_string(),
                format!(
                    "{:.0}",
                    moved as f64 / o.elapsed.as_secs_f64().max(f64::EPSILON)
                ),
                ms(o.p50()),
                ms(o.p99()),
                match run.counted == moved as u64 {
                    true => format!("{} (equal)", run.counted),
                    false => format!("**{}** (not the 201s)", run.counted),
                },
                run.check.clone(),
            ]
        })
        .collect();
    let problems: Vec<String> = runs
        .iter()
        .filter_map(|r| {
            let why = r.outcome.first_problem.as_ref()?;
            Some(format!("- {} / {}: {why}", r.store, r.mode))
        })
        .collect();
    format!(
        "# Transfers per second (PaieCashFan)\n\n\
         `POST /api/wallet/send` of 0.01 € through the local server's HTTP stack, \
         {} connections at once, {} transfers each; each transfer is one ledger transaction \
         (the entry, both balances, both postings, the sharded tally). *One wallet*: every \
         connection pays from the same wallet (to its own recipient). *Across many*: each \
         connection pays from its own wallet. Load average at the end: {}.\n\n{}\n{}",
        options.connections,
        options.transfers,
        load::load_average(),
        table(
            &[
                "store",
                "mode",
                "sent",
                "201",
                "refused",
                "transfers/s",
                "p50 ms",
                "p99 ms",
                "ledger counted",
                "ledger check",
            ],
            &rows,
        ),
        match problems.is_empty() {
            true => "Every transfer was answered 201.\n".to_string(),
            false => format!("First refusal of each run:\n{}\n", problems.join("\n")),
        }
    )
}
