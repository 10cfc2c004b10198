//! A product, as everything around its API sees it: the local server (its port, settings,
//! demo data and printed lines), the admin command, the black-box test helper, the
//! authorisation matrix, the fault sweep, the OpenAPI fuzzing and the benchmarks. Each product
//! crate implements [`Product`] once; the registry (`infra/products`) lists them, and nothing
//! else names a product.

use crate::config::Env;
use crate::error::ErrorStyle;
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
}

/// How the demo admin logs in: a request a script can replay, and where the reply puts the
/// access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub method: &'static str,
    pub path: &'static str,
    /// Compact JSON (no spaces: the local server prints it as one word of a line).
    pub body: String,
    /// JSON pointer to the access token in the reply (`/token`).
    pub token_pointer: &'static str,
    /// The demo account as the admin command names it (its phone number or email).
    pub account: &'static str,
    /// Its role.
    pub role: &'static str,
    /// How a session of it is refreshed.
    pub refresh: RefreshRequest,
}

/// A product's refresh: POST `path` with `{field: <refresh token>}`, the login's answer
/// holding the token under the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshRequest {
    pub path: &'static str,
    pub field: &'static str,
}

impl RefreshRequest {
    /// Where the login's answer holds the refresh token (a JSON pointer).
    pub fn pointer(&self) -> String {
        format!("/{}", self.field)
    }
}

pub use crate::routes::LambdaBinary;

/// The password of the accounts the harnesses' callers are made with: they get their tokens
/// without signing in, so it only has to pass every product's password rules.
pub const CALLER_PASSWORD: &str = "a harness caller's passphrase, never typed";

/// A signed-in caller, for the harnesses.
#[derive(Debug, Clone)]
pub struct Caller {
    pub access_token: String,
    pub refresh_token: String,
}

#[cfg(feature = "passwords")]
impl From<crate::auth::accounts::Opened> for Caller {
    fn from(session: crate::auth::accounts::Opened) -> Self {
        Caller {
            access_token: session.access_token,
            refresh_token: session.refresh_token,
        }
    }
}

pub use crate::auth::TokenKeys;

/// What the benchmarks measure of a product beyond its route table.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadPlan {
    /// Bodies of the routes measured with one, as (method, path, body).
    pub bodies: &'static [(&'static str, &'static str, &'static str)],
    /// Writes the warm benchmark measures, in this order, as (method, path, body); every
    /// `{n}` in a body is a number unique to the request, `{n8}` the same on eight digits,
    /// `{k}` the count of this body's requests (1, 2, 3...: the k-th item of another write).
    /// They run before the reads, so what they create (id 1) is there to be read.
    pub writes: &'static [(&'static str, &'static str, &'static str)],
    /// The paginated lists the scale benchmark grows and times.
    pub paginated: &'static [Paginated],
    /// The documents the render benchmark times, as the product's rendering function
    /// makes them.
    pub documents: &'static [Rendered],
    /// Real path parameters for the reads the warm benchmark measures and the cold-start
    /// probes, where `1` names nothing (ids that are not numbers, or what the caller does not
    /// own). A route under a sampled one (`/api/resumes/{id}/export_pdf/` under
    /// `/api/resumes/{id}/`) takes its parameter.
    pub samples: &'static [Sample],
}

/// A route's path parameter, read through the API from the demo data and what one of each
/// of the plan's writes made: the answer of GET `from` (with the admin's token, the one the
/// writes were sent with) at the JSON pointer `pointer`. `from` may be a route given a
/// sample earlier in the list, which it is then read from.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub route: &'static str,
    pub from: &'static str,
    pub pointer: &'static str,
}

impl Sample {
    /// The path parameter in `answer` (the answer of GET `from`): a string or a number at
    /// `pointer`.
    pub fn value_in(&self, answer: &serde_json::Value) -> Option<String> {
        match answer.pointer(self.pointer)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// A document a product renders (a PDF), made from sample data of a realistic size.
#[derive(Debug, Clone, Copy)]
pub struct Rendered {
    /// What it is, for the report (`a two-page reading`).
    pub name: &'static str,
    /// The function that serves it (its `template.yaml` logical id).
    pub function: &'static str,
    /// Makes the document: its bytes, or why not.
    pub render: fn() -> Result<Vec<u8>, String>,
    /// The same document as the HTML page a browser would print, when the product has one
    /// (CV Builder's templates): the render benchmark prints it with headless Chromium, the
    /// way most résumé builders make their PDFs, as the peer.
    pub html: Option<fn() -> Result<String, String>>,
}

/// A paginated list (GET with `page` and `limit`) and the request that adds one item to it.
#[derive(Debug, Clone, Copy)]
pub struct Paginated {
    pub entity: &'static str,
    pub list: &'static str,
    /// Where the list's answer gives the number of items over all pages, as a JSON pointer
    /// (`/pagination/total`): each product's documented pagination names it its own way.
    pub total: &'static str,
    /// (method, path, body), as in [`LoadPlan::writes`], sent with the admin's token. Two
    /// lists with the same `add` grow together: it is sent once for both.
    pub add: (&'static str, &'static str, &'static str),
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

/// A product crate's [`About`], from what differs between products; the rest is where every
/// product crate keeps it (`crate::API`, `crate::deploy::DEPLOYMENT`, `crate::ERROR_STYLE`,
/// `crate::openapi::{ROLES, OPENAPI_JSON, base, CONVENTIONS}`):
/// `about! { name: "kbine", title: "Kbine", env_prefix: "KBINE", default_port: 3000,
/// local_secrets: &["JWT_SECRET"], absent_id: "999999" }`.
#[macro_export]
// `crate` is meant: the product crate that calls it.
#[allow(clippy::crate_in_macro_def)]
macro_rules! about {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::product::About {
            $($field: $value,)*
            api: &crate::API,
            deployment: &crate::deploy::DEPLOYMENT,
            roles: crate::openapi::ROLES,
            error_style: crate::ERROR_STYLE,
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
#[async_trait]
pub trait Product: Send + Sync + 'static {
    fn about(&self) -> &'static About;

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

    /// Adds the demo data that is absent; returns what it added, one line each. `env` holds
    /// the local settings (the demo accounts' password among the local secrets).
    async fn seed_demo(&self, deps: &Deps, env: &Env) -> Result<Vec<String>, BoxError>;

    /// How the local server's demo admin logs in, if the product has accounts.
    fn demo_login(&self, _env: &Env) -> Option<DemoLogin> {
        None
    }

    /// Creates the account `login` (a phone number or an email, as the product's accounts
    /// are keyed) or gives it `role`; returns what was done, for the operator.
    async fn admin_create(
        &self,
        _store: &DynStore,
        _login: &str,
        _role: &str,
        _password: Option<&str>,
    ) -> Result<String, BoxError> {
        Err(format!("{} has no accounts to create", self.title()).into())
    }

    /// Shuts the account `login` out (`active` false: it cannot sign in, and its sessions
    /// end) or lets it back in; returns the account as the operator knows it
    /// (`kbine user 5 (0700000000)`).
    async fn admin_set_active(
        &self,
        _store: &DynStore,
        _login: &str,
        _active: bool,
    ) -> Result<String, BoxError> {
        Err(format!("{} has no accounts to shut out", self.title()).into())
    }

    /// What the benchmarks measure beyond the route table.
    fn load_plan(&self) -> LoadPlan {
        LoadPlan::default()
    }

    /// The keys its tokens are signed with under `env`.
    fn token_keys(&self, _env: &Env) -> Option<TokenKeys> {
        None
    }

    /// A new signed-in caller of `role` (made as an operator would, then signed in).
    async fn caller(&self, _deps: &Deps, _env: &Env, role: &str) -> Result<Caller, BoxError> {
        Err(format!("{} has no role {role}", self.title()).into())
    }
}
