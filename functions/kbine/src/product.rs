//! Kbine as the registry sees it: its port, settings, demo data, admin command and the
//! callers the harnesses sign in.

use crate::phone::PhoneNumber;
use crate::role::Role;
use crate::{AppState, KbineConfig, accounts, seed, users};
use async_trait::async_trait;
use axum::Router;
use store::DynStore;
use web::config::Env;
use web::ids::AccountId;
use web::product::{
    BoxError, CALLER_PASSWORD, DemoAdmin, Deps, Done, Grant, LoadPlan, Paginated, Product,
    RefreshRequest, role_named,
};

pub struct Kbine;

/// A client's login: the benchmarks log in as one (a staff login spends an argon2 check).
const CLIENT_LOGIN: &str = r#"{"phoneNumber": "0100000000"}"#;
/// The local secret the demo admin and staff accounts log in with.
const DEMO_PASSWORD: &str = "DEMO_PASSWORD";
const DEMO_PASSWORD_LEN: usize = 16;
/// Plan 1 of the demo catalogue is Orange's, whose numbers start with 07.
const ORDER: &str = r#"{"plan_id": 1, "phone_number": "0700000000", "payment_method": "wave"}"#;
/// The k-th payment pays the k-th order (an admin may pay any order): an order has one live
/// payment, and the orders are written first. References must be unique.
const PAYMENT: &str = r#"{"order_id": {k}, "amount": 1000, "payment_method": "wave", "payment_reference": "BENCH-{n}"}"#;

/// The demo accounts of the local server.
pub const DEMO_ADMIN_PHONE: &str = "0700000000";
pub const DEMO_STAFF_PHONE: &str = "0500000000";

// Kbine as data.
web::about! {
    Kbine {
        name: "kbine",
        title: "Kbine",
        env_prefix: "KBINE",
        default_port: 3000,
        local_secrets: &["JWT_SECRET", "JWT_REFRESH_SECRET", DEMO_PASSWORD],
        test_settings: &[(DEMO_PASSWORD, "test-demo-password-0123")],
        absent_id: "999999",
        demo_admin: Some(DemoAdmin {
            login_path: crate::auth::LOGIN_PATH,
            login_field: "phoneNumber",
            account: DEMO_ADMIN_PHONE,
            role: Role::Admin.as_str(),
            password_secret: DEMO_PASSWORD,
            min_password_len: DEMO_PASSWORD_LEN,
            token_pointer: "/token",
            refresh: RefreshRequest::post(crate::auth::REFRESH_PATH, "refreshToken"),
        }),
        demo_user: None,
        live: Some(web::product::LiveApi {
            path: "/socket.io/",
            default_port: 3100,
        }),
    }
}

#[async_trait]
impl Product for Kbine {
    fn app(&self, deps: Deps, env: &Env) -> Result<Router, BoxError> {
        let state = AppState::new(deps.store, KbineConfig::from_env(env)?)
            .with_sms(deps.sms)
            .with_live(deps.live);
        Ok(crate::app(state, crate::API.served()))
    }

    fn live_endpoint(
        &self,
        deps: &Deps,
        env: &Env,
    ) -> Result<Option<web::live::DynEndpoint>, BoxError> {
        let live = web::product::live_over(deps, &KbineConfig::from_env(env)?.sessions);
        Ok(live.map(|live| std::sync::Arc::new(crate::events::endpoint(live)) as _))
    }

    async fn seed_demo(&self, deps: &Deps, env: &Env) -> Result<Vec<String>, BoxError> {
        let password = env.secret(DEMO_PASSWORD, DEMO_PASSWORD_LEN)?;
        let mut lines = Vec::new();
        if seed::demo_catalogue(&deps.store).await? {
            lines.push("Demo data created: 3 operators with their plans.".to_string());
        }
        for (phone, role) in [
            (DEMO_ADMIN_PHONE, Role::Admin),
            (DEMO_STAFF_PHONE, Role::Staff),
        ] {
            // Only what is absent: a role an operator changed since stays so, and an account
            // that has a password keeps it.
            let phone = PhoneNumber::parse(phone)?;
            match users::find_account(&deps.store, &phone).await? {
                None => {
                    accounts::ensure_user(&deps.store, &phone, role, Some(password.expose()))
                        .await?;
                }
                Some(account) if account.password_hash.is_none() => {
                    accounts::set_password(&deps.store, &phone, password.expose()).await?;
                }
                Some(_) => {}
            }
        }
        lines.push(format!(
            "Kbine admin phone: {DEMO_ADMIN_PHONE}  staff phone: {DEMO_STAFF_PHONE}  password: {}  (log in with POST /api/auth/login)",
            password.expose()
        ));
        Ok(lines)
    }

    async fn grant(&self, store: &DynStore, grant: Grant<'_>) -> Done {
        let phone = PhoneNumber::parse(grant.login)?;
        let role = role_named::<Role>(grant.role)?;
        let user = accounts::ensure_user(store, &phone, role, grant.password).await?;
        Ok(format!(
            "kbine user {} ({}) now has role {}",
            user.id, user.phone_number, user.role
        ))
    }

    async fn set_active(&self, store: &DynStore, login: &str, active: bool) -> Done {
        let user = accounts::set_active(store, &PhoneNumber::parse(login)?, active).await?;
        Ok(format!("kbine user {} ({})", user.id, user.phone_number))
    }

    fn load_plan(&self) -> LoadPlan {
        LoadPlan {
            bodies: &[("POST", "/api/auth/login", CLIENT_LOGIN)],
            writes: &[
                ("POST", "/api/auth/login", CLIENT_LOGIN),
                ("POST", "/api/orders", ORDER),
                ("POST", "/api/payments", PAYMENT),
            ],
            paginated: &[
                Paginated {
                    entity: "users",
                    list: "/api/users",
                    total: "/pagination/total",
                    // A first login creates the account; Moov numbers (01) are never the demo
                    // admin's or staff's.
                    add: ("POST", "/api/auth/login", r#"{"phoneNumber": "01{n8}"}"#),
                },
                Paginated {
                    entity: "orders",
                    list: "/api/orders",
                    total: "/pagination/total",
                    add: ("POST", "/api/orders", ORDER),
                },
                Paginated {
                    entity: "payments",
                    list: "/api/payments",
                    total: "/pagination/total",
                    add: ("POST", "/api/payments", PAYMENT),
                },
            ],
            documents: &[],
            // Ids are numbers: the writes that run first made each id 1.
            samples: &[],
        }
    }

    async fn caller_account(&self, deps: &Deps, role: &str) -> Result<AccountId, BoxError> {
        // A fresh Moov number (01): never one of the demo accounts.
        let digits = uuid::Uuid::new_v4().as_u128() % 100_000_000;
        let phone = PhoneNumber::parse(&format!("01{digits:08}"))?;
        let role = role_named::<Role>(role)?;
        let password = role.signs_in_with_password().then_some(CALLER_PASSWORD);
        let user = accounts::ensure_user(&deps.store, &phone, role, password).await?;
        Ok(user.id.into())
    }
}
