//! Lumira as the registry sees it: its port, settings and demo data. It has no accounts yet
//! (they come with its catalogue and orders), so no admin command and no callers.

use crate::{AppState, LumiraConfig, openapi};
use async_trait::async_trait;
use axum::Router;
use web::config::Env;
use web::error::ErrorStyle;
use web::product::{BoxError, Deps, Product};
use web::routes::Route;

pub struct Lumira;

#[async_trait]
impl Product for Lumira {
    fn name(&self) -> &'static str {
        "lumira"
    }
    fn title(&self) -> &'static str {
        "Lumira"
    }
    fn env_prefix(&self) -> &'static str {
        "LUMIRA"
    }
    fn default_port(&self) -> u16 {
        3001
    }
    fn routes(&self) -> &'static [Route] {
        openapi::ROUTES
    }
    fn lambda_groups(&self) -> Vec<&'static str> {
        crate::lambda::GROUPS.names()
    }
    fn local_secrets(&self) -> &'static [&'static str] {
        &["STRIPE_WEBHOOK_SECRET"]
    }
    fn roles(&self) -> &'static [&'static str] {
        &[]
    }
    fn openapi_json(&self) -> &'static str {
        openapi::OPENAPI_JSON
    }
    fn error_style(&self) -> &'static dyn ErrorStyle {
        crate::ERROR_STYLE
    }

    fn test_env(&self) -> Env {
        Env::given([
            ("RATE_LIMIT_MAX", "100000000"),
            ("RATE_LIMIT_WINDOW_SECS", "1000000000"),
            ("ENVIRONMENT", "test"),
        ])
    }

    fn app(&self, deps: Deps, env: &Env) -> Result<Router, BoxError> {
        let config = LumiraConfig::from_env(env)?;
        let state = AppState::new(deps.store, deps.blobs, config.gateway()?, config);
        Ok(crate::app(state, crate::routes()))
    }

    async fn seed_demo(&self, _deps: &Deps, _env: &Env) -> Result<Vec<String>, BoxError> {
        Ok(Vec::new())
    }
}
