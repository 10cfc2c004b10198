//! CORS for browser clients, from the product's route table: the request headers its routes
//! read are the ones a browser may send, the headers its answers carry for clients to read
//! are exposed, and credentials (CV Builder's `sessionid` cookie) go with an explicit list
//! of origins only, as browsers require. The template's HttpApis declare the same (a template
//! test compares them), so a browser meets the same rules locally and in AWS, where API
//! Gateway answers CORS itself.

use axum::http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};
use web_routes::{Access, Route};

pub const ALLOW_METHODS: [&str; 6] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
pub const MAX_AGE_SECS: u64 = 600;

/// What a product's CORS lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Request headers, lower case, sorted.
    pub allow_headers: Vec<&'static str>,
    /// Answer headers a client script may read, lower case, sorted.
    pub expose_headers: Vec<&'static str>,
}

impl Policy {
    /// The policy of a product whose routes are `routes`.
    pub fn of(routes: &[Route]) -> Policy {
        let mut allow = vec!["content-type", "x-request-id"];
        if routes.iter().any(|r| !r.access.is_public()) {
            allow.push("authorization");
        }
        if routes.iter().any(|r| r.access == Access::Optional) {
            // The anonymous session of anonymous-or-signed-in routes.
            allow.push(web_auth::SESSION_HEADER);
        }
        allow.extend(routes.iter().flat_map(|r| r.headers.iter().copied()));
        let mut expose = vec!["x-request-id", "retry-after"];
        if allow.contains(&web_core::idempotency::HEADER) {
            expose.push(web_core::idempotency::REPLAYED_HEADER);
        }
        Policy {
            allow_headers: sorted(allow),
            expose_headers: sorted(expose),
        }
    }

    /// The layer that applies it, for `origins`: a comma-separated list (credentials
    /// allowed), or `*` for any origin (no credentials: browsers refuse them with `*`).
    pub fn layer(&self, origins: &str) -> CorsLayer {
        let methods =
            ALLOW_METHODS.map(|m| Method::from_bytes(m.as_bytes()).unwrap_or(Method::GET));
        let layer = CorsLayer::new()
            .allow_methods(methods)
            .allow_headers(names(&self.allow_headers))
            .expose_headers(names(&self.expose_headers))
            .max_age(std::time::Duration::from_secs(MAX_AGE_SECS));
        if origins.trim() == "*" {
            return layer.allow_origin(AllowOrigin::any());
        }
        let listed = origins
            .split(',')
            .filter_map(|o| HeaderValue::from_str(o.trim()).ok());
        layer
            .allow_origin(AllowOrigin::list(listed))
            .allow_credentials(true)
    }
}

fn names(names: &[&'static str]) -> Vec<HeaderName> {
    names.iter().copied().map(HeaderName::from_static).collect()
}

fn sorted(mut names: Vec<&'static str>) -> Vec<&'static str> {
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_routes_say_which_headers_pass() {
        let public = Route::new("GET", "/api/plans", Access::Public);
        let webhook = Route::new("POST", "/api/hook", Access::Signed);
        assert_eq!(
            Policy::of(&[public, webhook]).allow_headers,
            ["content-type", "x-request-id"]
        );
        let signed_in = Route::new("GET", "/api/me", Access::AnyUser);
        let anonymous = Route::new("POST", "/api/resumes/", Access::Optional);
        let mut idempotent = Route::new("POST", "/api/orders", Access::AnyUser);
        idempotent.headers = &["idempotency-key"];
        let policy = Policy::of(&[public, signed_in, anonymous, idempotent]);
        assert_eq!(
            policy.allow_headers,
            [
                "authorization",
                "content-type",
                "idempotency-key",
                "x-request-id",
                "x-session-id"
            ]
        );
        assert_eq!(
            policy.expose_headers,
            ["idempotent-replayed", "retry-after", "x-request-id"]
        );
    }
}
