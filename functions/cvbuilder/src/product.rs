//! CV Builder as the registry sees it: its port, settings, demo data, admin command and the
//! callers the harnesses sign in.

use crate::role::Role;
use crate::{AppState, CvConfig, seed, users};
use async_trait::async_trait;
use axum::Router;
use std::sync::{Arc, LazyLock};
use store::DynStore;
use web::ApiError;
use web::config::Env;
use web::ids::AccountId;
use web::product::{
    BoxError, CALLER_PASSWORD, DemoAdmin, Deps, Done, Grant, LoadPlan, Product, RefreshRequest,
    Rendered, Sample, role_named,
};

pub struct CvBuilder;

/// The local secret the demo account logs in with.
const DEMO_PASSWORD: &str = "DEMO_PASSWORD";
const MIN_DEMO_PASSWORD_LEN: usize = 16;
/// The demo account's login under the test settings.
const TEST_LOGIN: &str =
    r#"{"email": "john.doe@cvbuilder.local", "password": "cvbuilder-test-demo-password"}"#;
/// A checkout for a résumé nobody has.
const NO_SUCH_RESUME_CHECKOUT: &str = r#"{"payment_type": "single", "resume_id": 999999, "success_url": "http://localhost:3000/ok", "cancel_url": "http://localhost:3000/ko"}"#;
/// A new anonymous résumé, the document's minimum.
const NEW_RESUME: &str =
    r#"{"template": 1, "full_name": "Marie Dubois", "email": "marie.dubois@example.com"}"#;
/// A two-page résumé in a premium design as a client creates it: what the warm benchmark
/// writes, and what the export function's cold start exports (its first PDF is the render
/// benchmark's document).
static FULL_RESUME: LazyLock<String> =
    LazyLock::new(|| crate::export::create_request().unwrap_or_default());
static WRITES: LazyLock<[(&str, &str, &str); 1]> =
    LazyLock::new(|| [("POST", "/api/resumes/", FULL_RESUME.as_str())]);
/// The caller's own résumés: the first is read and exported.
const SAMPLES: &[Sample] = &[Sample {
    route: "/api/resumes/{id}/",
    from: "/api/resumes/",
    pointer: "/0/id",
}];

// CV Builder as data.
web::about! {
    CvBuilder {
        name: "cvbuilder",
        title: "CV Builder",
        env_prefix: "CVBUILDER",
        default_port: 8000,
        local_secrets: &[
            "JWT_SECRET",
            "JWT_REFRESH_SECRET",
            DEMO_PASSWORD,
            "STRIPE_WEBHOOK_SECRET",
        ],
        test_settings: &[
            (DEMO_PASSWORD, "cvbuilder-test-demo-password"),
            ("SECURE_COOKIES", "false"),
        ],
        absent_id: "999999",
        demo_admin: Some(DemoAdmin {
            login_path: crate::auth::LOGIN_PATH,
            login_field: "email",
            account: seed::DEMO_EMAIL,
            role: Role::Admin.as_str(),
            password_secret: DEMO_PASSWORD,
            min_password_len: MIN_DEMO_PASSWORD_LEN,
            token_pointer: "/access",
            refresh: RefreshRequest::post(crate::auth::REFRESH_PATH, "refresh"),
        }),
        demo_user: None,
        live: None,
    }
}

#[async_trait]
impl Product for CvBuilder {
    fn app(&self, deps: Deps, env: &Env) -> Result<Router, BoxError> {
        let config = CvConfig::from_env(env)?;
        let gateway = config.stripe.gateway()?;
        let state = AppState::new(deps.store, deps.blobs, config)
            .with_pdfs(Arc::new(crate::export::TypesetResumes))
            .with_gateway(gateway);
        Ok(crate::app(state, crate::API.served()))
    }

    async fn seed_demo(&self, deps: &Deps, env: &Env) -> Result<Vec<String>, BoxError> {
        let password = env.secret(DEMO_PASSWORD, MIN_DEMO_PASSWORD_LEN)?;
        let (user, created) = seed::demo_account(&deps.store, password.expose()).await?;
        let mut lines = Vec::new();
        if created {
            seed::demo_resumes(&deps.store, &user).await?;
            lines.push("Demo data created: John Doe's account and two résumés.".to_string());
        }
        lines.push(format!(
            "CV Builder demo account: {}  password: {}  (POST /api/auth/login/)",
            seed::DEMO_EMAIL,
            password.expose()
        ));
        Ok(lines)
    }

    async fn grant(&self, store: &DynStore, grant: Grant<'_>) -> Done {
        let email = web::validate::email(grant.login)
            .ok_or_else(|| ApiError::bad_request("the login must be an email address"))?;
        let role = role_named::<Role>(grant.role)?;
        let user = users::ensure(store, &email, role, grant.password).await?;
        Ok(format!(
            "cvbuilder user {} ({} <{}>) now has role {}",
            user.id, user.username, user.email, user.role
        ))
    }

    async fn set_active(&self, store: &DynStore, login: &str, active: bool) -> Done {
        let user = users::set_active(store, login, active).await?;
        Ok(format!("cvbuilder user {} ({})", user.id, user.email))
    }

    fn load_plan(&self) -> LoadPlan {
        LoadPlan {
            bodies: &[
                ("POST", crate::auth::LOGIN_PATH, TEST_LOGIN),
                ("POST", "/api/resumes/", NEW_RESUME),
                ("POST", "/api/resumes/{id}/export_pdf/", "{}"),
                // Refused before Stripe is called (no such résumé): the benchmarks have no
                // Stripe, and a refusal still measures the function's start and a store read.
                (
                    "POST",
                    "/api/payments/create-checkout/",
                    NO_SUCH_RESUME_CHECKOUT,
                ),
            ],
            writes: &*WRITES,
            // The document's lists are whole arrays, not pages.
            paginated: &[],
            documents: &[Rendered {
                name: "a two-page résumé in a premium design, watermarked",
                function: "CVBuilderExportFunction",
                render: crate::export::sample,
                html: Some(crate::export::sample_html),
            }],
            samples: SAMPLES,
        }
    }

    async fn caller_account(&self, deps: &Deps, role: &str) -> Result<AccountId, BoxError> {
        let key = uuid::Uuid::new_v4().simple().to_string();
        let email = format!("{key}@callers.cvbuilder.test");
        let role = role_named::<Role>(role)?;
        let user = users::ensure(&deps.store, &email, role, Some(CALLER_PASSWORD)).await?;
        Ok(user.id.into())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_benchmarks_log_in_with_the_test_settings_password() {
        let login: serde_json::Value = serde_json::from_str(TEST_LOGIN).unwrap();
        let password = CvBuilder
            .test_env()
            .secret(DEMO_PASSWORD, MIN_DEMO_PASSWORD_LEN)
            .unwrap();
        assert_eq!(login["password"], password.expose());
        assert_eq!(login["email"], seed::DEMO_EMAIL);
    }
}
