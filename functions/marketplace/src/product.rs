//! The marketplace as the registry sees it: its port, settings, demo data, admin command and
//! the callers the harnesses sign in.

use crate::role::Role;
use crate::seed::DEMO_ADMIN;
use crate::users::operator;
use crate::{AppState, MarketplaceConfig};
use async_trait::async_trait;
use axum::Router;
use std::sync::Arc;
use store::DynStore;
use web::config::Env;
use web::ids::AccountId;
use web::product::{
    BoxError, CALLER_PASSWORD, DemoAdmin, Deps, Done, Grant, LoadPlan, Paginated, Product,
    RefreshRequest, Rendered, Sample, role_named,
};

pub struct Marketplace;

/// The local secret the demo accounts log in with.
const DEMO_PASSWORD: &str = "DEMO_PASSWORD";
const DEMO_PASSWORD_LEN: usize = 16;
/// The demo admin's login under the test settings.
const TEST_ADMIN_LOGIN: &str =
    r#"{"email": "admin@marketplace.local", "password": "marketplace-test-demo-password"}"#;
/// A registration, a new client each time.
const REGISTER: &str = r#"{"email": "bench{n}@example.com", "password": "un mot de passe de banc", "firstName": "Banc", "lastName": "Essai{n}"}"#;

// The marketplace as data.
web::about! {
    Marketplace {
        name: "marketplace",
        title: "Marketplace",
        env_prefix: "MARKETPLACE",
        default_port: 3002,
        local_secrets: &[
            "JWT_SECRET",
            "JWT_REFRESH_SECRET",
            DEMO_PASSWORD,
            "STRIPE_WEBHOOK_SECRET",
        ],
        test_settings: &[(DEMO_PASSWORD, "marketplace-test-demo-password")],
        absent_id: "00000000-0000-4000-8000-000000000000",
        demo_admin: Some(DemoAdmin {
            login_path: crate::auth::LOGIN_PATH,
            login_field: "email",
            account: DEMO_ADMIN,
            role: Role::Admin.as_str(),
            password_secret: DEMO_PASSWORD,
            min_password_len: DEMO_PASSWORD_LEN,
            token_pointer: "/data/token",
            refresh: RefreshRequest::post(crate::auth::REFRESH_PATH, "refreshToken"),
        }),
        demo_user: None,
        live: None,
    }
}

#[async_trait]
impl Product for Marketplace {
    fn app(&self, deps: Deps, env: &Env) -> Result<Router, BoxError> {
        let config = MarketplaceConfig::from_env(env)?;
        let state = AppState::new(deps.store, deps.blobs, config.stripe.gateway()?, config)
            .with_mail(deps.mail)
            .with_reports(Arc::new(crate::reports::PdfReports));
        Ok(crate::app(state, crate::API.served()))
    }

    async fn seed_demo(&self, deps: &Deps, env: &Env) -> Result<Vec<String>, BoxError> {
        let password = env.secret(DEMO_PASSWORD, DEMO_PASSWORD_LEN)?;
        let mut lines = Vec::new();
        if crate::seed::demo_accounts(&deps.store, password.expose()).await? {
            lines.push("Demo data created: the admin and four clients.".to_string());
        }
        // The rest is made through the API itself, its rate limits lifted as in tests.
        let mut seeding = env.clone();
        let test_env = self.test_env();
        for (name, value) in test_env
            .given_pairs()
            .filter(|(n, _)| n.contains("RATE_LIMIT"))
        {
            seeding = seeding.with(name, value);
        }
        let client = crate::seed::Client {
            app: self.app(deps.clone(), &seeding)?,
        };
        if crate::seed::demo_market(&client, &deps.store, password.expose()).await? {
            lines.push(
                "Demo marketplace created: providers in every state, services, applications, reviews, requests, payments in each status, banners."
                    .to_string(),
            );
        }
        lines.push(format!(
            "Marketplace admin: {DEMO_ADMIN}  clients: fatou.onana@example.com ...  password: {}  (POST /api/auth/login)",
            password.expose()
        ));
        Ok(lines)
    }

    async fn grant(&self, store: &DynStore, grant: Grant<'_>) -> Done {
        let role = role_named::<Role>(grant.role)?;
        let user = operator::ensure(store, grant.login, role, grant.password).await?;
        Ok(format!(
            "marketplace user {} ({}) now has role {}",
            user.id, user.email, user.role
        ))
    }

    async fn run_job(&self, deps: &Deps, env: &Env, name: &str) -> Done {
        match name {
            crate::jobs::EXPIRE_FEATURING => Ok(crate::jobs::run(&deps.store).await?),
            crate::jobs::FINISH_DELETIONS => {
                let config = MarketplaceConfig::from_env(env)?;
                let gateway = Arc::new(payments::NotConfigured);
                let state = AppState::new(deps.store.clone(), deps.blobs.clone(), gateway, config);
                Ok(crate::jobs::finish_deletions(&state).await?)
            }
            _ => Err(format!("the marketplace has no job named {name}").into()),
        }
    }

    async fn set_active(&self, store: &DynStore, login: &str, active: bool) -> Done {
        let user = operator::set_active(store, login, active).await?;
        Ok(format!("marketplace user {} ({})", user.id, user.email))
    }

    fn load_plan(&self) -> LoadPlan {
        LoadPlan {
            bodies: &[
                ("POST", crate::auth::LOGIN_PATH, TEST_ADMIN_LOGIN),
                ("POST", "/api/auth/register", REGISTER),
                (
                    "PUT",
                    "/api/admin/users/{id}/status",
                    r#"{"isActive": true}"#,
                ),
            ],
            writes: &[("POST", "/api/auth/register", REGISTER)],
            paginated: &[Paginated {
                entity: "users",
                list: "/api/admin/users",
                total: "/data/pagination/total",
                add: ("POST", "/api/auth/register", REGISTER),
            }],
            documents: &[Rendered {
                name: "the global report, with its charts and six months of trends",
                function: "MarketplaceReportsFunction",
                render: crate::reports::sample,
                // A report has no HTML page: no browser peer.
                html: None,
            }],
            // Reads by id, from the demo marketplace.
            samples: &[
                Sample {
                    route: "/api/providers/{id}",
                    from: "/api/providers",
                    pointer: "/data/providers/0/id",
                },
                Sample {
                    route: "/api/admin/provider-applications/{id}",
                    from: "/api/admin/provider-applications",
                    pointer: "/data/applications/0/id",
                },
            ],
        }
    }

    async fn caller_account(&self, deps: &Deps, role: &str) -> Result<AccountId, BoxError> {
        let email = format!("{}@callers.marketplace.test", uuid::Uuid::new_v4().simple());
        let role = role_named::<Role>(role)?;
        let user = operator::ensure(&deps.store, &email, role, Some(CALLER_PASSWORD)).await?;
        Ok(user.id.into())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_benchmarks_log_in_with_the_test_settings_password() {
        let login: serde_json::Value = serde_json::from_str(TEST_ADMIN_LOGIN).unwrap();
        let password = Marketplace
            .test_env()
            .secret(DEMO_PASSWORD, DEMO_PASSWORD_LEN)
            .unwrap();
        assert_eq!(login["password"], password.expose());
        assert_eq!(login["email"], DEMO_ADMIN);
    }
}
