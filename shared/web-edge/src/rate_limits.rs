//! Rate limits per client IP, and failed sign-ins per account over every address: which
//! limits a product counts, and the layer that counts them (the counting itself:
//! `web_core::rate_limit`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use store::DynStore;
use web_core::ApiError;
use web_core::extract::ClientIp;
use web_core::rate_limit::{LOGIN, LoginThrottle, RateLimit, WriteGate, bans, hit};
use web_routes::Route;

/// The limits a product counts: one on every request, one more on each route declared with
/// a rate-limit class (`Endpoint::limited`), and failed sign-ins per account.
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub every_request: RateLimit,
    /// What each class allows, by its name.
    pub classes: Vec<(&'static str, RateLimit)>,
    /// Failed sign-ins per account, over every address ([`LoginThrottle`]).
    pub per_account: Option<RateLimit>,
    /// Whether banned addresses are refused (`web_core::rate_limit::bans`).
    pub bans: bool,
}

impl RateLimits {
    pub fn new(every_request: RateLimit) -> Self {
        RateLimits {
            every_request,
            classes: Vec::new(),
            per_account: None,
            bans: false,
        }
    }

    /// Refuses every request of a banned address (403), checked beside the counts.
    pub fn with_bans(self) -> Self {
        RateLimits { bans: true, ..self }
    }

    /// The limits on sign-in routes ([`LOGIN`]): attempts per address, and failed ones per
    /// account, refused with the product's `message`.
    pub fn logins(self, config: &crate::layers::EdgeConfig, message: &'static str) -> Self {
        RateLimits {
            per_account: Some(config.account_login_limit(message)),
            ..self.class(LOGIN, config.login_limit(message))
        }
    }

    /// What the routes of `class` allow.
    pub fn class(mut self, class: &'static str, limit: RateLimit) -> Self {
        self.classes.push((class, limit));
        self
    }

    fn of(&self, class: &str) -> Option<&RateLimit> {
        self.classes
            .iter()
            .find(|(name, _)| *name == class)
            .map(|(_, limit)| limit)
    }

    /// The classes `routes` declare that these limits do not say: a declaration mistake
    /// (such a route would be counted by the limit on every request alone).
    pub fn unknown_classes(&self, routes: &[Route]) -> Vec<&'static str> {
        let mut unknown: Vec<&'static str> = routes
            .iter()
            .filter_map(|r| r.limit)
            .filter(|class| self.of(class).is_none())
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        unknown
    }

    /// Counts one request against every limit that applies to it: the one on every
    /// request, and its route's `class`, counted beside it and beside the read of a ban of
    /// its address (one store round trip of latency, not two or three); a ban speaks
    /// first, then the limit on every request.
    pub async fn hit(
        &self,
        store: &DynStore,
        class: Option<&str>,
        ip: &str,
    ) -> Result<(), ApiError> {
        let limit = class.and_then(|class| self.of(class));
        let on_route = async {
            match limit {
                Some(limit) => hit(store, limit, ip).await,
                None => Ok(()),
            }
        };
        let banned = async {
            match self.bans {
                true => bans::check(store, ip).await,
                false => Ok(()),
            }
        };
        let (banned, every, route) =
            tokio::join!(banned, hit(store, &self.every_request, ip), on_route);
        banned.and(every).and(route)
    }
}

/// Middleware: `axum::middleware::from_fn_with_state((store, limits, routes), rate_limit)`.
///
/// A read (GET, HEAD) runs while its hits are counted, and its answer is dropped if a
/// count refuses it: reads change nothing, and this takes the counters' writes off their
/// latency (one store round trip in every cold start). A write that `routes` declares with
/// early reads (`Route::with_early_reads`, a login reading its account) runs beside its
/// counts too, up to its first write, where it waits at its [`WriteGate`]. Other writes,
/// and reads that `routes` declares with side effects, wait for the counts.
pub async fn rate_limit(
    State((store, limits, routes)): State<(DynStore, RateLimits, &'static [Route])>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let ip = ClientIp::of(&parts);
    let (method, path) = (parts.method.clone(), parts.uri.path().to_owned());
    let mut request = Request::from_parts(parts, body);
    let route = web_routes::lookup(routes, method.as_str(), &path);
    let signs_in = route.is_some_and(|r| r.limit == Some(LOGIN));
    if let Some(limit) = limits.per_account.as_ref().filter(|_| signs_in) {
        let throttle = LoginThrottle::new(store.clone(), limit.clone());
        request.extensions_mut().insert(throttle);
    }
    let counted = limits.hit(&store, route.and_then(|r| r.limit), &ip.0);
    if web_routes::runs_beside_checks(routes, &method, &path) {
        let (counted, response) = tokio::join!(counted, next.run(request));
        return match counted {
            Ok(()) => response,
            Err(e) => e.into_response(),
        };
    }
    if !route.is_some_and(|r| r.early_reads) {
        return match counted.await {
            Ok(()) => next.run(request).await,
            Err(e) => e.into_response(),
        };
    }
    let (open, gate) = tokio::sync::watch::channel(false);
    request.extensions_mut().insert(WriteGate::new(gate));
    let handler = next.run(request);
    tokio::pin!(counted, handler);
    tokio::select! {
        counted = &mut counted => match counted {
            Ok(()) => {
                let _ = open.send(true);
                handler.await
            }
            // Refused: the handler, waiting at its gate or still reading, is dropped.
            Err(e) => e.into_response(),
        },
        // Done before the counts: it made no write (it would be waiting at the gate).
        response = &mut handler => match counted.await {
            Ok(()) => response,
            Err(e) => e.into_response(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login_limit() -> RateLimit {
        RateLimit {
            scope: "login",
            max: 5,
            window_secs: 100,
            message: "Trop",
        }
    }

    #[test]
    fn a_class_no_limit_says_is_named() {
        let limits = RateLimits::new(login_limit()).class("login", login_limit());
        let mut signed = Route::new("POST", "/api/login", web_routes::Access::Public);
        signed.limit = Some("login");
        let mut other = signed;
        other.limit = Some("signup");
        assert!(limits.unknown_classes(&[signed]).is_empty());
        assert_eq!(limits.unknown_classes(&[signed, other]), ["signup"]);
    }
}
