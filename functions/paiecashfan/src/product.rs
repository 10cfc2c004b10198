//! PaieCashFan as the registry sees it: its port, settings, demo data, admin command and the
//! callers the harnesses sign in.

use crate::accounts::operator;
use crate::role::Role;
use crate::seed::{DEMO_ADMIN, DEMO_FAN};
use crate::{AppState, PaieCashFanConfig};
use async_trait::async_trait;
use axum::Router;
use store::DynStore;
use web::config::Env;
use web::ids::AccountId;
use web::product::{
    BoxError, CALLER_PASSWORD, DemoAdmin, Deps, Done, Grant, LoadPlan, Product, RefreshRequest,
    Sample, role_named,
};

pub struct PaieCashFan;

/// The local secret the demo accounts log in with.
const DEMO_PASSWORD: &str = "DEMO_PASSWORD";
const DEMO_PASSWORD_LEN: usize = 16;

/// The demo fan's login under the test settings: the benchmarks sign in as it.
const TEST_FAN_LOGIN: &str =
    r#"{"email": "demo@paiecashfan.com", "password": "paiecashfan-test-demo-password"}"#;
/// A registration, a new fan each time.
const REGISTER: &str = r#"{"email": "bench{n}@example.com", "password": "un mot de passe de banc", "name": "Banc {n}", "clubId": "psg"}"#;

/// The demo accounts' login, differing only by account and role.
const fn demo(account: &'static str, role: Role) -> DemoAdmin {
    DemoAdmin {
        login_path: crate::auth::LOGIN_PATH,
        login_field: "email",
        account,
        role: role.as_str(),
        password_secret: DEMO_PASSWORD,
        min_password_len: DEMO_PASSWORD_LEN,
        token_pointer: "/token",
        refresh: RefreshRequest::post(crate::auth::REFRESH_PATH, "refreshToken"),
    }
}

// PaieCashFan as data.
web::about! {
    PaieCashFan {
        name: "paiecashfan",
        title: "PaieCashFan",
        env_prefix: "PAIECASHFAN",
        default_port: 3004,
        local_secrets: &[
            "JWT_SECRET",
            "JWT_REFRESH_SECRET",
            DEMO_PASSWORD,
            "STRIPE_WEBHOOK_SECRET",
            "TICKET_SIGNING_SECRET",
        ],
        // The ticket key's secret is required: the benchmarks' functions and in-process
        // servers start from these settings alone.
        test_settings: &[
            (DEMO_PASSWORD, "paiecashfan-test-demo-password"),
            (
                "TICKET_SIGNING_SECRET",
                "paiecashfan-test-ticket-signing-secret-0123456789",
            ),
        ],
        absent_id: "00000000-0000-4000-8000-000000000000",
        demo_admin: Some(demo(DEMO_ADMIN, Role::Admin)),
        demo_user: Some(demo(DEMO_FAN, Role::Fan)),
        live: Some(web::product::LiveApi {
            path: "/live",
            default_port: 3104,
        }),
    }
}

/// The operator's job that proves the ledger (`crate::ledger::check`).
pub const LEDGER_CHECK: &str = "ledger_check";

#[async_trait]
impl Product for PaieCashFan {
    fn app(&self, deps: Deps, env: &Env) -> Result<Router, BoxError> {
        let config = PaieCashFanConfig::from_env(env)?;
        let state =
            AppState::new(deps.store, config.stripe.gateway()?, config).with_live(deps.live);
        Ok(crate::app(state, crate::API.served()))
    }

    fn live_endpoint(
        &self,
        deps: &Deps,
        env: &Env,
    ) -> Result<Option<web::live::DynEndpoint>, BoxError> {
        let live = web::product::live_over(deps, &PaieCashFanConfig::from_env(env)?.sessions);
        Ok(live.map(|live| std::sync::Arc::new(crate::social::live::endpoint(live)) as _))
    }

    async fn seed_demo(&self, deps: &Deps, env: &Env) -> Result<Vec<String>, BoxError> {
        let password = env.secret(DEMO_PASSWORD, DEMO_PASSWORD_LEN)?;
        let mut lines = Vec::new();
        if crate::seed::demo_catalogue(&deps.store).await? {
            lines.push(
                "Demo data created: 5 clubs (psg, om, ol, losc, asse), 4 eSIM plans, 6 products and 3 events."
                    .to_string(),
            );
        }
        if crate::seed::demo_accounts(&deps.store, password.expose()).await? {
            lines.push(
                "Demo accounts created: an admin, a gate account and two fans with money (150 € and 80 €)."
                    .to_string(),
            );
        }
        lines.push(format!(
            "PaieCashFan admin: {DEMO_ADMIN}  gate: {}  fans: {DEMO_FAN}, awa.diop@example.com  password: {}  (POST /api/auth/login)",
            crate::seed::DEMO_GATE,
            password.expose()
        ));
        Ok(lines)
    }

    async fn grant(&self, store: &DynStore, grant: Grant<'_>) -> Done {
        let role = role_named::<Role>(grant.role)?;
        let user = operator::ensure(store, grant.login, role, grant.password).await?;
        Ok(format!(
            "paiecashfan user {} ({}) now has role {}",
            user.id, user.email, user.role
        ))
    }

    async fn set_active(&self, store: &DynStore, login: &str, active: bool) -> Done {
        let user = operator::set_active(store, login, active).await?;
        Ok(format!("paiecashfan user {} ({})", user.id, user.email))
    }

    async fn run_job(&self, deps: &Deps, _env: &Env, name: &str) -> Done {
        match name {
            LEDGER_CHECK => {
                let report = crate::ledger::check::run(&deps.store).await?;
                match report.holds() {
                    true => Ok(report.to_string()),
                    false => Err(report.to_string().into()),
                }
            }
            _ => Err(format!("PaieCashFan has no job named {name}").into()),
        }
    }

    fn load_plan(&self) -> LoadPlan {
        LoadPlan {
            // The probes of the functions whose routes take a body. Sent as the demo admin,
            // who holds no money: the purchases are refused for want of funds (a 400 after
            // every read they make). The benchmarks have no Stripe, so the deposit is
            // refused before Stripe is called (a zero amount: 400 after the session's read).
            bodies: &[
                ("POST", "/api/auth/login", TEST_FAN_LOGIN),
                ("POST", "/api/auth/register", REGISTER),
                ("POST", "/api/wallet/deposit", r#"{"amount": 0}"#),
                ("POST", "/api/esim/activate", r#"{"planId": "psg-data-5"}"#),
                (
                    "POST",
                    "/api/shop/cart/add",
                    r#"{"productId": "psg-echarpe", "quantity": 1}"#,
                ),
                ("POST", "/api/shop/checkout", r#"{"total": 19.99}"#),
            ],
            writes: &[("POST", "/api/auth/register", REGISTER)],
            // A fan's tickets and conversations are made with money or with another fan,
            // which the plan's admin has neither of: those reads are measured refused.
            samples: &[Sample {
                route: "/api/tickets/events/{id}/revoked",
                from: "/api/tickets/events",
                pointer: "/events/0/id",
            }],
            ..LoadPlan::default()
        }
    }

    async fn caller_account(&self, deps: &Deps, role: &str) -> Result<AccountId, BoxError> {
        let email = format!("{}@callers.paiecashfan.test", uuid::Uuid::new_v4().simple());
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
        let login: serde_json::Value = serde_json::from_str(TEST_FAN_LOGIN).unwrap();
        let password = PaieCashFan
            .test_env()
            .secret(DEMO_PASSWORD, DEMO_PASSWORD_LEN)
            .unwrap();
        assert_eq!(login["password"], password.expose());
        assert_eq!(login["email"], DEMO_FAN);
    }
}
