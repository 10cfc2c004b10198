//! The accounts a product's harnesses and local server use: the demo admin, the callers the
//! harnesses sign in, and what an operator asks of an account.

use crate::config::Env;

/// How the demo admin logs in: a request a script can replay, and where the reply puts the
/// access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub method: &'static str,
    pub path: &'static str,
    /// Compact JSON (no spaces: the local server prints it as one word of a line).
    pub body: String,
    /// JSON pointer to the access token in the reply (`/token`).
    pub token_pointer: &'static str,
    /// The demo account as the admin command names it (its phone number or email).
    pub account: &'static str,
    /// Its role.
    pub role: &'static str,
    /// How a session of it is refreshed.
    pub refresh: RefreshRequest,
}

/// A product's refresh: POST `path` with `{field: <refresh token>}`, the login's answer
/// holding the token under the same name ([`DemoLogin::refresh_pointer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshRequest {
    pub path: &'static str,
    pub field: &'static str,
}

impl RefreshRequest {
    /// POST `path` with `{field: <refresh token>}`.
    pub const fn post(path: &'static str, field: &'static str) -> Self {
        RefreshRequest { path, field }
    }
}

impl DemoLogin {
    /// Where the login's answer holds the refresh token (a JSON pointer): beside the access
    /// token, under the refresh body's field name (`/refreshToken`, `/data/refreshToken`).
    pub fn refresh_pointer(&self) -> String {
        let parent = self
            .token_pointer
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent);
        format!("{parent}/{}", self.refresh.field)
    }
}

/// The password of the accounts the harnesses' callers are made with: they get their tokens
/// without signing in, so it only has to pass every product's password rules.
pub const CALLER_PASSWORD: &str = "a harness caller's passphrase, never typed";

/// A signed-in caller, for the harnesses.
#[derive(Debug, Clone)]
pub struct Caller {
    pub access_token: String,
    pub refresh_token: String,
}

impl From<crate::auth::accounts::Opened> for Caller {
    fn from(session: crate::auth::accounts::Opened) -> Self {
        Caller {
            access_token: session.access_token,
            refresh_token: session.refresh_token,
        }
    }
}

/// The local server's demo admin, as data: how it logs in and how its session is refreshed.
#[derive(Debug, Clone, Copy)]
pub struct DemoAdmin {
    /// The login route.
    pub login_path: &'static str,
    /// The login body's field naming the account (`phoneNumber`, `email`).
    pub login_field: &'static str,
    /// The demo account as the admin command names it (its phone number or email).
    pub account: &'static str,
    /// Its role.
    pub role: &'static str,
    /// The local secret holding its password, and that secret's shortest length.
    pub password_secret: &'static str,
    pub min_password_len: usize,
    /// JSON pointer to the access token in the login's answer (`/token`).
    pub token_pointer: &'static str,
    pub refresh: RefreshRequest,
}

impl DemoAdmin {
    /// Its login under `env`, when the password secret is set.
    pub fn login(&self, env: &Env) -> Option<DemoLogin> {
        let password = env
            .secret(self.password_secret, self.min_password_len)
            .ok()?;
        let mut body = serde_json::Map::new();
        body.insert(self.login_field.into(), self.account.into());
        body.insert("password".into(), password.expose().into());
        Some(DemoLogin {
            method: "POST",
            path: self.login_path,
            body: serde_json::Value::Object(body).to_string(),
            token_pointer: self.token_pointer,
            account: self.account,
            role: self.role,
            refresh: self.refresh,
        })
    }
}

/// What an operator grants through the admin command: the account `login` (a phone number
/// or an email, as the product's accounts are keyed), created if absent, gets `role`, and
/// `password` when one is given.
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    pub login: &'a str,
    pub role: &'a str,
    pub password: Option<&'a str>,
}

/// What an admin command did, as the operator knows the account
/// (`kbine user 5 (0700000000) now has role staff`), or why not.
pub type Done = Result<String, super::BoxError>;
