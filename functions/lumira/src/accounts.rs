//! Staff accounts: admins and experts, who sign in with an email and a password. They are
//! made by the admin command (`local-api admin create --product lumira`) or the demo data,
//! never by a route.
//!
//! Items: the account at `STAFF#<id>`; `STAFFLOGIN#<email>` names the account of each email,
//! so that emails stay unique when two creations race, and holds a copy of what signing in
//! reads (written with the account, in one transaction), so a login is one read. gsi1 lists
//! the accounts of each role (`STAFFROLE#<role>`, by email): the experts told of a reading to
//! validate.

use crate::role::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::{Cond, DynStore, Index, IndexEntry, Item, Key, Placement, Query, TxOp, Update};
use web::auth::accounts::{self, Candidate, Change, Credentials, SignIn};
use web::ids::ObjectId;
use web::password::Problem;
use web::rate_limit::LoginThrottle;
use web::{ApiError, ApiResult};

/// Shortest password a staff account may be given.
pub const MIN_PASSWORD_LEN: usize = 12;

/// A staff account as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    #[serde(rename = "_id")]
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub created_at: String,
    /// Shut out by an operator (`local-api admin deactivate`): no login, no refresh.
    #[serde(default)]
    pub deactivated: bool,
}

// What clients see of an account.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = Account)]
pub struct AccountView {
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    pub id: String,
    pub email: String,
    pub name: String,
    #[schema(value_type = crate::openapi::schemas::StaffRole, inline)]
    pub role: String,
}

impl From<&Account> for AccountView {
    fn from(account: &Account) -> Self {
        AccountView {
            id: account.id.clone(),
            email: account.email.clone(),
            name: account.name.clone(),
            role: account.role.clone(),
        }
    }
}

impl web::auth::accounts::Account for Account {
    fn credentials(&self) -> Credentials<'_> {
        Credentials {
            id: (&self.id).into(),
            role: &self.role,
            password_hash: Some(&self.password_hash),
            active: !self.deactivated,
        }
    }
}

fn account_key(id: &str) -> Key {
    Key::new(format!("STAFF#{id}"), "STAFF")
}

fn login_key(email: &str) -> Key {
    Key::new(format!("STAFFLOGIN#{email}"), "LOGIN")
}

const LOGIN_GUARD: &str = "login_guard";

/// The index staff accounts are listed in, by role and email.
const BY_ROLE: Index = Index::Gsi1;

/// An account's entry in [`BY_ROLE`].
fn role_entry(role: Role, email: &str) -> IndexEntry {
    IndexEntry::new(BY_ROLE, role_partition(role), email)
}

fn role_partition(role: Role) -> String {
    format!("STAFFROLE#{}", role.as_str())
}

/// The accounts of `role`, by email.
pub async fn with_role(store: &DynStore, role: Role) -> ApiResult<Vec<Account>> {
    let query = Query::partition(BY_ROLE, role_partition(role));
    web::pagination::read_all(store, query)
        .await?
        .into_iter()
        .map(web::item::parse)
        .collect()
}

pub async fn find(store: &DynStore, id: &str) -> ApiResult<Option<Account>> {
    store
        .get(&account_key(id))
        .await?
        .map(web::item::parse)
        .transpose()
}

/// The account of `email`, in one read when its login item holds the sign-in copy (every
/// account written since it does), else from the account item it names.
pub async fn find_by_email(store: &DynStore, email: &str) -> ApiResult<Option<Account>> {
    let Some(guard) = store.get(&login_key(email)).await? else {
        return Ok(None);
    };
    if guard.contains_key("passwordHash") {
        return web::item::parse(guard).map(Some);
    }
    let id = guard
        .get("accountId")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::internal("login guard without accountId"))?;
    find(store, id).await
}

/// The login item of `account`: who the email belongs to, and the sign-in copy.
fn login_item(account: &Account) -> ApiResult<Item> {
    let mut item = login_key(&account.email).to_item();
    item.extend(sign_in_copy(account)?);
    Ok(item)
}

/// What a login item keeps of its account, so that a sign-in reads one item: the account,
/// and its id under the name the login guard has always used.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignInCopy<'a> {
    account_id: &'a str,
    #[serde(flatten)]
    account: &'a Account,
}

fn sign_in_copy(account: &Account) -> ApiResult<Item> {
    web::item::record(&SignInCopy {
        account_id: &account.id,
        account,
    })
}

/// An account item: the account and when it last changed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountRecord<'a> {
    #[serde(flatten)]
    account: &'a Account,
    updated_at: &'a str,
}

/// The update that writes `account`'s whole sign-in copy on its login item.
fn copy_update(account: &Account) -> ApiResult<Update> {
    Ok(sign_in_copy(account)?
        .into_iter()
        .fold(Update::new(), |update, (attr, value)| {
            update.set(&attr, value)
        }))
}

/// An operator's way of naming an account: `jean@example.com`, or `Jean Dupont
/// <jean@example.com>` to give it a display name (by default the email's local part).
pub fn parse_login(text: &str) -> ApiResult<(String, String)> {
    let (name, address) = match text.split_once('<') {
        Some((name, rest)) => (name.trim(), rest.trim_end().trim_end_matches('>')),
        None => ("", text),
    };
    let email = web::validate::email(address)
        .ok_or_else(|| ApiError::bad_request("A valid email address is required"))?;
    let name = match name {
        "" => email.split('@').next().unwrap_or_default().to_owned(),
        name if web::text::hides_or_reorders(name) => {
            return Err(ApiError::bad_request(
                "A name may not hold control characters",
            ));
        }
        name => name.to_owned(),
    };
    Ok((name, email))
}

/// The argon2 hash of an acceptable staff password for `name <email>` (Django's default
/// validators, at 12 characters).
async fn hash(password: &str, name: &str, email: &str) -> ApiResult<String> {
    let attributes = [("name", name), ("email", email)];
    let problems = web::password::problems(password, MIN_PASSWORD_LEN, &attributes);
    if let Some(problem) = problems.first() {
        let message = match problem {
            Problem::TooShort { min } => format!("A staff password has at least {min} characters"),
            Problem::TooCommon => "This password is too common".into(),
            Problem::EntirelyNumeric => "This password is entirely numeric".into(),
            Problem::TooSimilar { attribute } => {
                format!("This password is too similar to the account's {attribute}")
            }
        };
        return Err(ApiError::bad_request(message));
    }
    accounts::hash_password(password).await
}

/// Creates the account `login` with `role`, or gives the existing one `role` (and
/// `password` when one is given). A new account needs a password.
pub async fn ensure(
    store: &DynStore,
    login: &str,
    role: Role,
    password: Option<&str>,
) -> ApiResult<Account> {
    if !role.is_staff() {
        return Err(ApiError::bad_request(
            "Staff accounts are experts or admins; clients sign in to their sanctuaire",
        ));
    }
    let (name, email) = parse_login(login)?;
    let hashed = match password {
        Some(password) => Some(hash(password, &name, &email).await?),
        None => None,
    };
    if let Some(account) = find_by_email(store, &email).await? {
        return change(store, account, role, hashed).await;
    }
    let hashed = hashed.ok_or_else(|| {
        ApiError::bad_request("A new staff account needs a password (--password-stdin)")
    })?;
    let id = ObjectId::new().to_string();
    let now = web::time::now();
    let account = Account {
        id: id.clone(),
        email: email.clone(),
        name,
        role: role.as_str().to_owned(),
        password_hash: hashed,
        created_at: now.clone(),
        deactivated: false,
    };
    let placement = Placement::new(account_key(&id));
    let item = placement
        .listed(BY_ROLE, role_partition(role), email)
        .item(web::item::record(&AccountRecord {
            account: &account,
            updated_at: &now,
        })?);
    let ops = vec![
        (
            LOGIN_GUARD,
            TxOp::Put {
                item: login_item(&account)?,
                cond: Some(Cond::NotExists),
            },
        ),
        (
            "account",
            TxOp::Put {
                item,
                cond: Some(Cond::NotExists),
            },
        ),
    ];
    match store.transact_named(ops).await {
        Ok(()) => Ok(account),
        Err(e) if e.failed(LOGIN_GUARD) => Err(ApiError::conflict(
            "An account with this email was just created",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Gives `account` its new `role` (and password), on the account and its login item at once.
/// A new role or password ends every session of the account.
async fn change(
    store: &DynStore,
    account: Account,
    role: Role,
    hashed: Option<String>,
) -> ApiResult<Account> {
    let stale = account.role != role.as_str() || hashed.is_some();
    let account = Account {
        role: role.as_str().to_owned(),
        password_hash: hashed.unwrap_or(account.password_hash),
        ..account
    };
    let update = Update::new()
        .set("role", role.as_str())
        .set("passwordHash", account.password_hash.as_str())
        .place(role_entry(role, &account.email))
        .set("updatedAt", web::time::now());
    // The whole copy, not the changed fields: a login item from before the copy gets it.
    let copy = copy_update(&account)?;
    let ops = vec![
        (
            "account",
            TxOp::Update {
                key: account_key(&account.id),
                update,
                cond: Some(Cond::Exists),
            },
        ),
        (
            LOGIN_GUARD,
            TxOp::Update {
                key: login_key(&account.email),
                update: copy,
                cond: Some(Cond::Exists),
            },
        ),
    ];
    store.transact_named(ops).await?;
    if stale {
        accounts::changed(store, &(&account.id).into(), Change::Everything).await?;
    }
    Ok(account)
}

/// Shuts the account of `login` out, or lets it back in: on its account and login items at
/// once. Shutting it out ends its sessions.
pub async fn set_active(store: &DynStore, login: &str, active: bool) -> ApiResult<Account> {
    let (_, email) = parse_login(login)?;
    let account = find_by_email(store, &email)
        .await?
        .ok_or_else(|| ApiError::not_found("No staff account has this email"))?;
    let account = Account {
        deactivated: !active,
        ..account
    };
    let ops = vec![
        TxOp::Update {
            key: account_key(&account.id),
            update: Update::new()
                .set("deactivated", !active)
                .set("updatedAt", web::time::now()),
            cond: Some(Cond::Exists),
        },
        // The whole copy, which carries the flag: a login item from before the copy gets it.
        TxOp::Update {
            key: login_key(&account.email),
            update: copy_update(&account)?,
            cond: Some(Cond::Exists),
        },
    ];
    store.transact(ops).await?;
    if !active {
        accounts::changed(store, &(&account.id).into(), Change::Everything).await?;
    }
    Ok(account)
}

/// `account` if `password` is its password; `None` is the account of an unknown email,
/// which costs the same time as a wrong password and gets the same answer.
pub async fn verify(
    throttle: &LoginThrottle,
    email: &str,
    account: Candidate<Account>,
    password: String,
) -> ApiResult<Account> {
    match accounts::check_password(throttle, email, account, password).await? {
        SignIn::Admitted(account) => Ok(account),
        SignIn::Deactivated(_) => Err(ApiError::forbidden("This account has been deactivated")),
        SignIn::WrongCredentials => {
            tracing::warn!("staff login refused");
            Err(ApiError::unauthorized("Invalid email or password"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_give_a_name_and_a_normalised_email() {
        assert_eq!(
            parse_login("Jean Dupont <Jean@Example.com>").unwrap(),
            ("Jean Dupont".into(), "jean@example.com".into())
        );
        assert_eq!(
            parse_login("expert@oraclelumira.com").unwrap(),
            ("expert".into(), "expert@oraclelumira.com".into())
        );
        assert!(parse_login("Jean <not an email>").is_err());
        assert!(parse_login("").is_err());
    }
}
