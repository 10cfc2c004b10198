//! Lumira as the registry sees it: its port, settings, demo data, admin command and the
//! callers the harnesses sign in.

use crate::role::Role;
use crate::{AppState, LumiraConfig, accounts};
use async_trait::async_trait;
use axum::Router;
use std::sync::Arc;
use store::DynStore;
use web::config::Env;
use web::ids::AccountId;
use web::ids::ObjectId;
use web::product::{
    BoxError, CALLER_PASSWORD, DemoAdmin, Deps, Done, Grant, LoadPlan, Paginated, Product,
    RefreshRequest, Rendered, Sample, role_named,
};

pub struct Lumira;

/// The local secret the demo admin and expert log in with.
const DEMO_PASSWORD: &str = "DEMO_PASSWORD";
/// Its value in the test settings, which the benchmarks seed their tables with.
const TEST_DEMO_PASSWORD: &str = "lumira-test-demo-password";
/// The demo admin's login under the test settings.
const TEST_ADMIN_LOGIN: &str =
    r#"{"email": "admin@lumira.local", "password": "lumira-test-demo-password"}"#;

/// A free product's checkout: an order, and a new client for each new email, without Stripe.
const CHECKOUT: &str = r#"{"productId": "initie_simple", "customerEmail": "bench{n}@example.com"}"#;
const CHECKOUT_PATH: &str = "/api/products/create-payment-intent";

/// Ids are ObjectIds: the warm benchmark reads each route's from the demo data. A paid
/// level's order (level 2), as a free one has no PaymentIntent to follow.
const SAMPLES: &[Sample] = &[
    sample("/api/orders/{id}", "/api/orders?level=2", "/orders/0/_id"),
    sample("/api/users/{id}", "/api/users", "/users/0/_id"),
    sample("/api/users/{id}/stats", "/api/users", "/users/0/_id"),
    sample(
        "/api/expert/orders/{id}",
        "/api/expert/orders/pending",
        "/orders/0/_id",
    ),
    sample(
        "/api/products/order/{orderId}",
        "/api/orders/{id}",
        "/paymentIntentId",
    ),
    sample(
        "/api/products/orders/{orderId}",
        "/api/orders/{id}",
        "/paymentIntentId",
    ),
];

const fn sample(route: &'static str, from: &'static str, pointer: &'static str) -> Sample {
    Sample {
        route,
        from,
        pointer,
    }
}

/// The demo accounts of the local server.
pub const DEMO_ADMIN: &str = "admin@lumira.local";
pub const DEMO_EXPERT: &str = "Amine Expert <expert@lumira.local>";

// Lumira as data.
web::about! {
    Lumira {
        name: "lumira",
        title: "Lumira",
        env_prefix: "LUMIRA",
        default_port: 3001,
        local_secrets: &[
            "JWT_SECRET",
            "JWT_REFRESH_SECRET",
            DEMO_PASSWORD,
            "STRIPE_WEBHOOK_SECRET",
        ],
        test_settings: &[
            (DEMO_PASSWORD, TEST_DEMO_PASSWORD),
            ("SANCTUAIRE_RATE_LIMIT_MAX", "100000000"),
            ("SANCTUAIRE_EMAIL_RATE_LIMIT_MAX", "100000000"),
            ("SANCTUAIRE_RATE_LIMIT_WINDOW_SECS", "1000000000"),
            ("ENVIRONMENT", "test"),
        ],
        absent_id: "000000000000000000000000",
        demo_admin: Some(DemoAdmin {
            login_path: crate::auth::LOGIN_PATH,
            login_field: "email",
            account: DEMO_ADMIN,
            role: Role::Admin.as_str(),
            password_secret: DEMO_PASSWORD,
            min_password_len: accounts::MIN_PASSWORD_LEN,
            token_pointer: "/token",
            refresh: RefreshRequest::post(crate::auth::REFRESH_PATH, "refreshToken"),
        }),
        demo_user: None,
        live: None,
    }
}

#[async_trait]
impl Product for Lumira {
    fn app(&self, deps: Deps, env: &Env) -> Result<Router, BoxError> {
        let config = LumiraConfig::from_env(env)?;
        let state = AppState::new(deps.store, deps.blobs, config.stripe.gateway()?, config)
            .with_mail(deps.mail)
            .with_readings(Arc::new(crate::reading::TypesetReadings));
        Ok(crate::app(state, crate::API.served()))
    }

    async fn seed_demo(&self, deps: &Deps, env: &Env) -> Result<Vec<String>, BoxError> {
        let password = env.secret(DEMO_PASSWORD, accounts::MIN_PASSWORD_LEN)?;
        let mut ids = Vec::new();
        for (login, role) in [(DEMO_ADMIN, Role::Admin), (DEMO_EXPERT, Role::Expert)] {
            // Only what is absent: an account an operator changed since stays so.
            let (_, email) = accounts::parse_login(login)?;
            let account = match accounts::find_by_email(&deps.store, &email).await? {
                Some(account) => account,
                None => accounts::ensure(&deps.store, login, role, Some(password.expose())).await?,
            };
            ids.push(account.id);
        }
        let mut lines = Vec::new();
        if crate::seed::demo_orders(&deps.store, &ids[0], &ids[1]).await? {
            lines.push(format!(
                "Demo data created: orders of {} in each stage, pending to refunded.",
                crate::seed::DEMO_CLIENT
            ));
        }
        lines.push(format!(
            "Lumira admin: {DEMO_ADMIN}  expert: expert@lumira.local  password: {}  (POST /api/auth/login, POST /api/expert/login)",
            password.expose()
        ));
        Ok(lines)
    }

    async fn grant(&self, store: &DynStore, grant: Grant<'_>) -> Done {
        let role = role_named::<Role>(grant.role)?;
        let account = accounts::ensure(store, grant.login, role, grant.password).await?;
        Ok(format!(
            "lumira account {} ({} <{}>) now has role {}",
            account.id, account.name, account.email, account.role
        ))
    }

    async fn set_active(&self, store: &DynStore, login: &str, active: bool) -> Done {
        let account = accounts::set_active(store, login, active).await?;
        Ok(format!(
            "lumira account {} ({} <{}>)",
            account.id, account.name, account.email
        ))
    }

    fn load_plan(&self) -> LoadPlan {
        LoadPlan {
            // The functions with no GET are measured with these: the demo admin's login, a
            // delivery of no order, a confirmation of an intent Stripe never made.
            bodies: &[
                ("POST", CHECKOUT_PATH, CHECKOUT),
                ("POST", crate::auth::LOGIN_PATH, TEST_ADMIN_LOGIN),
                ("PATCH", "/api/orders/{id}/delivered", "{}"),
                (
                    "POST",
                    "/api/payments/confirm-payment",
                    r#"{"paymentIntentId": "pi_bench_absent"}"#,
                ),
            ],
            writes: &[("POST", CHECKOUT_PATH, CHECKOUT)],
            paginated: &[
                Paginated {
                    entity: "users",
                    list: "/api/users",
                    // `total` is its number of pages (lumira.md).
                    total: "/pagination/totalItems",
                    add: ("POST", CHECKOUT_PATH, CHECKOUT),
                },
                Paginated {
                    entity: "orders",
                    list: "/api/orders",
                    // `total` is its number of pages (lumira.md).
                    total: "/pagination/totalItems",
                    add: ("POST", CHECKOUT_PATH, CHECKOUT),
                },
            ],
            documents: &[Rendered {
                name: "a two-page reading with its mandala",
                function: "LumiraDeliveryFunction",
                render: crate::reading::sample,
                // A reading has no HTML page: no browser peer.
                html: None,
            }],
            samples: SAMPLES,
        }
    }

    async fn caller_account(&self, deps: &Deps, role: &str) -> Result<AccountId, BoxError> {
        let account = match role_named::<Role>(role)? {
            // A client's token is a sanctuaire token: its id is the client's.
            Role::Client => {
                let email = format!("{}@clients.lumira.test", ObjectId::new());
                crate::customers::ensure(&deps.store, &email).await?.id
            }
            role @ (Role::Expert | Role::Admin) => {
                let login = format!("{}@callers.lumira.test", ObjectId::new());
                let password = Some(CALLER_PASSWORD);
                accounts::ensure(&deps.store, &login, role, password)
                    .await?
                    .id
            }
        };
        Ok(account.into())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_benchmarks_log_in_with_the_test_settings_password() {
        let login: serde_json::Value = serde_json::from_str(TEST_ADMIN_LOGIN).unwrap();
        let env = Lumira.test_env();
        let password = env
            .secret(DEMO_PASSWORD, accounts::MIN_PASSWORD_LEN)
            .unwrap();
        assert_eq!(login["password"], password.expose());
        assert_eq!(login["email"], DEMO_ADMIN);
    }
}
