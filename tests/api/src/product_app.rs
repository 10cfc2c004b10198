//! Any registered product's API on a fresh store, built the way the local server builds it
//! (`Product::app`) with the product's test settings: what the registry-wide matrix and fault
//! sweep drive, so a new product is tested with no harness code of its own.

use crate::{Backend, Server, faults::FaultyStore, fresh_store_of};
use std::sync::Arc;
use store::DynStore;
use web::config::Env;
use web::product::{Caller, Deps, Product};

pub struct ProductApp {
    pub server: Server,
    /// Its WebSocket API, for a product with live events.
    pub live: Option<crate::live::LiveServer>,
    pub product: &'static dyn Product,
    pub deps: Deps,
    /// What the product sent (its `deps.sms` and `deps.mail`).
    pub outbox: Arc<messaging::Outbox>,
    pub env: Env,
    _dirs: (Option<tempfile::TempDir>, tempfile::TempDir),
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl std::ops::Deref for ProductApp {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.server
    }
}

/// The product's test settings, with what every test server gets: the local Stripe
/// stand-in the test command started (`TEST_STRIPE_ENDPOINT`), and a fresh value for each
/// secret the local server would generate, so no two servers share a webhook secret.
pub fn test_env(product: &dyn Product) -> Env {
    let mut env = product.test_env();
    if let Ok(stripe) = std::env::var("TEST_STRIPE_ENDPOINT") {
        env = env.with("STRIPE_API_BASE", stripe);
    }
    for secret in product.local_secrets() {
        if env.own_var(secret).is_none() {
            env = env.with(secret, format!("test_{}", uuid::Uuid::new_v4().simple()));
        }
    }
    env
}

impl ProductApp {
    pub async fn spawn(product: &'static dyn Product, backend: Backend) -> ProductApp {
        Self::spawn_with(product, backend, |env| env).await
    }

    /// A server whose settings are the test settings changed by `adjust`.
    pub async fn spawn_with(
        product: &'static dyn Product,
        backend: Backend,
        adjust: impl FnOnce(Env) -> Env,
    ) -> ProductApp {
        let (store, dir) = fresh_store_of(product.name(), backend).await;
        let guard = web::local::Guard::loopback(product.error_style());
        Self::spawn_on(product, store, dir, adjust(test_env(product)), guard).await
    }

    /// A server whose listener's timeouts are `timeout` (head and body).
    pub async fn spawn_timing_out(
        product: &'static dyn Product,
        backend: Backend,
        timeout: std::time::Duration,
    ) -> ProductApp {
        let (store, dir) = fresh_store_of(product.name(), backend).await;
        let guard = web::local::Guard {
            head_timeout: timeout,
            body_timeout: timeout,
            ..web::local::Guard::loopback(product.error_style())
        };
        Self::spawn_on(product, store, dir, test_env(product), guard).await
    }

    /// A server whose store can be made to fail mid-request (see [`crate::faults`]).
    pub async fn spawn_faulty(
        product: &'static dyn Product,
        backend: Backend,
    ) -> (ProductApp, Arc<FaultyStore>) {
        let (store, dir) = fresh_store_of(product.name(), backend).await;
        let faulty = FaultyStore::new(store);
        let guard = web::local::Guard::loopback(product.error_style());
        let app = Self::spawn_on(product, faulty.clone(), dir, test_env(product), guard).await;
        (app, faulty)
    }

    async fn spawn_on(
        product: &'static dyn Product,
        store: DynStore,
        dir: Option<tempfile::TempDir>,
        env: Env,
        guard: web::local::Guard,
    ) -> ProductApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("a bound port");
        let files_dir = tempfile::tempdir().expect("a temporary folder");
        let files = blobs::folder::FolderBlobs::new(
            files_dir.path(),
            &format!("http://{addr}/files"),
            "test-files-signing-secret-0123456789",
        )
        .expect("a folder blob store");
        let files = Arc::new(files);
        let outbox = messaging::Outbox::new();
        let live = crate::live::bind(product).await;
        let deps = Deps {
            store,
            blobs: files.clone(),
            sms: outbox.clone(),
            mail: outbox.clone(),
            live: live.as_ref().map(|live| live.gateway.clone()),
        };
        let live = live.map(|live| crate::live::serve(live, product, &deps, &env));
        // The signed links to files are served beside the API, as the local server serves them.
        let router = product
            .app(deps.clone(), &env)
            .unwrap_or_else(|e| panic!("{}: {e}", product.name()))
            .merge(files.router());
        let (server, stop) = Server::serve_guarded(listener, router, guard);
        ProductApp {
            server,
            live,
            product,
            deps,
            outbox,
            env,
            _dirs: (dir, files_dir),
            _stop: stop,
        }
    }

    /// The product's demo data, as the local server seeds it: what reads find.
    pub async fn seed_demo(&self) {
        self.product
            .seed_demo(&self.deps, &self.env)
            .await
            .unwrap_or_else(|e| panic!("{} demo data: {e}", self.product.name()));
    }

    /// A new signed-in caller of `role`.
    pub async fn caller(&self, role: &str) -> Caller {
        self.product
            .caller(&self.deps, &self.env, role)
            .await
            .unwrap_or_else(|e| panic!("{} caller {role}: {e}", self.product.name()))
    }
}
