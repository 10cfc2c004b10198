//! Accounts: a Django user with CV Builder's profile fields (`cvbuilder.md` 1.1, 1.4).
//!
//! Items: the user at `USER#<id>`; `USERNAME#<username>` and `EMAIL#<email>` (both lower
//! case) name the user of each, so that both stay unique when two registrations race: the
//! three are written in one transaction.

use crate::role::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::{Cond, DynStore, Item, Key, Placement, StoreError, TxOp, Update};
use web::auth::accounts::{self, Change, Credentials};
use web::error::FieldErrors;
use web::{ApiError, ApiResult};

/// A user as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub is_premium: bool,
    pub subscription_type: Option<String>,
    pub subscription_end_date: Option<String>,
    /// The subscription's status as Stripe reports it (annex E: `active`, `canceled`,
    /// `past_due`, `incomplete`, `trialing`); none before a first subscription.
    #[serde(default)]
    pub subscription_status: Option<String>,
    /// The Stripe subscription the fields above describe.
    #[serde(default)]
    pub stripe_subscription_id: Option<String>,
    pub created_at: String,
    pub role: String,
    pub password_hash: String,
    /// Shut out by an operator (`local-api admin deactivate`): Django's `is_active` false.
    #[serde(default)]
    pub deactivated: bool,
}

// A user as the API shows one (`cvbuilder.md` 1.4).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = User)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    #[schema(required = true)]
    pub phone: Option<String>,
    pub is_premium: bool,
    #[schema(value_type = Option<crate::openapi::schemas::SubscriptionType>, inline, required = true)]
    pub subscription_type: Option<String>,
    #[schema(format = DateTime, example = json!("2025-10-29T10:30:00Z"), required = true)]
    pub subscription_end_date: Option<String>,
    #[schema(format = DateTime, example = json!("2025-10-29T10:30:00Z"))]
    pub created_at: String,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        UserView {
            id: user.id,
            username: user.username,
            email: user.email,
            first_name: user.first_name,
            last_name: user.last_name,
            phone: user.phone,
            is_premium: user.is_premium,
            subscription_type: user.subscription_type,
            subscription_end_date: user.subscription_end_date,
            created_at: user.created_at,
        }
    }
}

/// What registering asks for, checked.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub role: Role,
}

impl User {
    /// What a new password must not resemble (Django's `UserAttributeSimilarityValidator`).
    pub fn attributes(&self) -> [(&'static str, &str); 4] {
        [
            ("username", self.username.as_str()),
            ("first_name", self.first_name.as_str()),
            ("last_name", self.last_name.as_str()),
            ("email", self.email.as_str()),
        ]
    }
}

impl web::auth::accounts::Account for User {
    fn credentials(&self) -> Credentials<'_> {
        Credentials {
            id: self.id.into(),
            role: &self.role,
            password_hash: Some(&self.password_hash),
            active: !self.deactivated,
        }
    }
}

fn user_key(id: i64) -> Key {
    Key::new(format!("USER#{}", web::counters::padded(id)), "USER")
}

fn username_key(username: &str) -> Key {
    Key::new(format!("USERNAME#{}", username.to_lowercase()), "GUARD")
}

fn email_key(email: &str) -> Key {
    Key::new(format!("EMAIL#{}", email.to_lowercase()), "GUARD")
}

fn guard(key: Key, user_id: i64) -> TxOp {
    let mut item = key.to_item();
    item.insert("user_id".into(), user_id.into());
    TxOp::Put {
        item,
        cond: Some(Cond::NotExists),
    }
}

pub fn username_taken() -> &'static str {
    "This username is already taken."
}

pub fn email_taken() -> &'static str {
    "This email is already registered."
}

/// Whether `username` or `email` already name a user, as the field errors of a form.
pub async fn taken(store: &DynStore, username: &str, email: &str) -> ApiResult<FieldErrors> {
    let found = store
        .get_many(&[username_key(username), email_key(email)])
        .await?;
    let mut errors = FieldErrors::new();
    if found.first().is_some_and(Option::is_some) {
        errors.add("username", username_taken());
    }
    if found.get(1).is_some_and(Option::is_some) {
        errors.add("email", email_taken());
    }
    Ok(errors)
}

/// Creates the account, with its unique username and email; a race lost to another
/// registration answers the same field errors as a name found taken.
pub async fn create(store: &DynStore, new: NewUser) -> ApiResult<User> {
    let password_hash = accounts::hash_password(&new.password).await?;
    let id = web::counters::next_id(store, "user").await?;
    let user = User {
        id,
        username: new.username,
        email: new.email,
        first_name: new.first_name,
        last_name: new.last_name,
        phone: new.phone,
        is_premium: false,
        subscription_type: None,
        subscription_end_date: None,
        subscription_status: None,
        stripe_subscription_id: None,
        created_at: web::time::format_seconds(chrono::Utc::now()),
        role: new.role.as_str().into(),
        password_hash,
        deactivated: false,
    };
    let ops = vec![
        (
            "user",
            TxOp::Put {
                item: item_of(&user)?,
                cond: Some(Cond::NotExists),
            },
        ),
        ("username", guard(username_key(&user.username), id)),
        ("email", guard(email_key(&user.email), id)),
    ];
    match store.transact_named(ops).await {
        Ok(()) => Ok(user),
        Err(e) if e.is_condition_failed() => Err(if e.failed("username") {
            ApiError::field("username", username_taken())
        } else {
            ApiError::field("email", email_taken())
        }),
        Err(e) => Err(e.into()),
    }
}

fn item_of(user: &User) -> ApiResult<Item> {
    Ok(Placement::new(user_key(user.id)).item(web::item::record(user)?))
}

pub async fn find(store: &DynStore, id: i64) -> ApiResult<Option<User>> {
    store
        .get(&user_key(id))
        .await?
        .map(web::item::parse)
        .transpose()
}

/// The user whose email is `email` (any case).
pub async fn find_by_email(store: &DynStore, email: &str) -> ApiResult<Option<User>> {
    let Some(guard) = store.get(&email_key(email)).await? else {
        return Ok(None);
    };
    let id = guard
        .get("user_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::internal("email guard without user_id"))?;
    find(store, id).await
}

/// Sets the given fields of the user `id`, who must exist; returns the user after.
pub async fn change(store: &DynStore, id: i64, update: Update) -> ApiResult<User> {
    if update.is_empty() {
        return find(store, id).await?.ok_or_else(gone);
    }
    let item = store
        .update(&user_key(id), update, Some(Cond::attr_exists("pk")))
        .await
        .map_err(|e| match e {
            StoreError::ConditionFailed { .. } => gone(),
            other => other.into(),
        })?;
    web::item::parse(item)
}

/// The step that applies `update` to user `id`, if the user is still there.
pub fn change_op(id: i64, update: Update) -> TxOp {
    TxOp::Update {
        key: user_key(id),
        update,
        cond: Some(Cond::attr_exists("pk")),
    }
}

/// A token's user who is no longer there.
fn gone() -> ApiError {
    web::auth::invalid_token()
}

/// Shuts the account of `email` out (Django's `is_active` false), or lets it back in.
/// Shutting it out ends its sessions.
pub async fn set_active(store: &DynStore, email: &str, active: bool) -> ApiResult<User> {
    let user = find_by_email(store, email)
        .await?
        .ok_or_else(|| ApiError::not_found("no account has this email"))?;
    let update = Update::new().set("deactivated", !active);
    let user = change(store, user.id, update).await?;
    if !active {
        accounts::changed(store, &user.id.into(), Change::Everything).await?;
    }
    Ok(user)
}

/// Creates the account of `email` with `role`, or gives an existing one that role (and
/// `password`, when given): the admin command, the demo data and the harnesses' callers.
pub async fn ensure(
    store: &DynStore,
    email: &str,
    role: Role,
    password: Option<&str>,
) -> ApiResult<User> {
    let existing = find_by_email(store, email).await?;
    if let Some(password) = password {
        let attributes = match &existing {
            Some(user) => user.attributes().to_vec(),
            None => vec![("email", email)],
        };
        let problems = crate::auth::password_problems(password, &attributes);
        if !problems.is_empty() {
            return Err(ApiError::bad_request(problems.join(" ")));
        }
    }
    if let Some(user) = existing {
        let mut update = Update::new().set("role", role.as_str());
        if let Some(password) = password {
            let hash = accounts::hash_password(password).await?;
            update = update.set("password_hash", hash);
        }
        let stale = user.role != role.as_str() || password.is_some();
        let user = change(store, user.id, update).await?;
        // A new role or password ends every session.
        if stale {
            accounts::changed(store, &user.id.into(), Change::Everything).await?;
        }
        return Ok(user);
    }
    let Some(password) = password else {
        return Err(ApiError::bad_request("a new account needs a password"));
    };
    let username = email.split('@').next().unwrap_or(email).to_string();
    create(
        store,
        NewUser {
            username: format!(
                "{username}-{}",
                &uuid::Uuid::new_v4().simple().to_string()[..6]
            ),
            email: email.to_string(),
            password: password.to_string(),
            first_name: String::new(),
            last_name: String::new(),
            phone: None,
            role,
        },
    )
    .await
}
