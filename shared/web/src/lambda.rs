//! The Lambda entry point. A product ships one binary for its route groups: each function of
//! the template runs it with its group as its `Handler`, which Lambda hands the process as
//! `_HANDLER`. One link per product instead of one per function keeps `sam build` of every
//! product within minutes (README, Deploy); the group picked builds only its own router.

use axum::Router;

/// Serves `router` to API Gateway (HttpApi, payload v2) until the runtime stops.
pub async fn run(router: Router) -> Result<(), lambda_http::Error> {
    lambda_http::run(router).await
}

/// What a Lambda `main` returns on failure.
pub type BoxError = lambda_http::Error;

/// A route group: the name a function's `Handler` gives, and how to build its router.
pub type RouteGroup<S> = (&'static str, fn() -> Router<S>);

/// A product's route groups.
pub struct RouteGroups<S: 'static>(pub &'static [RouteGroup<S>]);

impl<S> RouteGroups<S> {
    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|(name, _)| *name).collect()
    }

    /// The router of the group named `handler`; an unknown name is a deployment mistake,
    /// said at init (the function then fails to start, loudly) rather than by serving 404s.
    pub fn router(&self, handler: &str) -> Result<Router<S>, BoxError> {
        self.0
            .iter()
            .find(|(name, _)| *name == handler)
            .map(|(_, router)| router())
            .ok_or_else(|| {
                format!(
                    "_HANDLER is {handler:?}, which names no route group of this binary ({})",
                    self.names().join(", ")
                )
                .into()
            })
    }

    /// The router of the group this function was deployed for.
    pub fn from_lambda_env(&self) -> Result<Router<S>, BoxError> {
        let handler = std::env::var("_HANDLER").map_err(|_| "_HANDLER is not set")?;
        self.router(&handler)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUPS: RouteGroups<()> = RouteGroups(&[("auth", Router::new), ("users", Router::new)]);

    #[test]
    fn a_handler_picks_its_group_and_an_unknown_one_is_named_with_the_known_ones() {
        assert_eq!(GROUPS.names(), ["auth", "users"]);
        assert!(GROUPS.router("users").is_ok());
        let error = GROUPS.router("orders").err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("_HANDLER is \"orders\", which names no route group of this binary (auth, users)")
        );
    }
}
