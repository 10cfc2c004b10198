//! A product's route table: every (method, path) it serves, who may call it, the Lambda
//! group that serves it and how it is rate-limited. Each route is declared once, beside its
//! handler ([`declare`]); the router, access enforcement, rate limits, Lambda groups,
//! template checks, OpenAPI checks, authorisation matrix, fault sweep and benchmarks all read
//! the table made from those declarations, so a new product is tested and measured by
//! declaring its routes, with no new harness code.

mod declare;
pub mod deploy;
#[cfg(feature = "openapi")]
mod document;
pub mod schemas;

// What `route!` expands to names these, so a product crate needs no dependency of its own.
#[doc(hidden)]
pub use {axum as __axum, pastey::paste as __paste, utoipa as __utoipa};

#[doc(hidden)]
pub use declare::method_filter;
pub use declare::{Api, Binary, Endpoint, Group, LambdaBinary, Served, joined};
#[cfg(feature = "openapi")]
pub use document::{DocBase, DocConventions, Heading, Refusals};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token needed.
    Public,
    /// Any valid access token, whatever its role (what the caller may see of other users'
    /// data is the handler's business, and the matrix checks it with foreign resources).
    AnyUser,
    /// Only tokens whose role is one of these; every other role gets 403.
    Roles(&'static [&'static str]),
    /// Anonymous or signed in: no token needed, but a token that is sent must be valid
    /// (CV Builder's anonymous résumés).
    Optional,
    /// No token: the caller proves itself by a signature over the raw body (webhooks).
    Signed,
}

impl Access {
    /// No token asked for or looked at.
    pub fn is_public(self) -> bool {
        matches!(self, Access::Public | Access::Signed)
    }

    /// A valid access token is required.
    pub fn requires_token(self) -> bool {
        matches!(self, Access::AnyUser | Access::Roles(_))
    }

    /// Whether a caller of `role` gets past the role check.
    pub fn admits(self, role: &str) -> bool {
        match self {
            Access::Public | Access::Signed | Access::AnyUser | Access::Optional => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }
}

/// One served route, in OpenAPI path syntax (`/api/plans/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// The route group that serves it: one Lambda function (its `Handler`).
    pub group: &'static str,
    /// The rate-limit class counted on it besides the limit on every request (`login`);
    /// the product's edge says what each class allows.
    pub limit: Option<&'static str>,
    /// A read that changes something (a view counter, `last_accessed`, an audit entry): it
    /// waits for its rate-limit and session checks instead of running beside them.
    pub side_effects: bool,
    /// A write whose handler reads before it writes (a login reading its account): it
    /// runs beside its rate-limit counts and waits for them at its first write
    /// (`web::rate_limit::WriteGate`).
    pub early_reads: bool,
    /// A query string the route needs to answer at all (`phone=0701020304`), for the
    /// harnesses that call every route with no other knowledge of it; empty for most.
    pub example_query: &'static str,
    /// The request headers it reads beyond `Authorization` and `Content-Type`
    /// (`idempotency-key`, `x-session-id`), lower case: CORS lets browsers send them.
    pub headers: &'static [&'static str],
}

impl Route {
    pub const fn new(method: &'static str, path: &'static str, access: Access) -> Self {
        Route {
            method,
            path,
            access,
            group: "",
            limit: None,
            side_effects: false,
            early_reads: false,
            example_query: "",
            headers: &[],
        }
    }

    /// Declares the query string a harness sends this route (see [`Route::example_query`]).
    pub const fn with_example_query(mut self, query: &'static str) -> Self {
        self.example_query = query;
        self
    }

    /// [`Route::concrete_path`], with the route's example query when it has one.
    pub fn concrete_uri(&self, value: &str) -> String {
        match self.example_query {
            "" => self.concrete_path(value),
            query => format!("{}?{query}", self.concrete_path(value)),
        }
    }

    /// Declares that this write reads before it writes (see [`Route::early_reads`]).
    pub const fn with_early_reads(mut self) -> Self {
        self.early_reads = true;
        self
    }

    /// Declares that this read changes something (see [`Route::side_effects`]).
    pub const fn with_side_effects(mut self) -> Self {
        self.side_effects = true;
        self
    }

    /// Whether a request of `method` on the concrete `path` is this route's (HEAD is GET's).
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let method = if method == "HEAD" { "GET" } else { method };
        if method != self.method {
            return false;
        }
        let mut pattern = self.path.split('/');
        let mut concrete = path.split('/');
        loop {
            match (pattern.next(), concrete.next()) {
                (None, None) => return true,
                (Some(p), Some(c)) if p.starts_with('{') && p.ends_with('}') && !c.is_empty() => {}
                (Some(p), Some(c)) if p == c => {}
                _ => return false,
            }
        }
    }

    /// Whether the method changes state (everything but GET and HEAD).
    pub fn writes(&self) -> bool {
        !matches!(self.method, "GET" | "HEAD")
    }

    /// The path with every `{param}` replaced by `value`.
    pub fn concrete_path(&self, value: &str) -> String {
        fill_params(self.path, value)
    }

    pub fn has_path_params(&self) -> bool {
        self.path.contains('{')
    }
}

/// The route of `routes` that serves a request of `method` on the concrete `path`: when
/// several patterns take it (`/api/orders/counts` and `/api/orders/{id}`), the one with the
/// fewest parameters, as the router picks a static segment over a parameter.
pub fn lookup<'a>(routes: &'a [Route], method: &str, path: &str) -> Option<&'a Route> {
    routes
        .iter()
        .filter(|r| r.matches(method, path))
        .min_by_key(|r| r.path.matches('{').count())
}

/// `path` (OpenAPI syntax) with every `{parameter}` replaced by `value`.
pub fn fill_params(path: &str, value: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Declares each name as a reference to the document's `components.responses` entry of that
/// name, for `#[utoipa::path]`'s `(status = 409, response = Conflict)`: an answer a product
/// describes once and several routes give.
#[macro_export]
macro_rules! response_refs {
    ($($name:ident),* $(,)?) => {$(
        #[doc = concat!("`components.responses.", stringify!($name), "` of the document.")]
        pub struct $name;

        impl<'r> $crate::__utoipa::ToResponse<'r> for $name {
            fn response() -> (
                &'r str,
                $crate::__utoipa::openapi::RefOr<$crate::__utoipa::openapi::response::Response>,
            ) {
                let described = $crate::__utoipa::openapi::response::Response::new("");
                (stringify!($name), described.into())
            }
        }
    )*};
}

/// GET and HEAD: requests whose handlers change nothing, so the middleware may run them
/// beside a check (rate limit, session) and drop their answer if the check refuses.
pub fn is_read(method: &axum::http::Method) -> bool {
    method == axum::http::Method::GET || method == axum::http::Method::HEAD
}

/// Whether a request may run beside its checks: a read, unless its route declares side
/// effects (`Route::with_side_effects`), which must not happen for a caller the checks
/// refuse.
pub fn runs_beside_checks(routes: &[Route], method: &axum::http::Method, path: &str) -> bool {
    is_read(method) && !lookup(routes, method.as_str(), path).is_some_and(|r| r.side_effects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concrete_path_fills_every_parameter() {
        let route = Route::new("PUT", "/api/orders/{id}/items/{item}", Access::AnyUser);
        assert_eq!(route.concrete_path("7"), "/api/orders/7/items/7");
        let plain = Route::new("GET", "/api/plans", Access::Public);
        assert_eq!(plain.concrete_path("7"), "/api/plans");
        assert!(!plain.has_path_params() && !plain.writes());
    }

    #[test]
    fn a_routes_example_query_follows_its_path() {
        let route = Route::new("GET", "/api/operators/detect", Access::Public)
            .with_example_query("phone=0701020304");
        assert_eq!(
            route.concrete_uri("7"),
            "/api/operators/detect?phone=0701020304"
        );
        let plain = Route::new("GET", "/api/plans/{id}", Access::Public);
        assert_eq!(plain.concrete_uri("7"), "/api/plans/7");
    }

    #[test]
    fn concrete_paths_match_their_pattern() {
        let route = Route::new("GET", "/api/orders/{id}", Access::AnyUser);
        assert!(route.matches("GET", "/api/orders/7") && route.matches("HEAD", "/api/orders/7"));
        assert!(!route.matches("PUT", "/api/orders/7"));
        assert!(!route.matches("GET", "/api/orders/"));
        assert!(!route.matches("GET", "/api/orders/7/status"));
        assert!(!route.matches("GET", "/api/orders"));
        assert!(!route.side_effects && route.with_side_effects().side_effects);
    }

    #[test]
    fn a_request_is_looked_up_as_the_router_would() {
        let routes = [
            Route::new("GET", "/api/orders/{id}", Access::AnyUser),
            Route::new("GET", "/api/orders/counts", Access::Public),
        ];
        let found = |path| lookup(&routes, "GET", path).map(|r| r.path);
        assert_eq!(found("/api/orders/counts"), Some("/api/orders/counts"));
        assert_eq!(found("/api/orders/7"), Some("/api/orders/{id}"));
        assert_eq!(found("/api/plans"), None);
    }

    #[test]
    fn roles_admit_only_their_members() {
        let staff = Access::Roles(&["staff", "admin"]);
        assert!(staff.admits("admin") && staff.admits("staff") && !staff.admits("client"));
        assert!(Access::AnyUser.admits("client") && Access::Public.is_public());
    }
}
