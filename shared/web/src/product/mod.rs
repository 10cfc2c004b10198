//! A product, as everything around its API sees it: the local server (its port, settings,
//! demo data and printed lines), the admin command, the black-box test helper, the
//! authorisation matrix, the fault sweep, the OpenAPI fuzzing and the benchmarks. Each product
//! crate implements [`Product`] once; the registry (`infra/products`) lists them, and nothing
//! else names a product.

mod accounts;
mod plan;

pub use crate::auth::TokenKeys;
pub use crate::routes::LambdaBinary;
pub use accounts::{CALLER_PASSWORD, Caller, DemoAdmin, DemoLogin, Done, Grant, RefreshRequest};
pub use plan::{LoadPlan, Paginated, Rendered, Sample};

use crate::auth::{SessionSettings, TokenIdentity};
use crate::config::Env;
use crate::error::ErrorStyle;
use crate::ids::AccountId;
use crate::routes::Route;
use async_trait::async_trait;
use axum::Router;
use blobs::DynBlobs;
use messaging::{DynMail, DynSms};
use store::DynStore;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a product's API runs on.
#[derive(Clone)]
pub struct Deps {
    pub store: DynStore,
    /// Files (uploads, generated documents), under this product's own prefix.
    pub blobs: DynBlobs,
    /// Where text messages go: the local outbox on a laptop and in tests.
    pub sms: DynSms,
    /// Where emails go: the same outbox on a laptop and in tests.
    pub mail: DynMail,
    /// The management API of its WebSocket API (the local gateway's), for a product with
    /// live events; without it, events go nowhere.
    pub live: Option<live::DynGateway>,
}

/// Settings for the tests and benchmarks of the product `name`: known token secrets, the
/// rate limits every product has out of the way (they get their own tests), and `extra`.
pub fn test_settings(name: &str, extra: &[(&str, &str)]) -> Env {
    // Windows start at multiples of their length since the epoch: windows this long never
    // roll over during a run.
    let unlimited = [
        ("RATE_LIMIT_MAX", "100000000"),
        ("LOGIN_RATE_LIMIT_MAX", "100000000"),
        ("RATE_LIMIT_WINDOW_SECS", "1000000000"),
        ("LOGIN_RATE_LIMIT_WINDOW_SECS", "1000000000"),
        ("ACCOUNT_LOGIN_RATE_LIMIT_MAX", "100000000"),
        ("LOGIN_RATE_LIMIT_BAN_AFTER", "100000000"),
        ("ACCOUNT_LOGIN_RATE_LIMIT_WINDOW_SECS", "1000000000"),
    ];
    let secrets = [
        (
            "JWT_SECRET",
            format!("{name}-test-access-secret-0123456789abcdef"),
        ),
        (
            "JWT_REFRESH_SECRET",
            format!("{name}-test-refresh-secret-0123456789abcdef"),
        ),
    ];
    let extra = unlimited
        .iter()
        .chain(extra)
        .map(|(k, v)| (*k, v.to_string()));
    Env::given(secrets.into_iter().chain(extra))
}

/// What a product's WebSocket endpoint sends through over `deps`: its sessions (by
/// `settings`) and `deps.live`, the WebSocket API's management API; none without one.
pub fn live_over(deps: &Deps, settings: &SessionSettings) -> Option<live::Live> {
    let gateway = deps.live.clone()?;
    Some(live::Live::new(
        settings.sessions(deps.store.clone()),
        gateway,
    ))
}

/// The role an operator or a harness names, of a product's roles `R`.
pub fn role_named<R: crate::validate::Choice>(name: &str) -> Result<R, BoxError> {
    R::parse(name).ok_or_else(|| format!("role must be one of {}", R::names().join(", ")).into())
}

/// What a product is, as data: its names, port, routes, roles and documents. Each product
/// crate declares one (`static ABOUT: About`), and its [`Product`] gives it.
pub struct About {
    /// Lower case, for files, flags and the admin command (`kbine`).
    pub name: &'static str,
    /// As people write it (`Kbine`), for printed lines.
    pub title: &'static str,
    /// What its variables start with on the local server (`KBINE`: `KBINE_JWT_SECRET`).
    pub env_prefix: &'static str,
    /// Its port on the local server.
    pub default_port: u16,
    /// Its route table (its `web::routes::Api`).
    pub api: &'static dyn RouteTable,
    /// How its route groups run as Lambda functions in `template.yaml`, beyond their routes.
    pub deployment: &'static crate::routes::deploy::Deployment,
    /// Its roles, least trusted first (none for a product without accounts).
    pub roles: &'static [&'static str],
    /// How it says what went wrong.
    pub error_style: &'static dyn ErrorStyle,
    /// Its OpenAPI document as `cargo regenerate` wrote it, as JSON.
    pub openapi_json: &'static str,
    /// Its OpenAPI document as its code describes it, where the product is built with its
    /// `openapi` feature ([`generated_openapi!`](crate::generated_openapi)).
    pub generated_openapi: fn() -> Option<Result<serde_json::Value, String>>,
    /// Secret settings the local server generates and keeps when they are unset.
    pub local_secrets: &'static [&'static str],
    /// A path id of the right shape that names nothing (the harnesses call parameterised
    /// routes with it).
    pub absent_id: &'static str,
    /// Its own settings for tests and benchmarks, beside those of [`test_settings`].
    pub test_settings: &'static [(&'static str, &'static str)],
    /// Who issues its tokens.
    pub tokens: TokenIdentity,
    /// The local server's demo admin, if it has one.
    pub demo_admin: Option<DemoAdmin>,
    /// Its WebSocket API, for a product with live events.
    pub live: Option<LiveApi>,
    /// A demo account of another role whose login the local server prints too (`<Title>
    /// demo login: ...`): a product whose users do more than its admin (a fan with money).
    pub demo_user: Option<DemoAdmin>,
}

/// A product's WebSocket API on the local server.
#[derive(Debug, Clone, Copy)]
pub struct LiveApi {
    /// Where clients connect (`/socket.io/`; the stage's path in AWS).
    pub path: &'static str,
    /// Its port on the local server.
    pub default_port: u16,
}

/// A product's route table, whatever its state type.
pub trait RouteTable: Sync {
    /// Every route its API serves and who may call it.
    fn routes(&'static self) -> &'static [Route];
    /// Its Lambda binaries and the route groups each serves.
    fn binaries(&self) -> Vec<LambdaBinary>;
}

impl<S: Clone + Send + Sync + 'static> RouteTable for crate::routes::Api<S> {
    fn routes(&'static self) -> &'static [Route] {
        crate::routes::Api::routes(self)
    }
    fn binaries(&self) -> Vec<LambdaBinary> {
        crate::routes::Api::binaries(self)
    }
}

/// [`About::generated_openapi`] of a product: `generated_openapi!(crate::API, openapi::base,
/// openapi::CONVENTIONS)` is the document `API.document(base(), &CONVENTIONS)` where the
/// product crate is built with its `openapi` feature, and `None` elsewhere (the functions'
/// binaries leave the generator out).
#[macro_export]
macro_rules! generated_openapi {
    ($api:expr, $base:path, $conventions:expr $(,)?) => {{
        #[cfg(feature = "openapi")]
        fn generated() -> Option<Result<$crate::__serde_json::Value, String>> {
            Some($api.document($base(), &$conventions))
        }
        #[cfg(not(feature = "openapi"))]
        fn generated() -> Option<Result<$crate::__serde_json::Value, String>> {
            None
        }
        generated
    }};
}

/// A product crate's [`About`], given to its [`Described`] type, from what differs between
/// products; the rest is where every product crate keeps it (`crate::API`,
/// `crate::deploy::DEPLOYMENT`, `crate::ERROR_STYLE`, `crate::state::TOKENS`,
/// `crate::openapi::{ROLES, OPENAPI_JSON, base, CONVENTIONS}`):
/// `about! { Kbine { name: "kbine", title: "Kbine", env_prefix: "KBINE", default_port: 3000,
/// ... } }`.
#[macro_export]
// `crate` is meant: the product crate that calls it.
#[allow(clippy::crate_in_macro_def)]
macro_rules! about {
    ($product:ty { $($field:ident : $value:expr),* $(,)? }) => {
        impl $crate::product::Described for $product {
            fn about(&self) -> &'static $crate::product::About {
                static ABOUT: $crate::product::About = $crate::about!($($field: $value),*);
                &ABOUT
            }
        }
    };
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::product::About {
            $($field: $value,)*
            api: &crate::API,
            deployment: &crate::deploy::DEPLOYMENT,
            roles: crate::openapi::ROLES,
            error_style: crate::ERROR_STYLE,
            tokens: crate::state::TOKENS,
            openapi_json: crate::openapi::OPENAPI_JSON,
            generated_openapi: $crate::generated_openapi!(
                crate::API,
                crate::openapi::base,
                crate::openapi::CONVENTIONS
            ),
        }
    };
}

/// A product as the local server, the admin command and the harnesses use it: its
/// [`About`], and what they do with it. Nothing here is linked into a function binary (the
/// product crates build it under their `harness` feature).
/// A product type with its [`About`] (written by [`about!`](crate::about)).
pub trait Described {
    fn about(&self) -> &'static About;
}

#[async_trait]
pub trait Product: Described + Send + Sync + 'static {
    fn name(&self) -> &'static str {
        self.about().name
    }
    fn title(&self) -> &'static str {
        self.about().title
    }
    fn env_prefix(&self) -> &'static str {
        self.about().env_prefix
    }
    fn default_port(&self) -> u16 {
        self.about().default_port
    }
    fn routes(&self) -> &'static [Route] {
        self.about().api.routes()
    }
    fn lambda_binaries(&self) -> Vec<LambdaBinary> {
        self.about().api.binaries()
    }
    fn deployment(&self) -> &'static crate::routes::deploy::Deployment {
        self.about().deployment
    }
    fn roles(&self) -> &'static [&'static str] {
        self.about().roles
    }
    fn openapi_json(&self) -> &'static str {
        self.about().openapi_json
    }
    fn generated_openapi(&self) -> Option<Result<serde_json::Value, String>> {
        (self.about().generated_openapi)()
    }
    fn error_style(&self) -> &'static dyn ErrorStyle {
        self.about().error_style
    }
    fn local_secrets(&self) -> &'static [&'static str] {
        self.about().local_secrets
    }
    fn absent_id(&self) -> &'static str {
        self.about().absent_id
    }

    /// Settings for tests and benchmarks: known secrets, rate limits out of the way.
    fn test_env(&self) -> Env {
        test_settings(self.name(), self.about().test_settings)
    }

    /// Its whole API over `deps`, configured from `env`.
    fn app(&self, deps: Deps, env: &Env) -> Result<Router, BoxError>;

    /// Its WebSocket API's endpoint over `deps` (whose `live` is its management API),
    /// for a product with live events.
    fn live_endpoint(
        &self,
        _deps: &Deps,
        _env: &Env,
    ) -> Result<Option<live::DynEndpoint>, BoxError> {
        Ok(None)
    }

    /// Its WebSocket API, for a product with live events.
    fn live_api(&self) -> Option<LiveApi> {
        self.about().live
    }

    /// Adds the demo data that is absent; returns what it added, one line each. `env` holds
    /// the local settings (the demo accounts' password among the local secrets).
    async fn seed_demo(&self, deps: &Deps, env: &Env) -> Result<Vec<String>, BoxError>;

    /// How the local server's demo admin logs in, if the product has one.
    fn demo_login(&self, env: &Env) -> Option<DemoLogin> {
        self.about().demo_admin?.login(env)
    }

    /// How the local server's demo user logs in, if the product names one.
    fn demo_user_login(&self, env: &Env) -> Option<DemoLogin> {
        self.about().demo_user?.login(env)
    }

    /// Gives an account a role, creating it if absent.
    async fn grant(&self, store: &DynStore, grant: Grant<'_>) -> Done;

    /// Shuts the account `login` out (`active` false: it cannot sign in, and its sessions
    /// end) or lets it back in.
    async fn set_active(&self, store: &DynStore, login: &str, active: bool) -> Done;

    /// Runs its scheduled job `name` once (the local server's `job` command; in AWS its
    /// function on its schedule), configured from `env`; what it did.
    async fn run_job(&self, _deps: &Deps, _env: &Env, name: &str) -> Done {
        Err(format!("{} has no job named {name}", self.name()).into())
    }

    /// [`grant`](Self::grant), as the admin command and the tests name it.
    async fn admin_create(
        &self,
        store: &DynStore,
        login: &str,
        role: &str,
        password: Option<&str>,
    ) -> Done {
        let grant = Grant {
            login,
            role,
            password,
        };
        self.grant(store, grant).await
    }

    /// What the benchmarks measure beyond the route table.
    fn load_plan(&self) -> LoadPlan {
        LoadPlan::default()
    }

    /// The keys its tokens are signed with under `env`.
    fn token_keys(&self, env: &Env) -> Option<TokenKeys> {
        let settings = SessionSettings::from_env(env, self.about().tokens).ok()?;
        Some(settings.token_keys())
    }

    /// A new account of `role`, made as an operator would, for a harness's caller (who gets
    /// its tokens without signing in: [`CALLER_PASSWORD`] where the role needs one).
    async fn caller_account(&self, deps: &Deps, role: &str) -> Result<AccountId, BoxError>;

    /// A new signed-in caller of `role`.
    async fn caller(&self, deps: &Deps, env: &Env, role: &str) -> Result<Caller, BoxError> {
        let id = self.caller_account(deps, role).await?;
        let sessions = SessionSettings::from_env(env, self.about().tokens)?;
        let session = sessions.sessions(deps.store.clone()).open(id, role).await?;
        Ok(session.into())
    }
}
