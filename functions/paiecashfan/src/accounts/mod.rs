//! Accounts: fans, gate staff and admins, who sign in with an email and a password. Every
//! account has a wallet, opened at zero in the transaction that creates the account.
//!
//! Items: the account at `USER#<id>`; `EMAIL#<email>` names the account of each email, so
//! that emails stay unique when two registrations race. The accounts of each role are
//! totalled by counters (`accounts#<role>`) moved in the same transaction.

pub mod operator;

use crate::ledger::{self, Account as LedgerAccount};
use crate::role::Role;
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Key, TxOp, Update};
use uuid::Uuid;
use web::auth::accounts::Credentials;
use web::{ApiResult, counters};

/// An account as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub club_id: String,
    pub role: String,
    pub is_active: bool,
    pub created_at: String,
    pub updated_at: String,
    pub password_hash: String,
}

impl web::auth::accounts::Account for User {
    fn credentials(&self) -> Credentials<'_> {
        Credentials {
            id: (&self.id).into(),
            role: &self.role,
            password_hash: Some(&self.password_hash),
            active: self.is_active,
        }
    }
}

/// An account as its owner sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = User)]
pub struct UserView {
    #[schema(example = json!("5f1c2a9e-8d3b-4c7a-9e21-3b8f6d0c4a11"))]
    pub id: String,
    #[schema(example = json!("fan@example.com"))]
    pub email: String,
    #[schema(example = json!("Awa Diop"))]
    pub name: String,
    /// Le club du fan.
    #[schema(example = json!("psg"))]
    pub club_id: String,
    #[schema(value_type = Role)]
    pub role: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        UserView {
            id: user.id.clone(),
            email: user.email.clone(),
            name: user.name.clone(),
            club_id: user.club_id.clone(),
            role: user.role.clone(),
            created_at: user.created_at.clone(),
        }
    }
}

/// A new account, not yet stored.
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub club_id: String,
    pub role: Role,
    pub password_hash: String,
}

impl NewUser {
    pub fn into_user(self, now: &str) -> User {
        User {
            id: Uuid::new_v4().to_string(),
            email: self.email,
            name: self.name,
            club_id: self.club_id,
            role: self.role.as_str().to_owned(),
            is_active: true,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
            password_hash: self.password_hash,
        }
    }
}

pub fn key(id: &str) -> Key {
    Key::new(format!("USER#{id}"), "USER")
}

fn email_key(email: &str) -> Key {
    Key::new(format!("EMAIL#{email}"), "LOGIN")
}

/// The counter of the accounts of `role`.
pub fn role_total(role: &str) -> String {
    format!("accounts#{role}")
}

/// The step of an email that names no account yet.
pub const EMAIL_GUARD: &str = "email_guard";

pub async fn find(store: &DynStore, id: &str) -> ApiResult<Option<User>> {
    web::item::get(store, &key(id)).await
}

/// The account of `email` (normalised).
pub async fn find_by_email(store: &DynStore, email: &str) -> ApiResult<Option<User>> {
    let Some(guard) = store.get(&email_key(email)).await? else {
        return Ok(None);
    };
    match guard.get("userId").and_then(|id| id.as_str()) {
        Some(id) => find(store, id).await,
        None => Ok(None),
    }
}

/// Stores `user` as a new account with its wallet; `Ok(false)` when its email is taken.
pub async fn create(store: &DynStore, user: &User) -> ApiResult<bool> {
    match store.transact_named(creation(user)?).await {
        Ok(()) => Ok(true),
        Err(e) if e.failed(EMAIL_GUARD) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The writes of a new account: the account, its email's guard (the step [`EMAIL_GUARD`]
/// fails when the email is taken), its wallet at zero and its role's total.
pub fn creation(user: &User) -> ApiResult<Vec<(&'static str, TxOp)>> {
    let mut guard = email_key(&user.email).to_item();
    guard.insert("userId".into(), user.id.clone().into());
    Ok(vec![
        (
            "account",
            TxOp::Put {
                item: store::Placement::new(key(&user.id)).item(web::item::record(user)?),
                cond: Some(Cond::NotExists),
            },
        ),
        (
            EMAIL_GUARD,
            TxOp::Put {
                item: guard,
                cond: Some(Cond::NotExists),
            },
        ),
        ("wallet", ledger::opening(&LedgerAccount::wallet(&user.id))?),
        ("total", counters::bump(role_total(&user.role), 1)),
    ])
}

/// The update that sets `isActive` (and `updatedAt`), on an account that exists.
pub fn set_active(id: &str, active: bool, now: &str) -> TxOp {
    TxOp::Update {
        key: key(id),
        update: Update::new().set("isActive", active).set("updatedAt", now),
        cond: Some(Cond::Exists),
    }
}

/// Gives `user` the role `role`, its totals following, in one transaction.
pub fn role_change(user: &User, role: Role, now: &str) -> Vec<(&'static str, TxOp)> {
    vec![
        (
            "account",
            TxOp::Update {
                key: key(&user.id),
                update: Update::new()
                    .set("role", role.as_str())
                    .set("updatedAt", now),
                cond: Some(Cond::eq("role", user.role.clone())),
            },
        ),
        ("old_total", counters::bump(role_total(&user.role), -1)),
        ("new_total", counters::bump(role_total(role.as_str()), 1)),
    ]
}
