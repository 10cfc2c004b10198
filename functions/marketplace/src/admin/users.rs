//! `marketplace-admin.md` §2: the accounts as an admin manages them — the list (admins left
//! out unless asked for), searched by the start of a name or an email, and an account shut
//! out or let back in.

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::audit::{self, Action, Actor};
use crate::mails::{self, Mail};
use crate::paging::Pagination;
use crate::role::Role;
use crate::users::{self, User, UserView};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::Query;
use uuid::Uuid;
use web::auth::AuthUser;
use web::auth::accounts::{self, Change};
use web::extract::{ClientIp, Command, PathId, Query as QueryParams};
use web::pagination::{Pager, read_page};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::Choice;
use web::{ApiError, ApiResult, counters};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Roles(Role::ADMIN)),
        route!(set_status, Access::Roles(Role::ADMIN)),
    ]
}

/// The longest search the list takes.
const MAX_SEARCH_LEN: usize = 100;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Éléments par page (défaut 20, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 20)]
    limit: Option<String>,
    /// `client`, `provider` ou `admin` (les administrateurs sont exclus sauf s'ils sont demandés).
    #[param(value_type = Option<Role>)]
    role: Option<String>,
    /// Début d'un prénom, d'un nom ou d'un email (sans tenir compte de la casse ni des accents).
    #[param(max_length = 100)]
    search: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct UserPage {
    users: Vec<UserView>,
    pagination: Pagination,
}

fn invalid_role() -> ApiError {
    ApiError::bad_request("Rôle invalide").with_details(format!(
        "Les rôles valides sont: {}",
        Role::NAMES.join(", ")
    ))
}

#[utoipa::path(
    get,
    path = "/api/admin/users",
    tag = "Utilisateurs",
    operation_id = "adminListUsers",
    summary = "Liste des utilisateurs",
    description = "Liste paginée, du plus récent au plus ancien. **Les administrateurs sont exclus par défaut** (sauf si `role=admin`). `search` trouve les comptes dont un mot du prénom ou du nom, ou l'email, commence par le texte donné ; les résultats d'une recherche sont dans l'ordre des mots trouvés. Les champs sensibles (mot de passe, tokens) ne sont jamais rendus.",
    params(ListParams),
    responses(
        (status = 200, description = "Une page d'utilisateurs.", body = Envelope<UserPage>),
        (status = 400, description = "Paramètre invalide.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Rôle invalide", "details": "Les rôles valides sont: client, provider, admin"})),
    )
)]
async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<Envelope<UserPage>>> {
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 20)?;
    let role = match params.role.as_deref().filter(|r| !r.is_empty()) {
        Some(name) => Some(Role::parse(name).ok_or_else(invalid_role)?),
        None => None,
    };
    let search = params
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let (users, total) = match search {
        Some(text) if text.chars().count() > MAX_SEARCH_LEN => {
            return Err(ApiError::bad_request("Recherche trop longue")
                .with_details(format!("{MAX_SEARCH_LEN} caractères au plus")));
        }
        Some(text) => searched(&state, role, text, pager).await?,
        None => listed(&state, role, pager).await?,
    };
    Ok(answers::ok(UserPage {
        users: users.iter().map(UserView::from).collect(),
        pagination: Pagination::new(pager, total),
    }))
}

/// A page of the accounts of `role` (the members when `None`), newest first, and their total.
async fn listed(state: &AppState, role: Option<Role>, pager: Pager) -> ApiResult<(Vec<User>, u64)> {
    let (query, totals) = match role {
        Some(role) => (
            Query::partition(users::BY_ROLE, users::role_partition(role.as_str())),
            vec![users::role_total(role.as_str())],
        ),
        None => (
            Query::partition(users::MEMBERS, users::MEMBERS_PARTITION),
            [Role::Client, Role::Provider]
                .map(|r| users::role_total(r.as_str()))
                .into(),
        ),
    };
    let (items, totals) = tokio::join!(
        read_page(&state.store, query.backward(), pager),
        futures_util::future::try_join_all(totals.iter().map(|t| counters::total(&state.store, t)))
    );
    let users = items?
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok((users, totals?.into_iter().sum()))
}

/// A page of the accounts of `role` (the members when `None`) that `text` starts a word of.
async fn searched(
    state: &AppState,
    role: Option<Role>,
    text: &str,
    pager: Pager,
) -> ApiResult<(Vec<User>, u64)> {
    let roles = match role {
        Some(role) => vec![role],
        None => vec![Role::Client, Role::Provider],
    };
    let ids = users::search::matching(&state.store, &roles, text).await?;
    let total = ids.len() as u64;
    let keys: Vec<_> = ids
        .iter()
        .skip(pager.offset())
        .take(pager.limit as usize)
        .map(|id| users::key(id))
        .collect();
    let found: Vec<Option<User>> = web::item::get_many(&state.store, &keys).await?;
    Ok((found.into_iter().flatten().collect(), total))
}

// `PUT /api/admin/users/{id}/status`.
#[derive(utoipa::ToSchema)]
#[schema(as = UserStatusRequest, example = json!({"isActive": false}))]
struct StatusChange {
    #[schema(rename = "isActive")]
    active: bool,
}

impl TryFrom<&Map<String, Value>> for StatusChange {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        match body.get("isActive") {
            Some(Value::Bool(active)) => Ok(StatusChange { active: *active }),
            _ => Err(ApiError::field("isActive", "isActive doit être un booléen")),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct ChangedUser {
    user: UserView,
}

#[utoipa::path(
    put,
    path = "/api/admin/users/{id}/status",
    tag = "Utilisateurs",
    operation_id = "adminSetUserStatus",
    summary = "Activer/Désactiver un compte",
    description = "Un compte désactivé ne peut plus se connecter et ses sessions sont fermées aussitôt (ses tokens cessent de fonctionner). Un admin ne peut pas se désactiver lui-même. L'action est inscrite au journal d'audit.",
    request_body = StatusChange,
    responses(
        (status = 200, description = "Statut mis à jour.", body = Envelope<ChangedUser>),
        (status = 400, description = "Corps invalide, ou un admin qui se désactive lui-même.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Vous ne pouvez pas vous désactiver vous-même"})),
        (status = 404, description = "Utilisateur inconnu.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Utilisateur non trouvé"})),
    )
)]
async fn set_status(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
    Command(change, _): Command<StatusChange>,
) -> ApiResult<Json<Envelope<ChangedUser>>> {
    let id = id.to_string();
    if !change.active && caller.id.to_string() == id {
        return Err(ApiError::bad_request(
            "Vous ne pouvez pas vous désactiver vous-même",
        ));
    }
    let Some(mut user) = users::find(&state.store, &id).await? else {
        return Err(not_found());
    };
    let now = web::time::now();
    let actor = Actor {
        id: &caller.id.to_string(),
        ip: &ip,
    };
    let action = Action {
        action: if change.active {
            "user.activate"
        } else {
            "user.deactivate"
        },
        entity_type: "User",
        entity_id: &id,
        before: Some(json!({"isActive": user.is_active})),
        after: Some(json!({"isActive": change.active})),
        reason: None,
    };
    let mut ops = vec![("user", users::set_active(&id, change.active, &now))];
    // Shut out, its sessions end with the change.
    let mut sessions_later = false;
    if !change.active {
        match accounts::ending(&state.store, &(&id).into()).await? {
            Ok(ended) => ops.extend(ended.into_iter().map(|op| ("session", op))),
            Err(_) => sessions_later = true,
        }
    }
    audit::recorded(&state.store, &actor, &action, ops)
        .await
        .map_err(|e| {
            if e.failed("user") {
                not_found()
            } else {
                e.into()
            }
        })?;
    if sessions_later {
        accounts::changed(&state.store, &(&id).into(), Change::Everything).await?;
    }
    if user.is_active != change.active {
        let mail = if change.active {
            Mail::AccountReactivated
        } else {
            Mail::AccountDeactivated
        };
        let to = mails::To {
            email: &user.email,
            first_name: &user.first_name,
        };
        mails::send(&state, to, mail).await;
    }
    user.is_active = change.active;
    user.updated_at = now;
    let message = if change.active {
        "Utilisateur activé"
    } else {
        "Utilisateur désactivé"
    };
    Ok(answers::done(
        message,
        ChangedUser {
            user: UserView::from(&user),
        },
    ))
}

fn not_found() -> ApiError {
    ApiError::not_found("Utilisateur non trouvé")
}
