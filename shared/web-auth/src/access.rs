//! Who may call a route, enforced from the product's route table: the route's [`Access`] is
//! checked once the router has matched it and before any of its extractors parse a path or a
//! body, so a caller below a role wall gets 403 whatever it sent. Handlers still take
//! [`AuthUser`](crate::AuthUser) for who the caller is; they no longer restate who may
//! call them.

use crate::{Sessions, bearer, invalid_token, missing_token};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{self, AUTHORIZATION};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use web_core::error::ErrorKind;
use web_core::error::Problem;
use web_core::{ApiError, ApiResult};
use web_routes::{Access, Route};

/// A product's route table and the sessions its tokens belong to.
#[derive(Clone)]
pub struct RouteAccess {
    routes: &'static [Route],
    sessions: Option<Sessions>,
}

impl RouteAccess {
    /// `sessions` is `None` for a product without accounts: every route must then be public
    /// or signature-checked.
    pub fn new(routes: &'static [Route], sessions: Option<Sessions>) -> Arc<Self> {
        Arc::new(RouteAccess { routes, sessions })
    }

    pub fn routes(&self) -> &'static [Route] {
        self.routes
    }

    fn route(&self, method: &str, path: &str) -> Option<&'static Route> {
        self.routes
            .iter()
            .find(|r| r.method == method && r.path == path)
    }

    /// 405 with the methods the table declares on `path` (as axum answers), and the error
    /// in the product's words.
    fn method_not_allowed(&self, method: &str, path: &str) -> Response {
        let mut allowed: Vec<&str> = self
            .routes
            .iter()
            .filter(|r| r.path == path)
            .map(|r| r.method)
            .collect();
        if allowed.contains(&"GET") {
            allowed.push("HEAD");
        }
        let allow = allowed.join(",");
        let error = ApiError::problem(Problem::MethodNotAllowed {
            method: method.to_owned(),
        });
        ([(header::ALLOW, allow)], error).into_response()
    }

    /// The role of a valid access token, or the 401 it deserves.
    fn role_of(&self, parts: &axum::http::request::Parts) -> ApiResult<(Option<String>, String)> {
        let sessions = self
            .sessions
            .as_ref()
            .ok_or_else(|| ApiError::internal("a protected route in a product without sessions"))?;
        let claims = sessions
            .tokens()
            .verify_access(bearer(parts)?)
            .map_err(|_| invalid_token())?;
        Ok((claims.role, claims.sid))
    }

    /// Checks `parts` against the route `access`: `Ok` lets the request through.
    async fn check(&self, access: Access, parts: &axum::http::request::Parts) -> ApiResult<()> {
        match access {
            Access::Public | Access::Signed => Ok(()),
            // A token is not required, but one that is sent must be good.
            Access::Optional => match parts.headers.get(AUTHORIZATION) {
                None => Ok(()),
                Some(_) => self.role_of(parts).map(drop),
            },
            Access::AnyUser => self.role_of(parts).map(drop),
            Access::Roles(roles) => {
                let (role, sid) = self.role_of(parts)?;
                if role.as_deref().is_some_and(|role| roles.contains(&role)) {
                    return Ok(());
                }
                // A refusal is not worth a store read, but a revoked session is a 401, as it
                // is on every other route, whatever its role.
                let sessions = self.sessions.as_ref().ok_or_else(missing_token)?;
                if sessions.is_active(&sid).await? {
                    Err(ApiError::of(ErrorKind::Forbidden))
                } else {
                    Err(invalid_token())
                }
            }
        }
    }
}

/// Route middleware (`Router::route_layer`, so it runs after routing, before extractors):
/// answers 401 or 403 when the caller may not call the matched route.
pub async fn enforce(
    State(access): State<Arc<RouteAccess>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(matched) = request.extensions().get::<MatchedPath>().cloned() else {
        return ApiError::internal("access check outside a matched route").into_response();
    };
    // HEAD is served by the GET route.
    let method = match request.method().as_str() {
        "HEAD" => "GET",
        other => other,
    };
    let Some(route) = access.route(method, matched.as_str()) else {
        // A method the table does not declare on this path (the router's 405 fallback, or
        // a route served but not declared): refused as 405, never run, so that an
        // undeclared route is never open.
        return access.method_not_allowed(request.method().as_str(), matched.as_str());
    };
    let (parts, body) = request.into_parts();
    if let Err(e) = access.check(route.access, &parts).await {
        return e.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}
