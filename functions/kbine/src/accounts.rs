//! What an operator does to an account (`local-api admin ...`): create it or change its
//! role, set its password, shut it out or let it back in. Each change that a live token
//! vouched for ends the account's sessions at once: a token issued before it answers 401 on
//! its next request, and its refresh token is refused.

use crate::phone::PhoneNumber;
use crate::role::Role;
use crate::users::{
    self, BY_ROLE, User, find, find_account, find_or_create, phone_key, role_partition,
};
use store::{Cond, DynStore, TxOp, Update};
use web::auth::accounts::{self, Change};
use web::counters::bump;
use web::password::Problem;
use web::{ApiError, ApiResult};

/// The shortest password the admin command accepts (NIST SP 800-63B's floor is 8; staff
/// accounts see every client's data).
const MIN_PASSWORD_CHARS: usize = 12;

/// Creates the account of `phone` or changes its role: the admin command's bootstrap.
///
/// A staff or admin account needs a password (hashed with argon2 and kept on the phone guard,
/// which login reads anyway): `password` sets it, and without one the account must already
/// have one, or nothing is written. A new role or password ends every session of the account.
pub async fn ensure_user(
    store: &DynStore,
    phone: &PhoneNumber,
    role: Role,
    password: Option<&str>,
) -> ApiResult<User> {
    let existing = find_account(store, phone).await?;
    let has_password = existing
        .as_ref()
        .is_some_and(|account| account.password_hash.is_some());
    if role.signs_in_with_password() && password.is_none() && !has_password {
        return Err(ApiError::bad_request(
            "Mot de passe requis pour un compte staff ou admin",
        ));
    }
    // Hashed before anything is written: a refused password leaves no account behind.
    let hash = match password {
        Some(password) => Some(hash_password(password, phone).await?),
        None => None,
    };
    let role = role.as_str();
    let user = find_or_create(store, phone, role).await?;
    if let Some(hash) = &hash {
        store_password_hash(store, phone, hash).await?;
    }
    if user.role != role {
        change_role(store, phone, &user, role).await?;
    }
    if user.role != role || hash.is_some() {
        accounts::changed(store, &user.id.into(), Change::Everything).await?;
    }
    find(store, user.id)
        .await?
        .ok_or_else(|| ApiError::internal("user vanished"))
}

async fn change_role(
    store: &DynStore,
    phone: &PhoneNumber,
    user: &User,
    role: &str,
) -> ApiResult<()> {
    let now = web::time::now();
    store
        .transact(vec![
            TxOp::Update {
                key: users::user_key(user.id),
                update: Update::new()
                    .set("role", role)
                    .set("updated_at", now.as_str())
                    .relist(BY_ROLE, role_partition(role)),
                cond: Some(Cond::eq("role", user.role.as_str())),
            },
            // Login reads the role from the guard.
            TxOp::Update {
                key: phone_key(phone.as_str()),
                update: Update::new().set("role", role),
                cond: Some(Cond::attr_exists("user_id")),
            },
            bump(format!("users#{}", user.role), -1),
            bump(format!("users#{role}"), 1),
        ])
        .await?;
    Ok(())
}

/// Gives the account of `phone` a new password (its argon2 hash, on the phone guard); its
/// sessions end.
pub async fn set_password(store: &DynStore, phone: &PhoneNumber, password: &str) -> ApiResult<()> {
    let hash = hash_password(password, phone).await?;
    store_password_hash(store, phone, &hash).await?;
    if let Some(account) = find_account(store, phone).await? {
        accounts::changed(store, &account.id.into(), Change::Everything).await?;
    }
    Ok(())
}

/// Shuts the account of `phone` out, or lets it back in: on its user item and its phone
/// guard (which login reads) at once. Shutting it out ends its sessions.
pub async fn set_active(store: &DynStore, phone: &PhoneNumber, active: bool) -> ApiResult<User> {
    let account = find_account(store, phone)
        .await?
        .ok_or_else(|| ApiError::not_found("Utilisateur non trouvé"))?;
    store
        .transact(vec![
            TxOp::Update {
                key: users::user_key(account.id),
                update: Update::new()
                    .set("deactivated", !active)
                    .set("updated_at", web::time::now()),
                cond: Some(Cond::Exists),
            },
            TxOp::Update {
                key: phone_key(phone.as_str()),
                update: Update::new().set("deactivated", !active),
                cond: Some(Cond::attr_exists("user_id")),
            },
        ])
        .await?;
    if !active {
        accounts::changed(store, &account.id.into(), Change::Everything).await?;
    }
    find(store, account.id)
        .await?
        .ok_or_else(|| ApiError::internal("user vanished"))
}

/// The argon2 hash of an acceptable password for the account of `phone` (Django's default
/// validators, at 12 characters), computed off the request's thread.
async fn hash_password(password: &str, phone: &PhoneNumber) -> ApiResult<String> {
    let attributes = [("phone_number", phone.as_str())];
    let problems = web::password::problems(password, MIN_PASSWORD_CHARS, &attributes);
    if let Some(problem) = problems.first() {
        let message = match problem {
            Problem::TooShort { min } => {
                format!("Le mot de passe doit contenir au moins {min} caractères")
            }
            Problem::TooCommon => "Ce mot de passe est trop courant".into(),
            Problem::EntirelyNumeric => {
                "Le mot de passe ne peut pas être entièrement numérique".into()
            }
            Problem::TooSimilar { .. } => {
                "Le mot de passe ressemble trop au numéro de téléphone".into()
            }
        };
        return Err(ApiError::bad_request(message));
    }
    accounts::hash_password(password).await
}

async fn store_password_hash(store: &DynStore, phone: &PhoneNumber, hash: &str) -> ApiResult<()> {
    store
        .update(
            &phone_key(phone.as_str()),
            Update::new().set("password_hash", hash),
            Some(Cond::attr_exists("user_id")),
        )
        .await?;
    Ok(())
}
