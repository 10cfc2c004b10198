//! What an operator does to accounts outside the API (`local-api admin create --product
//! paiecashfan`, the demo data): give an account a role, a password, or shut it out. Each
//! change ends the account's sessions, so no token outlives what it vouched for.

use super::{NewUser, User, find_by_email};
use crate::role::Role;
use store::{DynStore, TxOp, Update};
use web::auth::accounts::{self, Change};
use web::{ApiError, ApiResult};

/// The club an account made by an operator supports until its owner says otherwise.
const OPERATOR_CLUB: &str = "psg";

/// The account `email` with `role`, created with `password` when absent (a new account
/// needs one), else given `role` and, when one is given, `password`.
pub async fn ensure(
    store: &DynStore,
    email: &str,
    role: Role,
    password: Option<&str>,
) -> ApiResult<User> {
    let email = web::validate::email(email)
        .ok_or_else(|| ApiError::bad_request("the login must be an email address"))?;
    let hashed = match password {
        Some(password) => {
            let problems = crate::auth::password_problems(password, &[("email", &email)]);
            if !problems.is_empty() {
                return Err(ApiError::bad_request(problems.join("; ")));
            }
            Some(accounts::hash_password(password).await?)
        }
        None => None,
    };
    let now = web::time::now();
    if let Some(user) = find_by_email(store, &email).await? {
        let mut ops = Vec::new();
        if user.role != role.as_str() {
            ops.extend(super::role_change(&user, role, &now));
        }
        if let Some(hash) = &hashed {
            let update = Update::new()
                .set("passwordHash", hash.clone())
                .set("updatedAt", now.clone());
            let key = super::key(&user.id);
            ops.push((
                "password",
                TxOp::Update {
                    key,
                    update,
                    cond: None,
                },
            ));
        }
        if ops.is_empty() {
            return Ok(user);
        }
        store.transact_named(ops).await?;
        accounts::changed(store, &(&user.id).into(), Change::Everything).await?;
        return Ok(User {
            role: role.as_str().to_owned(),
            ..user
        });
    }
    let hashed = hashed.ok_or_else(|| {
        ApiError::bad_request("A new account needs a password (--password-stdin)")
    })?;
    let name = email.split('@').next().unwrap_or_default().to_owned();
    let user = NewUser {
        email: email.clone(),
        name,
        club_id: OPERATOR_CLUB.to_owned(),
        role,
        password_hash: hashed,
    }
    .into_user(&now);
    if !super::create(store, &user).await? {
        return Err(ApiError::conflict("this email names an account already"));
    }
    Ok(user)
}

/// Shuts the account `email` out, ending its sessions, or lets it back in.
pub async fn set_active(store: &DynStore, email: &str, active: bool) -> ApiResult<User> {
    let email = web::validate::email(email)
        .ok_or_else(|| ApiError::bad_request("the login must be an email address"))?;
    let user = find_by_email(store, &email)
        .await?
        .ok_or_else(|| ApiError::not_found("No account has this email"))?;
    store
        .transact(vec![super::set_active(&user.id, active, &web::time::now())])
        .await?;
    if !active {
        accounts::changed(store, &(&user.id).into(), Change::Everything).await?;
    }
    Ok(User {
        is_active: active,
        ..user
    })
}
