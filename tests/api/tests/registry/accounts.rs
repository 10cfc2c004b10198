//! Every product with accounts, through its demo login and its admin command alone: what an
//! operator changes about an account ends the sessions that vouched for the old state, and
//! a shut-out account cannot sign in.

use api_tests::{Backend, ProductApp, Reply};
use reqwest::StatusCode;
use serde_json::{Value, json};
use web::product::{DemoLogin, Product};
use web::routes::Route;

/// A signed-in session of the demo account.
struct Tokens {
    access: String,
    refresh: String,
}

struct Demo<'a> {
    app: &'a ProductApp,
    login: DemoLogin,
    /// A read the demo account may make with nothing prepared.
    probe: &'static Route,
}

impl Demo<'_> {
    async fn sign_in(&self, password: &str) -> Reply {
        let mut body: Value = serde_json::from_str(&self.login.body).expect("a JSON login");
        body["password"] = json!(password);
        self.app.post(self.login.path, None, body).await
    }

    fn tokens(&self, reply: &Reply) -> Option<Tokens> {
        let text = |pointer: &str| reply.body.pointer(pointer)?.as_str().map(str::to_owned);
        Some(Tokens {
            access: text(self.login.token_pointer)?,
            refresh: text(&self.login.refresh_pointer())?,
        })
    }

    async fn probe(&self, tokens: &Tokens) -> StatusCode {
        let path = self.probe.concrete_uri("");
        self.app.get(&path, Some(&tokens.access)).await.status
    }

    async fn refresh(&self, tokens: &Tokens) -> StatusCode {
        let body = json!({ self.login.refresh.field: tokens.refresh });
        self.app
            .post(self.login.refresh.path, None, body)
            .await
            .status
    }

    /// Signs in with `password` and checks the session works.
    async fn session(&self, password: &str, failures: &mut Vec<String>) -> Option<Tokens> {
        let reply = self.sign_in(password).await;
        let Some(tokens) = self
            .tokens(&reply)
            .filter(|_| reply.status == StatusCode::OK)
        else {
            failures.push(format!("login: {} {}", reply.status, reply.body));
            return None;
        };
        let probed = self.probe(&tokens).await;
        if !probed.is_success() {
            failures.push(format!("{} before any change: {probed}", self.probe.path));
        }
        Some(tokens)
    }

    /// `tokens` no longer work after `what`: the probe answers 401 and a refresh is refused.
    async fn ended(&self, tokens: &Tokens, what: &str, failures: &mut Vec<String>) {
        let probed = self.probe(tokens).await;
        if probed != StatusCode::UNAUTHORIZED {
            failures.push(format!("after {what}, {}: {probed}", self.probe.path));
        }
        let refreshed = self.refresh(tokens).await;
        if refreshed.is_success() || refreshed.is_server_error() {
            failures.push(format!("after {what}, refresh: {refreshed}"));
        }
    }

    async fn refused(&self, password: &str, what: &str, failures: &mut Vec<String>) {
        let reply = self.sign_in(password).await;
        if !reply.status.is_client_error() || !self.app.is_error(&reply) {
            failures.push(format!("login {what}: {} {}", reply.status, reply.body));
        }
    }
}

/// The password the demo login signs in with.
fn demo_password(login: &DemoLogin) -> String {
    let body: Value = serde_json::from_str(&login.body).expect("a JSON login");
    body["password"].as_str().expect("a password").to_owned()
}

/// A GET without path parameters that `role` may call and that needs a token.
fn probe_for(product: &dyn Product, role: &str) -> Option<&'static Route> {
    product.routes().iter().find(|r| {
        r.method == "GET"
            && !r.has_path_params()
            && r.access.requires_token()
            && r.access.admits(role)
    })
}

pub(crate) async fn operator_changes_end_sessions(
    product: &'static dyn Product,
    backend: Backend,
) -> Vec<String> {
    let app = ProductApp::spawn(product, backend).await;
    let Some(login) = product.demo_login(&app.env) else {
        return Vec::new();
    };
    let Some(probe) = probe_for(product, login.role) else {
        return vec![format!(
            "no read for a {} to probe sessions with",
            login.role
        )];
    };
    app.seed_demo().await;
    let password = demo_password(&login);
    let (account, role) = (login.account, login.role);
    let demo = Demo {
        app: &app,
        login,
        probe,
    };
    let store = &app.deps.store;
    let mut failures = Vec::new();

    // Shut out: the session ends and the right password no longer signs in, until let back.
    let Some(tokens) = demo.session(&password, &mut failures).await else {
        return failures;
    };
    product
        .set_active(store, account, false)
        .await
        .expect("admin deactivate");
    demo.ended(&tokens, "deactivate", &mut failures).await;
    demo.refused(&password, "while shut out", &mut failures)
        .await;
    product
        .set_active(store, account, true)
        .await
        .expect("admin reactivate");

    // A password set by an operator: the old one and its sessions are done.
    let Some(tokens) = demo.session(&password, &mut failures).await else {
        return failures;
    };
    let new_password = format!("{password}-renewed-by-an-operator");
    product
        .admin_create(store, account, role, Some(&new_password))
        .await
        .expect("admin create with a password");
    demo.ended(&tokens, "a new password", &mut failures).await;
    demo.refused(&password, "with the old password", &mut failures)
        .await;

    // A new role: tokens issued with the old one are done.
    let Some(tokens) = demo.session(&new_password, &mut failures).await else {
        return failures;
    };
    let mut demoted = false;
    for other in product.roles().iter().filter(|r| **r != role) {
        if product
            .admin_create(store, account, other, None)
            .await
            .is_ok()
        {
            demoted = true;
            break;
        }
    }
    if !demoted {
        failures.push(format!("the admin command gives {account} no other role"));
    }
    demo.ended(&tokens, "a new role", &mut failures).await;
    failures
}

/// Failed sign-ins are limited per account, whatever the address: past the limit even the
/// right password waits, and waiting is never asked for longer than the window.
pub(crate) async fn failed_sign_ins_are_limited_per_account(
    product: &'static dyn Product,
    backend: Backend,
) -> Vec<String> {
    const MAX: usize = 3;
    const WINDOW: i64 = 900;
    let app = ProductApp::spawn_with(product, backend, |env| {
        env.with("ACCOUNT_LOGIN_RATE_LIMIT_MAX", MAX.to_string())
            .with("ACCOUNT_LOGIN_RATE_LIMIT_WINDOW_SECS", WINDOW.to_string())
    })
    .await;
    let Some(login) = product.demo_login(&app.env) else {
        return Vec::new();
    };
    app.seed_demo().await;
    let password = demo_password(&login);
    let probe = probe_for(product, login.role).expect("a read to probe");
    let demo = Demo {
        app: &app,
        login,
        probe,
    };
    let mut failures = Vec::new();
    for attempt in 1..=MAX {
        let reply = demo.sign_in("not the password at all").await;
        if reply.status != StatusCode::UNAUTHORIZED {
            failures.push(format!("wrong password #{attempt}: {}", reply.status));
        }
    }
    let mut waits = Vec::new();
    for what in [
        "a wrong password",
        "the right password",
        "the right password again",
    ] {
        let attempt = if what == "a wrong password" {
            "still not the password"
        } else {
            &password
        };
        let reply = demo.sign_in(attempt).await;
        let wait = reply
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()?.parse::<i64>().ok());
        match wait {
            Some(wait) if reply.status == StatusCode::TOO_MANY_REQUESTS && app.is_error(&reply) => {
                waits.push(wait)
            }
            _ => failures.push(format!(
                "{what} past the limit: {} {}",
                reply.status, reply.body
            )),
        }
    }
    if waits.iter().any(|wait| !(1..=WINDOW).contains(wait)) || !waits.is_sorted_by(|a, b| a >= b) {
        failures.push(format!(
            "Retry-After past the limit: {waits:?} (window {WINDOW} s)"
        ));
    }
    failures
}

/// An operator cannot give an account a password Django's default validators refuse: too
/// common, entirely numeric, too short, or the account's own login.
pub(crate) async fn weak_passwords_are_refused(
    product: &'static dyn Product,
    backend: Backend,
) -> Vec<String> {
    let app = ProductApp::spawn(product, backend).await;
    let Some(login) = product.demo_login(&app.env) else {
        return Vec::new();
    };
    app.seed_demo().await;
    let mut failures = Vec::new();
    let own_login = login.account.to_string();
    for weak in ["password1234", "123456789012", "short", own_login.as_str()] {
        let made = product
            .admin_create(&app.deps.store, login.account, login.role, Some(weak))
            .await;
        if made.is_ok() {
            failures.push(format!("the admin command took the password {weak:?}"));
        }
    }
    // Nothing changed: the demo password still signs in.
    let reply = app
        .post(
            login.path,
            None,
            serde_json::from_str(&login.body).expect("a JSON login"),
        )
        .await;
    if reply.status != StatusCode::OK {
        failures.push(format!("demo login after refusals: {}", reply.status));
    }
    failures
}
