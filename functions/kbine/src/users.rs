//! Users: the profile of the caller, and the admin list. Accounts are created on first login
//! (`auth`) or by the admin command (`ensure_user`).

use crate::AppState;
use crate::openapi::Error;
use crate::phone::PhoneNumber;
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use store::{Cond, DynStore, Index, Item, Key, Placement, Query, TxOp};
use web::auth::AuthUser;
use web::auth::accounts::Credentials;
use web::counters::{self, bump, list_sort_key};
use web::extract::Query as QueryParams;
use web::pagination::{Pager, read_page};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::Choice;
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(profile, Access::AnyUser),
        route!(list, Access::Roles(Role::ADMIN)),
    ]
}

/// A user as stored (its record).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub phone_number: String,
    pub role: String,
    pub created_at: String,
    pub updated_at: String,
    /// Shut out by an operator (`local-api admin deactivate`): no login, no refresh.
    #[serde(default)]
    pub deactivated: bool,
}

/// What login needs of a user, which the phone guard carries: read in one store call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub phone_number: String,
    pub role: String,
    /// The argon2 hash a staff or admin account logs in with (on the phone guard).
    pub password_hash: Option<String>,
    /// Whether it may sign in (an operator can shut it out).
    pub active: bool,
}

impl Account {
    /// Whether login needs this account's password beside its number.
    pub fn signs_in_with_password(&self) -> bool {
        Role::parse(&self.role).is_some_and(Role::signs_in_with_password)
    }
}

impl From<User> for Account {
    fn from(user: User) -> Self {
        Account {
            id: user.id,
            phone_number: user.phone_number,
            role: user.role,
            password_hash: None,
            active: !user.deactivated,
        }
    }
}

impl web::auth::accounts::Account for Account {
    fn credentials(&self) -> Credentials<'_> {
        Credentials {
            id: self.id.into(),
            role: &self.role,
            password_hash: self.password_hash.as_deref(),
            active: self.active,
        }
    }
}

pub fn user_key(id: i64) -> Key {
    Key::new(format!("USER#{id}"), "PROFILE")
}

pub(crate) fn phone_key(phone: &str) -> Key {
    Key::new(format!("PHONE#{phone}"), "PHONE")
}

/// A user's key layout: listed with every user (gsi1) and by role (gsi2), newest first.
fn placement(id: i64, role: &str, sort_key: &str) -> Placement {
    Placement::new(user_key(id))
        .listed(ALL, "USERS", sort_key)
        .listed(BY_ROLE, role_partition(role), sort_key)
}

/// The indexes users are listed in.
const ALL: Index = Index::Gsi1;
pub(crate) const BY_ROLE: Index = Index::Gsi2;

pub(crate) fn role_partition(role: &str) -> String {
    format!("USERS#{role}")
}

fn parse_user(item: Item) -> ApiResult<User> {
    web::item::parse(item)
}

pub async fn find(store: &DynStore, id: i64) -> ApiResult<Option<User>> {
    store.get(&user_key(id)).await?.map(parse_user).transpose()
}

pub async fn find_by_phone(store: &DynStore, phone: &PhoneNumber) -> ApiResult<Option<User>> {
    let Some(guard) = store.get(&phone_key(phone.as_str())).await? else {
        return Ok(None);
    };
    find(store, guarded_id(&guard)?).await
}

/// The account of `phone`, from its phone guard alone when the guard carries the role (every
/// guard written since the role was put on it; older ones send us to the user item).
pub async fn find_account(store: &DynStore, phone: &PhoneNumber) -> ApiResult<Option<Account>> {
    let Some(guard) = store.get(&phone_key(phone.as_str())).await? else {
        return Ok(None);
    };
    let id = guarded_id(&guard)?;
    let password_hash = guard
        .get("password_hash")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(role) = guard.get("role").and_then(Value::as_str) {
        return Ok(Some(Account {
            id,
            phone_number: phone.as_str().to_owned(),
            role: role.to_owned(),
            password_hash,
            active: guard.get("deactivated") != Some(&Value::Bool(true)),
        }));
    }
    Ok(find(store, id).await?.map(|user| Account {
        password_hash,
        ..Account::from(user)
    }))
}

pub(crate) fn guarded_id(guard: &Item) -> ApiResult<i64> {
    guard
        .get("user_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::internal("phone guard without user_id"))
}

/// Creates the account of `phone` with `role`, or returns the one that exists. The phone
/// guard item, written in the same transaction, keeps numbers unique even when two first
/// logins race.
pub async fn find_or_create(store: &DynStore, phone: &PhoneNumber, role: &str) -> ApiResult<User> {
    let (account, _) = find_or_create_with(store, phone, role, |_| Ok(Vec::new())).await?;
    find(store, account.id)
        .await?
        .ok_or_else(|| ApiError::internal("user vanished"))
}

/// [`find_or_create`], committing the writes `with(id)` gives in the transaction that
/// creates the account. Answers the account and whether this call created it: only then
/// were `with`'s writes made.
pub async fn find_or_create_with(
    store: &DynStore,
    phone: &PhoneNumber,
    role: &str,
    with: impl FnOnce(i64) -> ApiResult<Vec<TxOp>>,
) -> ApiResult<(Account, bool)> {
    if let Some(account) = find_account(store, phone).await? {
        return Ok((account, false));
    }
    create_with(store, phone, role, with).await
}

/// Creates the account of a number [`find_account`] found no account for, committing the
/// writes `with(id)` gives in the same transaction; if another request created it first,
/// answers that account (and `false`: `with`'s writes were not made).
/// The item that keeps phone numbers unique (and carries the account's id, role, password
/// hash and whether it is shut out).
const PHONE_GUARD: &str = "phone_guard";

pub async fn create_with(
    store: &DynStore,
    phone: &PhoneNumber,
    role: &str,
    with: impl FnOnce(i64) -> ApiResult<Vec<TxOp>>,
) -> ApiResult<(Account, bool)> {
    let id = counters::next_id(store, "user").await?;
    let now = web::time::now();
    let mut guard = phone_key(phone.as_str()).to_item();
    guard.insert("user_id".into(), json!(id));
    guard.insert("role".into(), json!(role));
    let record = User {
        id,
        phone_number: phone.as_str().to_owned(),
        role: role.to_owned(),
        created_at: now.clone(),
        updated_at: now.clone(),
        deactivated: false,
    };
    let user = placement(id, role, &list_sort_key(&now, id)).item(web::item::record(&record)?);
    let mut ops = vec![
        (
            PHONE_GUARD,
            TxOp::Put {
                item: guard,
                cond: Some(Cond::NotExists),
            },
        ),
        (
            "user",
            TxOp::Put {
                item: user.clone(),
                cond: Some(Cond::NotExists),
            },
        ),
        ("totals", bump("users", 1)),
        ("totals", bump(format!("users#{role}"), 1)),
    ];
    ops.extend(with(id)?.into_iter().map(|op| ("with_the_user", op)));
    match store.transact_named(ops).await {
        Ok(()) => Ok((parse_user(user)?.into(), true)),
        // Another request created this number first: use its account.
        Err(e) if e.failed(PHONE_GUARD) => {
            let account = find_account(store, phone)
                .await?
                .ok_or_else(|| ApiError::internal("phone guard vanished"))?;
            Ok((account, false))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(description = "Profil d'un utilisateur.")]
#[schema(as = User)]
struct Profile {
    #[schema(example = json!(1))]
    id: i64,
    #[schema(value_type = crate::openapi::schemas::PhoneNumber)]
    phone_number: String,
    #[schema(value_type = crate::openapi::schemas::Role)]
    role: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    updated_at: String,
}

#[utoipa::path(
    get,
    path = "/api/users/profile",
    tag = "Utilisateurs",
    operation_id = "getProfile",
    summary = "Obtenir le profil",
    description = "Récupère les informations du profil de l'utilisateur connecté.",
    responses(
        (status = 200, description = "Profil.", body = Profile, example = json!({"id": 1, "phone_number": "0701020304", "role": "client", "created_at": "2025-01-15T10:30:00.000Z", "updated_at": "2025-01-15T10:30:00.000Z"})),
        (status = 404, description = "Utilisateur supprimé.", body = Error, example = json!({"error": "Utilisateur non trouvé"})),
    )
)]
async fn profile(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<Profile>> {
    let user = find(&state.store, caller.int_id()?)
        .await?
        .ok_or_else(|| ApiError::not_found("Utilisateur non trouvé"))?;
    Ok(Json(Profile {
        id: user.id,
        phone_number: user.phone_number,
        role: user.role,
        created_at: user.created_at,
        updated_at: user.updated_at,
    }))
}

/// The list's query, as sent (each value is checked with its own message).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// Filtrer par rôle.
    #[param(value_type = Option<Role>)]
    role: Option<String>,
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Éléments par page (entier ≥ 1, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 20)]
    limit: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(description = "Utilisateur dans une liste.")]
#[schema(as = UserSummary)]
struct ListedUser {
    #[schema(example = json!(1))]
    id: i64,
    #[schema(value_type = crate::openapi::schemas::PhoneNumber)]
    phone_number: String,
    #[schema(value_type = crate::openapi::schemas::Role)]
    role: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    created_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(description = "Pagination des listes d'utilisateurs et de commandes.")]
pub struct Pagination {
    /// Numéro de page.
    #[schema(example = json!(1), minimum = 1)]
    pub page: u32,
    /// Éléments par page.
    #[schema(example = json!(20), minimum = 1)]
    pub limit: u32,
    /// Nombre total d'éléments.
    #[schema(example = json!(150))]
    pub total: u64,
    /// Nombre de pages.
    #[serde(rename = "totalPages")]
    #[schema(example = json!(8))]
    pub total_pages: u64,
}

impl Pagination {
    pub fn new(pager: Pager, total: u64) -> Self {
        Pagination {
            page: pager.page,
            limit: pager.limit,
            total,
            total_pages: pager.total_pages(total),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct UserList {
    users: Vec<ListedUser>,
    pagination: Pagination,
}

#[utoipa::path(
    get,
    path = "/api/users",
    tag = "Utilisateurs",
    operation_id = "listUsers",
    summary = "Liste des utilisateurs (Admin)",
    description = "Liste tous les utilisateurs, du plus récent au plus ancien.\n\n**Permissions :** Admin uniquement.",
    params(ListParams),
    responses(
        (status = 200, description = "Une page d'utilisateurs.", body = UserList, example = json!({"users": [{"id": 1, "phone_number": "0701020304", "role": "client", "created_at": "2025-01-15T10:30:00.000Z"}, {"id": 2, "phone_number": "0501020304", "role": "staff", "created_at": "2025-01-14T09:20:00.000Z"}], "pagination": {"page": 1, "limit": 20, "total": 150, "totalPages": 8}})),
        (status = 400, description = "Paramètre invalide.", body = Error, examples(("e1" = (summary = "Rôle invalide", value = json!({"error": "Rôle invalide", "details": "Les rôles valides sont: client, staff, admin"}))), ("e2" = (summary = "Paramètres de pagination invalides", value = json!({"error": "Paramètres de pagination invalides", "details": "page doit être un entier positif"}))))),
    )
)]
async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<UserList>> {
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 20)?;
    let (query, total_name) = match params.role.as_deref().filter(|r| !r.is_empty()) {
        Some(role) if Role::parse(role).is_some() => (
            Query::partition(BY_ROLE, role_partition(role)),
            format!("users#{role}"),
        ),
        Some(_) => {
            return Err(ApiError::bad_request("Rôle invalide").with_details(format!(
                "Les rôles valides sont: {}",
                Role::NAMES.join(", ")
            )));
        }
        None => (Query::partition(ALL, "USERS"), "users".to_string()),
    };
    // Newest first.
    let items = read_page(&state.store, query.backward(), pager).await?;
    let total = counters::total(&state.store, total_name).await?;
    let users = items
        .into_iter()
        .map(parse_user)
        .map(|u| {
            u.map(|u| ListedUser {
                id: u.id,
                phone_number: u.phone_number,
                role: u.role,
                created_at: u.created_at,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(UserList {
        users,
        pagination: Pagination::new(pager, total),
    }))
}
