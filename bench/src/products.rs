//! The products the harnesses measure: every product of the registry (`products::ALL`), with
//! what its registration says of it (its route table, its load plan, its demo login, how to
//! build its API and sign in its admin). A product that lands is measured with no code here.

use crate::BenchResult;
use crate::load::{self, Plan, Target};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use store::DynStore;
use web::live::local::LocalApi;
use web::product::{Deps, LoadPlan, Paginated, Product as Registered, Sample};
use web::routes::Route;

pub struct Product {
    pub def: &'static dyn Registered,
    pub name: &'static str,
    pub routes: &'static [Route],
    /// Bodies of the routes measured with one, by (method, path).
    pub bodies: &'static [(&'static str, &'static str, &'static str)],
    /// Writes the warm benchmark measures, in this order (see `web::product::LoadPlan`).
    pub writes: &'static [(&'static str, &'static str, &'static str)],
    /// How the demo admin of the local server logs in: (path, body, JSON pointer to the
    /// access token); none for a product without accounts.
    /// Where the demo admin logs in and where the reply puts the token; the body (with the
    /// server's own demo password) is what the local server prints.
    pub admin_login: Option<(&'static str, &'static str)>,
    /// The start of the line where `local-api` prints this product's base URL.
    pub local_api_banner: String,
    /// The start of the line with its demo admin's login request (`Kbine admin login:`).
    pub admin_login_banner: String,
    /// The start of the lines that say where a caller of each role is made
    /// (`Kbine caller login (`, then the role).
    pub caller_banner: String,
    /// The paginated lists the scale benchmark times.
    pub paginated: &'static [Paginated],
    /// Path parameters of the warm benchmark's reads, from the demo data.
    pub samples: &'static [Sample],
    plan: LoadPlan,
}

/// A product's table made ready for requests.
pub struct Prepared {
    /// An admin's access token, for protected routes (empty without accounts).
    pub admin_token: String,
    /// The environment a function of this product needs beside the table's name.
    pub env: Vec<(String, String)>,
}

/// Every registered product.
pub fn all() -> Vec<Product> {
    products::ALL.iter().copied().map(Product::of).collect()
}

impl Product {
    fn of(def: &'static dyn Registered) -> Product {
        let plan = def.load_plan();
        Product {
            def,
            name: def.name(),
            routes: def.routes(),
            bodies: plan.bodies,
            writes: plan.writes,
            admin_login: def
                .demo_login(&def.test_env())
                .map(|login| (login.path, login.token_pointer)),
            local_api_banner: format!("{} API:", def.title()),
            admin_login_banner: format!("{} admin login:", def.title()),
            caller_banner: format!("{} caller login (", def.title()),
            paginated: plan.paginated,
            samples: plan.samples,
            plan,
        }
    }

    /// The token a write of the load plan carries: `token`, unless its route is declared
    /// public.
    pub fn write_token<'t>(&self, method: &str, path: &str, token: &'t str) -> Option<&'t str> {
        let public = self
            .routes
            .iter()
            .any(|r| r.method == method && r.path == path && r.access.is_public());
        (!public).then_some(token)
    }

    pub fn body(&self, method: &str, path: &str) -> Option<Value> {
        self.bodies
            .iter()
            .find(|(m, p, _)| *m == method && *p == path)
            .and_then(|(_, _, body)| serde_json::from_str(body).ok())
    }

    /// Files for an in-process API: a folder that lives as long as the process.
    fn deps(store: &DynStore) -> BenchResult<Deps> {
        let dir =
            std::env::temp_dir().join(format!("bench-files-{}", uuid::Uuid::new_v4().simple()));
        let files = blobs::folder::FolderBlobs::new(
            dir,
            "http://127.0.0.1:9/files",
            "bench-files-signing-secret-0123456789",
        )?;
        let outbox = messaging::Outbox::new();
        Ok(Deps {
            store: store.clone(),
            blobs: Arc::new(files),
            sms: outbox.clone(),
            mail: outbox,
            live: None,
        })
    }

    /// Seeds the demo data and signs in an admin (the product's most trusted role).
    pub async fn prepare(&self, store: &DynStore) -> BenchResult<Prepared> {
        let deps = Self::deps(store)?;
        self.def.seed_demo(&deps, &self.def.test_env()).await?;
        let env = self.def.test_env();
        let admin_token = match self.def.roles().last() {
            Some(top) => self.def.caller(&deps, &env, top).await?.access_token,
            None => String::new(),
        };
        Ok(Prepared {
            admin_token,
            env: env
                .given_pairs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
    }

    /// The product's whole API over `store`, as the local server builds it, with the
    /// settings [`Product::prepare`] signs its token with and rate limits out of the way.
    pub fn app(&self, store: DynStore) -> BenchResult<axum::Router> {
        self.def.app(Self::deps(&store)?, &self.def.test_env())
    }

    /// Adds the items numbered `from..to` of every entity of the load plan's paginated lists
    /// (so a second call grows the tables) through the product's HTTP API at `origin`.
    /// Returns, per entity, how many were added and how long it took.
    pub async fn fill(
        &self,
        origin: &str,
        admin_token: &str,
        from: usize,
        to: usize,
    ) -> BenchResult<Vec<Filled>> {
        let count = to.saturating_sub(from);
        let mut filled = Vec::new();
        for (i, list) in self.plan.paginated.iter().enumerate() {
            let (method, path, body) = list.add;
            // A list that grows with an earlier one's writes (one checkout, a customer and
            // an order) was filled by them.
            if let Some(earlier) = self.plan.paginated[..i].iter().find(|e| e.add == list.add) {
                filled.push(Filled {
                    entity: list.entity,
                    added: count,
                    took: None,
                    how: format!("with the {} (`{method} {path}`)", earlier.entity),
                });
                continue;
            }
            let target = Target {
                method: reqwest::Method::from_bytes(method.as_bytes())?,
                url: format!("{origin}{path}"),
                token: Some(admin_token.to_string()).filter(|t| !t.is_empty()),
                body: Some(body.to_string()),
                label: format!("{method} {path}"),
            };
            let plan = Plan {
                connections: FILL_CONNECTIONS,
                requests: count,
                max_duration: Duration::from_secs(3600),
            };
            let outcome = load::run(&target, plan).await?;
            if outcome.non_2xx + outcome.failed > 0 || outcome.requests() != count {
                return Err(format!(
                    "filling {}: {} of {count} written; {}",
                    list.entity,
                    outcome.requests() - outcome.non_2xx - outcome.failed,
                    outcome.first_problem.unwrap_or_default()
                )
                .into());
            }
            filled.push(Filled {
                entity: list.entity,
                added: count,
                took: Some(outcome.elapsed),
                how: format!("HTTP API (`{method} {path}`, {FILL_CONNECTIONS} connections)"),
            });
        }
        Ok(filled)
    }
}

/// Items of one entity added by [`Product::fill`].
#[derive(Debug, Clone)]
pub struct Filled {
    pub entity: &'static str,
    pub added: usize,
    /// `None` when another list's writes added them.
    pub took: Option<Duration>,
    /// How they were written.
    pub how: String,
}

/// Parallel writers while filling: enough to keep the store's writer busy on 2 cores.
const FILL_CONNECTIONS: usize = 8;

/// A product's API served in this process on a free port of 127.0.0.1, behind the local
/// server's guard, until [`InProcessServer::stop`].
pub struct InProcessServer {
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    /// Its WebSocket API (`ws://127.0.0.1:PORT`, and its path), for a product with one:
    /// served by the local gateway, as the local server serves it.
    pub live: Option<(String, &'static str)>,
    stop: tokio::sync::watch::Sender<()>,
    tasks: Vec<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl InProcessServer {
    pub async fn start(product: &Product, store: DynStore) -> BenchResult<InProcessServer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let origin = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = tokio::sync::watch::channel(());
        let until_stopped = |mut stopped: tokio::sync::watch::Receiver<()>| async move {
            let _ = stopped.changed().await;
        };
        let local = match product.def.live_api() {
            Some(_) => Some(LocalApi::bind(([127, 0, 0, 1], 0).into()).await?),
            None => None,
        };
        let mut deps = Product::deps(&store)?;
        deps.live = local.as_ref().map(|local| local.gateway.clone());
        let env = product.def.test_env();
        let mut tasks = vec![tokio::spawn(web::local::serve(
            listener,
            product.def.app(deps.clone(), &env)?,
            web::local::Guard::loopback(product.def.error_style()),
            until_stopped(stopped.clone()),
        ))];
        let mut live = None;
        if let (Some(local), Some(api)) = (local, product.def.live_api()) {
            let endpoint = product
                .def
                .live_endpoint(&deps, &env)?
                .ok_or("a live API without an endpoint")?;
            live = Some((local.url()?, api.path));
            tasks.push(tokio::spawn(local.serve(
                api.path,
                endpoint,
                until_stopped(stopped),
            )));
        }
        Ok(InProcessServer {
            origin,
            live,
            stop,
            tasks,
        })
    }

    pub async fn stop(self) {
        let _ = self.stop.send(());
        for task in self.tasks {
            let _ = task.await;
        }
    }
}
