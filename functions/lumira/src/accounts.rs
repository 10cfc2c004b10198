//! Staff accounts: admins and experts, who sign in with an email and a password. They are
//! made by the admin command (`local-api admin create --product lumira`) or the demo data,
//! never by a route.
//!
//! Items: the account at `STAFF#<id>`; `STAFFLOGIN#<email>` names the account of each email,
//! so that emails stay unique when two creations race. gsi1 lists the accounts of each role
//! (`STAFFROLE#<role>`, by email): the experts told of a reading to validate.

use crate::role::Role;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use store::{Cond, DynStore, Index, Key, Query, TxOp, Update};
use web::ids::ObjectId;
use web::item::fields;
use web::{ApiError, ApiResult};

/// Shortest password a staff account may be given.
pub const MIN_PASSWORD_LEN: usize = 12;

/// A staff account as stored.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    #[serde(rename = "_id")]
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub created_at: String,
}

/// What clients see of an account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub id: String,
    pub email: String,
    pub name: String,
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

fn account_key(id: &str) -> Key {
    Key::new(format!("STAFF#{id}"), "STAFF")
}

fn login_key(email: &str) -> Key {
    Key::new(format!("STAFFLOGIN#{email}"), "LOGIN")
}

const LOGIN_GUARD: &str = "login_guard";

fn role_partition(role: Role) -> String {
    format!("STAFFROLE#{}", role.as_str())
}

/// The accounts of `role`, by email.
pub async fn with_role(store: &DynStore, role: Role) -> ApiResult<Vec<Account>> {
    let query = Query::partition(Index::Gsi1, role_partition(role));
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

pub async fn find_by_email(store: &DynStore, email: &str) -> ApiResult<Option<Account>> {
    let Some(guard) = store.get(&login_key(email)).await? else {
        return Ok(None);
    };
    let id = guard
        .get("accountId")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::internal("login guard without accountId"))?;
    find(store, id).await
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
        name => name.to_owned(),
    };
    Ok((name, email))
}

async fn hash(password: &str) -> ApiResult<String> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(ApiError::bad_request(format!(
            "A staff password has at least {MIN_PASSWORD_LEN} characters"
        )));
    }
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || web::password::hash(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
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
        Some(password) => Some(hash(password).await?),
        None => None,
    };
    if let Some(account) = find_by_email(store, &email).await? {
        let mut update = Update::new()
            .set("role", role.as_str())
            .set("gsi1pk", role_partition(role))
            .set("gsi1sk", email.as_str())
            .set("updatedAt", web::time::now());
        if let Some(hashed) = hashed {
            update = update.set("passwordHash", hashed);
        }
        let item = store
            .update(&account_key(&account.id), update, Some(Cond::Exists))
            .await?;
        return web::item::parse(item);
    }
    let hashed = hashed.ok_or_else(|| {
        ApiError::bad_request("A new staff account needs a password (--password-stdin)")
    })?;
    let id = ObjectId::new().to_string();
    let now = web::time::now();
    let mut account = account_key(&id).to_item();
    account.extend(fields(json!({
        "_id": id,
        "email": email,
        "name": name,
        "role": role.as_str(),
        "gsi1pk": role_partition(role),
        "gsi1sk": email,
        "passwordHash": hashed,
        "createdAt": now,
        "updatedAt": now,
    })));
    let mut guard = login_key(&email).to_item();
    guard.insert("accountId".into(), json!(id));
    let ops = vec![
        (
            LOGIN_GUARD,
            TxOp::Put {
                item: guard,
                cond: Some(Cond::NotExists),
            },
        ),
        (
            "account",
            TxOp::Put {
                item: account.clone(),
                cond: Some(Cond::NotExists),
            },
        ),
    ];
    match store.transact_named(ops).await {
        Ok(()) => web::item::parse(account),
        Err(e) if e.failed(LOGIN_GUARD) => Err(ApiError::conflict(
            "An account with this email was just created",
        )),
        Err(e) => Err(e.into()),
    }
}

/// The account of `email` if `password` is its password. An unknown email costs the same
/// time as a wrong password, and both get the same answer.
pub async fn check(store: &DynStore, email: &str, password: String) -> ApiResult<Account> {
    let account = find_by_email(store, email).await?;
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let matches = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => web::password::verify(&password, &hash),
        None => web::password::verify_absent(&password),
    })
    .await
    .map_err(ApiError::internal)?;
    match account {
        Some(account) if matches => Ok(account),
        _ => {
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
