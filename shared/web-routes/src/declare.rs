//! Routes declared once, beside their handlers. A handler carries its method and path in
//! `#[utoipa::path(...)]` (where its OpenAPI operation is described too); its module lists it
//! in its [`Group`] with [`route!`](crate::route), which adds who may call it and how it
//! runs; the product lists its groups in its Lambda [`Binary`]s, and those in one [`Api`].
//! Everything else is derived: the router of every group or of one Lambda function, the
//! route table the edge enforces, the Lambda binaries and their groups.
//!
//! ```ignore
//! // functions/kbine/src/plans/mod.rs
//! #[utoipa::path(get, path = "/api/plans/{id}")]
//! async fn details(/* extractors */) -> ApiResult<Json<PlanView>> { /* ... */ }
//!
//! pub fn routes() -> Vec<Endpoint<AppState>> {
//!     vec![route!(list, Access::Public), route!(details, Access::Public)]
//! }
//!
//! // functions/kbine/src/lib.rs
//! pub const LAMBDA: Binary<AppState> =
//!     Binary::new("kbine-lambda", &[Group::new("plans", plans::routes) /* ... */]);
//! pub static API: Api<AppState> = Api::new(&[LAMBDA]);
//! ```

use super::{Access, Route};
use axum::Router;
use axum::routing::{MethodFilter, MethodRouter};
use std::sync::OnceLock;
use utoipa::openapi::HttpMethod;

/// One route as its module declares it (made by [`route!`](crate::route)): its handler, its
/// path and methods as `#[utoipa::path]` gives them, and how it is called.
pub struct Endpoint<S> {
    pub(super) methods: Vec<&'static str>,
    pub(super) path: String,
    /// Everything but the method, path and group, which the table fills in.
    pub(super) route: Route,
    handler: MethodRouter<S>,
    #[cfg(feature = "openapi")]
    pub(super) doc: Option<super::document::Documented>,
}

/// The method's name and the filter axum routes it with.
fn method(method: &HttpMethod) -> (&'static str, MethodFilter) {
    match method {
        HttpMethod::Get => ("GET", MethodFilter::GET),
        HttpMethod::Post => ("POST", MethodFilter::POST),
        HttpMethod::Put => ("PUT", MethodFilter::PUT),
        HttpMethod::Patch => ("PATCH", MethodFilter::PATCH),
        HttpMethod::Delete => ("DELETE", MethodFilter::DELETE),
        HttpMethod::Head => ("HEAD", MethodFilter::HEAD),
        HttpMethod::Options => ("OPTIONS", MethodFilter::OPTIONS),
        HttpMethod::Trace => ("TRACE", MethodFilter::TRACE),
    }
}

/// The filter of every method in `methods` (what [`route!`](crate::route) routes a handler
/// on); a declaration without one routes nothing.
#[doc(hidden)]
pub fn method_filter(methods: &[HttpMethod]) -> MethodFilter {
    methods
        .iter()
        .map(|m| method(m).1)
        .reduce(MethodFilter::or)
        .unwrap_or(MethodFilter::GET)
}

impl<S: Clone + Send + Sync + 'static> Endpoint<S> {
    /// What [`route!`](crate::route) expands to.
    #[doc(hidden)]
    pub fn new(
        methods: &[HttpMethod],
        path: String,
        access: Access,
        handler: MethodRouter<S>,
    ) -> Self {
        Endpoint {
            methods: methods.iter().map(|m| method(m).0).collect(),
            path,
            route: Route::new("", "", access),
            handler,
            #[cfg(feature = "openapi")]
            doc: None,
        }
    }

    /// Keeps how `P` (the handler's `#[utoipa::path]`) describes the route, for
    /// [`Api::document`]; without the `openapi` feature (the functions' binaries) nothing
    /// of it is kept or linked.
    #[doc(hidden)]
    pub fn documented<P>(self) -> Self
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences + utoipa::__dev::Tags<'static>,
    {
        #[cfg(feature = "openapi")]
        {
            let mut this = self;
            this.doc = Some(super::document::Documented::of::<P>());
            this
        }
        #[cfg(not(feature = "openapi"))]
        self
    }

    /// A write whose handler reads before it writes (a login reading its account): it
    /// runs beside its rate-limit counts and waits for them at its first write.
    pub fn early_reads(mut self) -> Self {
        self.route = self.route.with_early_reads();
        self
    }

    /// The request headers it reads beyond `Authorization` and `Content-Type`, lower case
    /// (`web::idempotency::HEADER`): CORS lets browsers send them.
    pub fn headers(mut self, headers: &'static [&'static str]) -> Self {
        self.route.headers = headers;
        self
    }

    /// A sign-in: it reads its account beside its rate-limit counts ([`Self::early_reads`])
    /// and counts toward the login limit ([`LOGIN`](web_core::rate_limit::LOGIN)).
    pub fn signs_in(self) -> Self {
        self.early_reads().limited(web_core::rate_limit::LOGIN)
    }

    /// A read that changes something (a view counter, `last_accessed`): it waits for its
    /// rate-limit and session checks instead of running beside them.
    pub fn side_effects(mut self) -> Self {
        self.route = self.route.with_side_effects();
        self
    }

    /// The query string the harnesses send a route that needs one to answer at all.
    pub fn example_query(mut self, query: &'static str) -> Self {
        self.route = self.route.with_example_query(query);
        self
    }

    /// Takes bodies of up to `bytes` (uploads), instead of the JSON limit every route has.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.handler = self
            .handler
            .layer(axum::extract::DefaultBodyLimit::max(bytes));
        self
    }

    /// Counts the rate-limit class `class` on this route, beside the limit on every request.
    pub fn limited(mut self, class: &'static str) -> Self {
        self.route.limit = Some(class);
        self
    }

    /// This route's rows of a route table (one per method), in `group`. Its path is kept for
    /// the process's life, as the table is: a table is made once per process.
    fn rows(&self, group: &'static str) -> impl Iterator<Item = Route> + use<'_, S> {
        let path: &'static str = Box::leak(self.path.clone().into_boxed_str());
        self.methods.iter().map(move |&method| Route {
            method,
            path,
            group,
            ..self.route
        })
    }
}

/// A router and the route table of what it serves, which its edge enforces: every group
/// for the local server and the tests, one group in a Lambda function.
pub struct Served<S> {
    pub router: Router<S>,
    pub routes: &'static [Route],
}

/// The routes of several modules, as one group's (`Group::new("users", || joined([users::
/// routes(), sanctuaire::routes()]))`).
pub fn joined<S, const N: usize>(modules: [Vec<Endpoint<S>>; N]) -> Vec<Endpoint<S>> {
    modules.into_iter().flatten().collect()
}

/// A route group: what one Lambda function serves (its `Handler` is the group's name).
pub struct Group<S: 'static> {
    pub name: &'static str,
    pub endpoints: fn() -> Vec<Endpoint<S>>,
}

impl<S: Clone + Send + Sync + 'static> Group<S> {
    pub const fn new(name: &'static str, endpoints: fn() -> Vec<Endpoint<S>>) -> Self {
        Group { name, endpoints }
    }

    fn add_to(&self, router: Router<S>) -> Router<S> {
        (self.endpoints)()
            .into_iter()
            .fold(router, |router, e| router.route(&e.path, e.handler))
    }

    /// This group's routes and their table, made together from one declaration.
    fn served(&self) -> Served<S> {
        let mut table = Vec::new();
        let mut router = Router::new();
        for endpoint in (self.endpoints)() {
            table.extend(endpoint.rows(self.name));
            router = router.route(&endpoint.path, endpoint.handler);
        }
        Served {
            router,
            routes: Box::leak(table.into_boxed_slice()),
        }
    }
}

/// One of a product's Lambda binaries (a `[[bin]]` of its crate) and the route groups it
/// serves. A product splits its groups between binaries by what they link: a group that
/// takes payments, or renders PDFs, keeps that weight out of the others. A binary's `main`
/// names only its own `Binary`, so the linker leaves the other groups' handlers out.
pub struct Binary<S: 'static> {
    pub name: &'static str,
    pub groups: &'static [Group<S>],
}

impl<S: Clone + Send + Sync + 'static> Binary<S> {
    pub const fn new(name: &'static str, groups: &'static [Group<S>]) -> Self {
        Binary { name, groups }
    }

    /// What the function of the group named `handler` serves: that group alone, so its
    /// binary links no other binary's handlers and its init builds no other group. A name
    /// that is not one of this binary's groups is a deployment mistake, said at init (the
    /// function then fails to start, loudly) rather than by serving 404s.
    pub fn group(&self, handler: &str) -> Result<Served<S>, String> {
        match self.groups.iter().find(|g| g.name == handler) {
            Some(group) => Ok(group.served()),
            None => Err(format!(
                "_HANDLER is {handler:?}, which names no route group of {} ({})",
                self.name,
                self.groups
                    .iter()
                    .map(|g| g.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// A binary and the route groups it serves, each one function's `Handler` in
/// `template.yaml` (what the registry and the template check read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LambdaBinary {
    pub name: &'static str,
    pub groups: Vec<&'static str>,
}

/// A product's whole API: its binaries and their route groups, in the order its table lists
/// them.
pub struct Api<S: 'static> {
    binaries: &'static [Binary<S>],
    table: OnceLock<Vec<Route>>,
}

impl<S: Clone + Send + Sync + 'static> Api<S> {
    pub const fn new(binaries: &'static [Binary<S>]) -> Self {
        Api {
            binaries,
            table: OnceLock::new(),
        }
    }

    pub(super) fn groups(&self) -> impl Iterator<Item = &'static Group<S>> {
        self.binaries.iter().flat_map(|b| b.groups)
    }

    /// Every route of every group, made once per process.
    pub fn routes(&'static self) -> &'static [Route] {
        self.table.get_or_init(|| {
            self.groups()
                .flat_map(|group| {
                    let endpoints = (group.endpoints)();
                    endpoints
                        .iter()
                        .flat_map(|e| e.rows(group.name))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
    }

    /// The binaries and the groups each serves.
    pub fn binaries(&self) -> Vec<LambdaBinary> {
        self.binaries
            .iter()
            .map(|b| LambdaBinary {
                name: b.name,
                groups: b.groups.iter().map(|g| g.name).collect(),
            })
            .collect()
    }

    /// Every group's routes in one router, with the whole table (the local server, the
    /// tests).
    pub fn served(&'static self) -> Served<S> {
        Served {
            router: self
                .groups()
                .fold(Router::new(), |router, g| g.add_to(router)),
            routes: self.routes(),
        }
    }
}

/// Declares the route of `handler` (a function with `#[utoipa::path(method, path = ...)]`)
/// for its module's [`Group`]: `route!(details, PUBLIC)`, `route!(prefixes::detect, ANY)`.
#[macro_export]
macro_rules! route {
    ($module:ident :: $handler:ident, $access:expr $(,)?) => {
        $crate::route!(@declare [$module ::] $handler, $access)
    };
    ($handler:ident, $access:expr $(,)?) => {
        $crate::route!(@declare [] $handler, $access)
    };
    (@declare [$($module:ident ::)?] $handler:ident, $access:expr) => {{
        $crate::__paste! {
            type Declared = $($module ::)? [<__path_ $handler>];
        }
        let methods = <Declared as $crate::__utoipa::Path>::methods();
        $crate::Endpoint::new(
            &methods,
            <Declared as $crate::__utoipa::Path>::path(),
            $access,
            $crate::__axum::routing::on(
                $crate::method_filter(&methods),
                $($module ::)? $handler,
            ),
        )
        .documented::<Declared>()
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three routes.
    #[utoipa::path(get, path = "/api/things")]
    async fn list() -> &'static str {
        "list"
    }

    #[utoipa::path(post, path = "/api/things")]
    async fn create() -> &'static str {
        "create"
    }

    #[utoipa::path(post, path = "/api/things/{id}/pay")]
    async fn pay() -> &'static str {
        "pay"
    }

    const ADMIN: Access = Access::Roles(&["admin"]);

    const THINGS: Group<()> = Group::new("things", || {
        vec![
            route!(list, Access::Public).example_query("q=1"),
            route!(create, ADMIN).early_reads().limited("login"),
        ]
    });
    const PAYMENTS: Group<()> = Group::new("payments", || vec![route!(pay, Access::AnyUser)]);
    const THINGS_BIN: Binary<()> = Binary::new("things-bin", &[THINGS]);
    const PAY_BIN: Binary<()> = Binary::new("pay-bin", &[PAYMENTS]);
    static API: Api<()> = Api::new(&[THINGS_BIN, PAY_BIN]);

    #[test]
    fn the_table_holds_each_declaration_with_its_group() {
        let table = API.routes();
        let described: Vec<_> = table
            .iter()
            .map(|r| (r.method, r.path, r.group, r.limit))
            .collect();
        assert_eq!(
            described,
            [
                ("GET", "/api/things", "things", None),
                ("POST", "/api/things", "things", Some("login")),
                ("POST", "/api/things/{id}/pay", "payments", None),
            ]
        );
        assert!(table[1].early_reads && table[1].access == ADMIN);
        assert_eq!(table[0].example_query, "q=1");
        assert!(std::ptr::eq(table, API.routes()), "made once");
    }

    #[test]
    fn binaries_gather_their_groups() {
        assert_eq!(
            API.binaries(),
            [
                LambdaBinary {
                    name: "things-bin",
                    groups: vec!["things"]
                },
                LambdaBinary {
                    name: "pay-bin",
                    groups: vec!["payments"]
                },
            ]
        );
    }

    #[test]
    fn a_handler_picks_a_group_of_its_binary_and_an_unknown_one_is_named() {
        let payments = PAY_BIN.group("payments").map(|served| served.routes);
        let paths: Vec<_> = payments
            .iter()
            .flat_map(|t| t.iter().map(|r| r.path))
            .collect();
        assert_eq!(
            paths,
            ["/api/things/{id}/pay"],
            "a function's table is its group's"
        );
        assert_eq!(
            THINGS_BIN.group("payments").err().as_deref(),
            Some("_HANDLER is \"payments\", which names no route group of things-bin (things)")
        );
    }

    #[tokio::test]
    async fn the_router_serves_each_declared_method() {
        use tower::ServiceExt;
        let call = |method: &str, uri: &str| {
            let request = axum::http::Request::builder()
                .method(method)
                .uri(uri)
                .body(axum::body::Body::empty());
            async move {
                let response = API.served().router.oneshot(request.unwrap()).await.unwrap();
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), 100)
                    .await
                    .unwrap();
                (status.as_u16(), String::from_utf8_lossy(&body).into_owned())
            }
        };
        assert_eq!(call("GET", "/api/things").await, (200, "list".into()));
        assert_eq!(call("POST", "/api/things").await, (200, "create".into()));
        assert_eq!(call("POST", "/api/things/7/pay").await, (200, "pay".into()));
        assert_eq!(call("DELETE", "/api/things").await.0, 405);
    }
}
