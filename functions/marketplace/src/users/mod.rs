//! Accounts: clients, providers and admins, who sign in with an email and a password.
//!
//! Items: the account at `USER#<id>`; `EMAIL#<email>` names the account of each email, so
//! that emails stay unique when two registrations race. gsi1 lists the accounts of each role
//! (`USERS#<role>`, newest first); gsi2 lists the members, clients and providers
//! (`MEMBERS`), which the admin list shows unless asked for admins; gsi3 lists the providers'
//! accounts in the order their providers were made (`PROVIDER_ACCOUNTS`). Each account is also
//! found by the prefixes of its names and email ([`search`]). Totals are counters moved in
//! the same transaction as the write that changes them (`users#<role>`).

pub mod operator;
pub mod search;
mod view;

pub use view::UserView;

use crate::role::Role;
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Placement, TxOp, Update};
use uuid::Uuid;
use web::auth::accounts::Credentials;
use web::{ApiResult, counters};

/// An account as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role: String,
    pub phone_number: Option<String>,
    pub country: Option<String>,
    pub gender: Option<String>,
    pub is_email_verified: bool,
    pub is_active: bool,
    pub last_login: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub password_hash: String,
    /// When the account became a provider's: the provider's own `createdAt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_since: Option<String>,
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

impl User {
    /// Where the account sits: its key, its role's list and, for a member, the members' list.
    pub fn placement(&self) -> Placement {
        let place = list_sort_key(&self.created_at, &self.id);
        let placement = Placement::new(key(&self.id)).listed(
            BY_ROLE,
            role_partition(&self.role),
            place.clone(),
        );
        if self.role == Role::Admin.as_str() {
            return placement;
        }
        let placement = placement.listed(MEMBERS, MEMBERS_PARTITION, place);
        match &self.provider_since {
            Some(since) if self.role == Role::Provider.as_str() => placement.listed(
                PROVIDER_ACCOUNTS,
                PROVIDER_ACCOUNTS_PARTITION,
                list_sort_key(since, &self.id),
            ),
            _ => placement,
        }
    }
}

pub fn key(id: &str) -> Key {
    Key::new(format!("USER#{id}"), "USER")
}

pub fn email_key(email: &str) -> Key {
    Key::new(format!("EMAIL#{email}"), "LOGIN")
}

/// The index accounts are listed in by role, newest first.
pub const BY_ROLE: Index = Index::Gsi1;
/// The index of the members (clients and providers), newest first.
pub const MEMBERS: Index = Index::Gsi2;
pub const MEMBERS_PARTITION: &str = "MEMBERS";
/// The index of the providers' accounts, in the order their providers were made, newest
/// first: the dashboard reads the latest providers' accounts beside the providers.
pub const PROVIDER_ACCOUNTS: Index = Index::Gsi3;
pub const PROVIDER_ACCOUNTS_PARTITION: &str = "PROVIDER_ACCOUNTS";

pub fn role_partition(role: &str) -> String {
    format!("USERS#{role}")
}

/// The counter of the accounts of `role`.
pub fn role_total(role: &str) -> String {
    format!("users#{role}")
}

fn list_sort_key(created_at: &str, id: &str) -> String {
    format!("{created_at}#{id}")
}

/// The condition of an email that names no account yet.
const EMAIL_GUARD: &str = "email_guard";

pub async fn find(store: &DynStore, id: &str) -> ApiResult<Option<User>> {
    store.get(&key(id)).await?.map(web::item::parse).transpose()
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

/// A new account's record, not yet stored.
pub struct NewUser {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone_number: Option<String>,
    pub country: Option<String>,
    pub gender: Option<String>,
    pub role: Role,
    pub password_hash: String,
}

impl NewUser {
    pub fn into_user(self, now: &str) -> User {
        User {
            id: Uuid::new_v4().to_string(),
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            role: self.role.as_str().to_owned(),
            phone_number: self.phone_number,
            country: self.country,
            gender: self.gender,
            is_email_verified: false,
            is_active: true,
            last_login: None,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
            password_hash: self.password_hash,
            provider_since: None,
        }
    }
}

/// The writes that store `user` as a new account: the account, its email's guard, its search
/// entries and its role's total. The transaction fails on [`EMAIL_GUARD`] when the email is
/// taken.
pub fn creation(user: &User) -> ApiResult<Vec<(&'static str, TxOp)>> {
    let account = user.placement().item(web::item::record(user)?);
    let mut guard = email_key(&user.email).to_item();
    guard.insert("userId".into(), user.id.clone().into());
    let mut ops = vec![
        (
            "user",
            TxOp::Put {
                item: account,
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
        ("total", counters::bump(role_total(&user.role), 1)),
        ("signups", crate::trends::signed_up(&user.created_at)),
    ];
    ops.extend(
        search::entries(user)
            .into_iter()
            .map(|item| ("search", TxOp::Put { item, cond: None })),
    );
    Ok(ops)
}

/// Whether a failed creation failed because the email names an account already.
pub fn email_taken(error: &store::StoreError) -> bool {
    error.failed(EMAIL_GUARD)
}

/// Stores `user` as a new account; `Ok(false)` when its email is taken.
pub async fn create(store: &DynStore, user: &User) -> ApiResult<bool> {
    match store.transact_named(creation(user)?).await {
        Ok(()) => Ok(true),
        Err(e) if email_taken(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The update that sets `isActive` (and `updatedAt`), on an account that exists.
pub fn set_active(id: &str, active: bool, now: &str) -> TxOp {
    TxOp::Update {
        key: key(id),
        update: Update::new().set("isActive", active).set("updatedAt", now),
        cond: Some(Cond::Exists),
    }
}

/// The update that records a sign-in.
pub fn signed_in(id: &str, now: &str) -> TxOp {
    TxOp::Update {
        key: key(id),
        update: Update::new().set("lastLogin", now),
        cond: Some(Cond::Exists),
    }
}

/// Gives `user` the role `role`: its lists, search entries and totals follow, in one
/// transaction with `also`.
pub fn role_change(user: &User, role: Role, now: &str) -> ApiResult<Vec<(&'static str, TxOp)>> {
    let mut moved = user.clone();
    moved.role = role.as_str().to_owned();
    moved.updated_at = now.to_owned();
    moved.provider_since = matches!(role, Role::Provider).then(|| now.to_owned());
    let item = moved.placement().item(web::item::record(&moved)?);
    let mut ops = vec![
        (
            "user",
            TxOp::Put {
                item,
                cond: Some(Cond::eq("role", user.role.clone())),
            },
        ),
        ("old_total", counters::bump(role_total(&user.role), -1)),
        ("new_total", counters::bump(role_total(role.as_str()), 1)),
    ];
    for key in search::keys(user) {
        ops.push(("search", TxOp::Delete { key, cond: None }));
    }
    for item in search::entries(&moved) {
        ops.push(("search", TxOp::Put { item, cond: None }));
    }
    Ok(ops)
}
