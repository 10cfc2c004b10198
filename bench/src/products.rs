//! What the harnesses need to know of each product beyond its route table and its
//! functions: how to prepare its table (demo data, an admin token), the bodies of routes
//! measured with one, the writes and paginated lists the load harnesses measure, and how to
//! fill those lists fast. A new product adds an entry here; the harnesses stay as they are.

use crate::BenchResult;
use crate::load::{self, Plan, Target};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use store::DynStore;
use web::config::Secret;
use web::routes::Route;

pub struct Product {
    pub name: &'static str,
    pub routes: &'static [Route],
    /// Bodies of the routes measured with one, by (method, path).
    pub bodies: &'static [(&'static str, &'static str, &'static str)],
    /// Writes the warm benchmark measures, in this order, as (method, path, body): every
    /// `{n}` in a body is a number unique to the request (see [`crate::load::Target`]).
    /// They run before the reads, so the records they create (id 1) are there to be read.
    pub writes: &'static [(&'static str, &'static str, &'static str)],
    /// How the demo admin of the local server logs in: (path, body); the reply's `token`
    /// is the access token.
    pub admin_login: (&'static str, &'static str),
    /// The start of the line where `local-api` prints this product's base URL.
    pub local_api_banner: &'static str,
    /// The paginated list routes (GET, `page` and `limit` query parameters) the scale
    /// benchmark times, in the order [`Product::fill`] reports their entities.
    pub paginated: &'static [&'static str],
}

/// A product's table made ready for requests.
pub struct Prepared {
    /// An admin's access token, for protected routes.
    pub admin_token: String,
    /// The environment a function of this product needs beside the table's name.
    pub env: Vec<(String, String)>,
}

pub const KBINE: Product = Product {
    name: "kbine",
    routes: kbine::openapi::ROUTES,
    bodies: &[("POST", "/api/auth/login", KBINE_ADMIN_LOGIN)],
    writes: &[
        ("POST", "/api/auth/login", KBINE_ADMIN_LOGIN),
        ("POST", "/api/orders", KBINE_ORDER),
        ("POST", "/api/payments", KBINE_PAYMENT),
    ],
    admin_login: ("/api/auth/login", KBINE_ADMIN_LOGIN),
    local_api_banner: "Kbine API:",
    paginated: &["/api/users", "/api/orders", "/api/payments"],
};

/// The demo data makes 0700000000 an admin (local server, `Product::prepare`).
const KBINE_ADMIN_LOGIN: &str = r#"{"phoneNumber": "0700000000"}"#;
/// Plan 1 of the demo catalogue is Orange's, whose numbers start with 07.
const KBINE_ORDER: &str =
    r#"{"plan_id": 1, "phone_number": "0700000000", "payment_method": "wave"}"#;
/// A payment of order 1 (the admin may pay any order); references must be unique.
const KBINE_PAYMENT: &str = r#"{"order_id": 1, "amount": 1000, "payment_method": "wave", "payment_reference": "BENCH-{n}"}"#;

pub const PRODUCTS: &[Product] = &[KBINE];

const ACCESS_SECRET: &str = "bench-access-secret-0123456789abcdef0123";
const REFRESH_SECRET: &str = "bench-refresh-secret-0123456789abcdef012";

impl Product {
    pub fn body(&self, method: &str, path: &str) -> Option<Value> {
        self.bodies
            .iter()
            .find(|(m, p, _)| *m == method && *p == path)
            .and_then(|(_, _, body)| serde_json::from_str(body).ok())
    }

    /// Seeds the demo data and opens an admin session.
    pub async fn prepare(&self, store: &DynStore) -> BenchResult<Prepared> {
        match self.name {
            "kbine" => prepare_kbine(store).await,
            other => Err(format!("no preparation for product {other}").into()),
        }
    }

    /// The product's whole API over `store`, as the local server builds it, with the
    /// secrets [`Product::prepare`] signs its token with and rate limits out of the way.
    pub fn app(&self, store: DynStore) -> BenchResult<axum::Router> {
        match self.name {
            "kbine" => Ok(kbine::app(
                kbine::AppState::new(store, kbine_config()),
                kbine::routes(),
            )),
            other => Err(format!("no app for product {other}").into()),
        }
    }

    /// Adds the items numbered `from..to` of every entity of [`Product::paginated`] (so a
    /// second call grows the tables), the product being served at `origin` over `store`.
    /// Returns, per entity, how many were added and how long it took.
    pub async fn fill(
        &self,
        store: &DynStore,
        origin: &str,
        admin_token: &str,
        from: usize,
        to: usize,
    ) -> BenchResult<Vec<Filled>> {
        match self.name {
            "kbine" => fill_kbine(store, origin, admin_token, from, to).await,
            other => Err(format!("no fill for product {other}").into()),
        }
    }
}

/// Items of one entity added by [`Product::fill`].
#[derive(Debug, Clone)]
pub struct Filled {
    pub entity: &'static str,
    pub added: usize,
    pub took: Duration,
    /// How they were written (the product's own function, or its HTTP API).
    pub how: String,
}

fn kbine_config() -> kbine::KbineConfig {
    let mut config =
        kbine::KbineConfig::with_secrets(Secret::new(ACCESS_SECRET), Secret::new(REFRESH_SECRET));
    // Every request comes from 127.0.0.1: the limits are not what is measured.
    config.rate_limit_max = 100_000_000;
    config.login_rate_limit_max = 100_000_000;
    config
}

async fn prepare_kbine(store: &DynStore) -> BenchResult<Prepared> {
    kbine::seed::demo_catalogue(store).await?;
    let config = kbine_config();
    let phone = kbine::phone::PhoneNumber::parse("0700000000")?;
    let admin = kbine::users::ensure_user(store, &phone, "admin").await?;
    let state = kbine::AppState::new(store.clone(), config);
    let session = state.sessions.start(json!(admin.id)).await?;
    let admin_token =
        state
            .sessions
            .tokens()
            .issue_access(json!(admin.id), "admin", &session.sid)?;
    let env = [
        ("JWT_SECRET", ACCESS_SECRET),
        ("JWT_REFRESH_SECRET", REFRESH_SECRET),
        // Every run comes from one address: the limits are not what is measured.
        ("RATE_LIMIT_MAX", "100000000"),
        ("LOGIN_RATE_LIMIT_MAX", "100000000"),
    ];
    Ok(Prepared {
        admin_token,
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    })
}

/// Parallel writers while filling: enough to keep the store's writer busy on 2 cores.
const FILL_CONNECTIONS: usize = 8;

/// Users through `kbine::users::find_or_create` (public); orders and payments through the
/// HTTP API, because their insert paths are private to their handlers (`orders::create`,
/// `payments::create`): a public `insert` there would make this much faster.
async fn fill_kbine(
    store: &DynStore,
    origin: &str,
    admin_token: &str,
    from: usize,
    to: usize,
) -> BenchResult<Vec<Filled>> {
    let count = to.saturating_sub(from);
    let started = Instant::now();
    let mut writers = tokio::task::JoinSet::new();
    for lane in 0..FILL_CONNECTIONS {
        let store = store.clone();
        writers.spawn(async move {
            for i in (from + lane..to).step_by(FILL_CONNECTIONS) {
                // 01 (Moov) numbers: never the demo admin's or staff's.
                let phone = kbine::phone::PhoneNumber::parse(&format!("01{i:08}"))?;
                kbine::users::find_or_create(&store, &phone, "client").await?;
            }
            Ok::<(), web::ApiError>(())
        });
    }
    while let Some(done) = writers.join_next().await {
        done.map_err(|e| format!("user writer: {e}"))?
            .map_err(|e| format!("user writer: {e:?}"))?;
    }
    let users = Filled {
        entity: "users",
        added: count,
        took: started.elapsed(),
        how: format!("`kbine::users::find_or_create`, {FILL_CONNECTIONS} tasks"),
    };
    let mut filled = vec![users];
    for (entity, path, body) in [
        ("orders", "/api/orders", KBINE_ORDER),
        ("payments", "/api/payments", KBINE_PAYMENT),
    ] {
        let target = Target {
            method: reqwest::Method::POST,
            url: format!("{origin}{path}"),
            token: Some(admin_token.to_string()),
            body: Some(body.to_string()),
            label: format!("POST {path}"),
        };
        let plan = Plan {
            connections: FILL_CONNECTIONS,
            requests: count,
            max_duration: Duration::from_secs(3600),
        };
        let outcome = load::run(&target, plan).await?;
        if outcome.non_2xx + outcome.failed > 0 || outcome.requests() != count {
            return Err(format!(
                "filling {entity}: {} of {count} written; {}",
                outcome.requests() - outcome.non_2xx - outcome.failed,
                outcome.first_problem.unwrap_or_default()
            )
            .into());
        }
        filled.push(Filled {
            entity,
            added: count,
            took: outcome.elapsed,
            how: format!("HTTP API (`POST {path}`, {FILL_CONNECTIONS} connections)"),
        });
    }
    Ok(filled)
}
