//! Operators: public list, details and detection by number; admin create, update and
//! delete. An operator that plans or orders use cannot be deleted: each operator item counts
//! them. No two operators share a prefix ([`prefixes`]).

mod forms;
mod prefixes;

use forms::{OperatorCreate, OperatorUpdate};

use crate::AppState;
use crate::openapi::{Error, Message};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Item, Key, Placement, Query, TxOp, Update};

/// The index operators are listed in.
const ALL: Index = Index::Gsi1;
use web::auth::AuthUser;
use web::counters::{self, padded};
use web::extract::{Command, PathId};
use web::pagination::read_all;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Public),
        route!(create, Access::Roles(Role::ADMIN)),
        route!(prefixes::detect, Access::Public).example_query("phone=0701020304"),
        route!(details, Access::Public),
        route!(update, Access::Roles(Role::ADMIN)),
        route!(remove, Access::Roles(Role::ADMIN)),
    ]
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[schema(description = "Opérateur téléphonique.")]
pub struct Operator {
    #[schema(example = json!(1))]
    pub id: i64,
    #[schema(example = json!("Orange CI"))]
    pub name: String,
    #[schema(example = json!("ORANGE"))]
    pub code: String,
    #[schema(value_type = Vec<crate::openapi::schemas::Prefix>, inline, example = json!(["07"]))]
    pub prefixes: Vec<String>,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
}

pub fn operator_key(id: i64) -> Key {
    Key::new(format!("OPERATOR#{id}"), "OPERATOR")
}

/// The item that keeps operator codes unique.
const CODE_GUARD: &str = "code_guard";

fn code_key(code: &str) -> Key {
    Key::new(format!("OPCODE#{code}"), "OPCODE")
}

/// The guard item that holds `code` for operator `id`.
fn code_guard(code: &str, id: i64) -> Item {
    let mut guard = code_key(code).to_item();
    guard.insert("operator_id".into(), id.into());
    guard
}

/// An operator as stored: what clients see, and how many plans and orders use it (an
/// operator in use cannot be deleted).
#[derive(Serialize)]
struct OperatorRecord<'a> {
    #[serde(flatten)]
    operator: &'a Operator,
    updated_at: &'a str,
    plan_count: i64,
    order_count: i64,
}

fn parse(item: Item) -> ApiResult<Operator> {
    web::item::parse(item)
}

fn not_found() -> ApiError {
    ApiError::not_found("Opérateur non trouvé")
}

pub async fn find(store: &DynStore, id: i64) -> ApiResult<Option<Operator>> {
    store.get(&operator_key(id)).await?.map(parse).transpose()
}

/// Every operator, in id order (a short list: one partition of the index).
pub async fn all(store: &DynStore) -> ApiResult<Vec<Operator>> {
    read_all(store, Query::partition(ALL, "OPERATORS"))
        .await?
        .into_iter()
        .map(parse)
        .collect()
}

/// A transaction step that counts one more (or one less) plan or order using operator `id`,
/// and fails when the operator is gone.
pub fn count_use(id: i64, what: &str, by: i64) -> TxOp {
    TxOp::Update {
        key: operator_key(id),
        update: Update::new().add(what, by),
        cond: Some(Cond::Exists),
    }
}

#[utoipa::path(
    get,
    path = "/api/operators",
    tag = "Opérateurs",
    operation_id = "listOperators",
    summary = "Liste des opérateurs",
    description = "Récupère la liste de tous les opérateurs téléphoniques disponibles.",
    responses(
        (status = 200, description = "Tous les opérateurs.", body = Vec<Operator>,
         example = json!([
            {"id": 1, "name": "Orange CI", "code": "ORANGE", "prefixes": ["07"],
             "created_at": "2025-01-01T00:00:00.000Z"},
            {"id": 2, "name": "MTN", "code": "MTN", "prefixes": ["05"],
             "created_at": "2025-01-01T00:00:00.000Z"},
            {"id": 3, "name": "Moov", "code": "MOOV", "prefixes": ["01"],
             "created_at": "2025-01-01T00:00:00.000Z"},
         ])),
    )
)]
async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<Operator>>> {
    Ok(Json(all(&state.store).await?))
}

#[utoipa::path(
    get,
    path = "/api/operators/{id}",
    tag = "Opérateurs",
    operation_id = "getOperator",
    summary = "Détails d'un opérateur",
    description = "Récupère les détails d'un opérateur spécifique.",
    responses(
        (status = 200, description = "Opérateur.", body = Operator,
         example = json!({"id": 1, "name": "Orange CI", "code": "ORANGE", "prefixes": ["07"],
                          "created_at": "2025-01-01T00:00:00.000Z"})),
        (status = 404, description = "Opérateur non trouvé.", body = Error,
             example = json!({"error": "Opérateur non trouvé"})),
    )
)]
async fn details(State(state): State<AppState>, PathId(id): PathId) -> ApiResult<Json<Operator>> {
    Ok(Json(find(&state.store, id).await?.ok_or_else(not_found)?))
}

/// Creates an operator; the admin command and demo seeding use it too.
pub async fn insert(
    store: &DynStore,
    name: &str,
    code: &str,
    prefixes: &[String],
) -> ApiResult<Operator> {
    let id = counters::next_id(store, "operator").await?;
    let now = web::time::now();
    let operator = Operator {
        id,
        name: name.to_string(),
        code: code.to_string(),
        prefixes: prefixes.to_vec(),
        created_at: now.clone(),
    };
    // Listed with every operator (gsi1), by id.
    let placement = Placement::new(operator_key(id)).listed(ALL, "OPERATORS", padded(id));
    let item = placement.item(web::item::record(&OperatorRecord {
        operator: &operator,
        updated_at: &now,
        plan_count: 0,
        order_count: 0,
    })?);
    let mut ops = vec![
        (
            CODE_GUARD,
            TxOp::Put {
                item: code_guard(code, id),
                cond: Some(Cond::NotExists),
            },
        ),
        (
            "operator",
            TxOp::Put {
                item,
                cond: Some(Cond::NotExists),
            },
        ),
    ];
    ops.extend(prefixes::claim(id, prefixes));
    match store.transact_named(ops).await {
        Ok(()) => Ok(operator),
        Err(e) if e.failed(CODE_GUARD) => {
            Err(ApiError::conflict("Un opérateur avec ce code existe déjà"))
        }
        Err(e) if e.failed(prefixes::GUARD) => Err(prefixes::taken()),
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(
    post,
    path = "/api/operators",
    tag = "Opérateurs",
    operation_id = "createOperator",
    summary = "Créer un opérateur (Admin)",
    description = "Crée un nouvel opérateur téléphonique.\n\n**Permissions :** Admin uniquement.",
    request_body = OperatorCreate,
    responses(
        (status = 201, description = "Opérateur créé.", body = Operator,
         example = json!({"id": 4, "name": "Telecel", "code": "TELECEL", "prefixes": ["09"],
                          "created_at": "2025-01-15T15:30:00.000Z"})),
        (status = 409, description = "Code déjà pris, ou modification concurrente.", body = Error,
             examples(
                ("e1" = (summary = "Un opérateur avec ce code existe déjà",
                         value = json!({"error": "Un opérateur avec ce code existe déjà"}))),
                ("e2" = (summary = "La ressource a été modifiée par une autre requête, veuillez réessayer",
                         value = json!({"error": "La ressource a été modifiée par une autre requête, veuillez réessayer"}))),
             )),
    )
)]
async fn create(
    State(state): State<AppState>,
    _caller: AuthUser,
    Command(new, _): Command<OperatorCreate>,
) -> ApiResult<(StatusCode, Json<Operator>)> {
    let operator = insert(&state.store, &new.name, &new.code, &new.prefixes).await?;
    Ok((StatusCode::CREATED, Json(operator)))
}

#[utoipa::path(
    put,
    path = "/api/operators/{id}",
    tag = "Opérateurs",
    operation_id = "updateOperator",
    summary = "Modifier un opérateur (Admin)",
    description = "Modifie les informations d'un opérateur existant (modification partielle).\n\n**Permissions :** Admin uniquement.",
    request_body = OperatorUpdate,
    responses(
        (status = 200, description = "Opérateur modifié.", body = Operator,
         example = json!({"id": 1, "name": "Orange Côte d'Ivoire", "code": "ORANGE",
                          "prefixes": ["07", "17"], "created_at": "2025-01-01T00:00:00.000Z"})),
        (status = 400, description = "Identifiant ou données invalides.", body = Error,
         examples(
            ("e1" = (summary = "Identifiant invalide",
                     value = json!({"error": "Identifiant invalide"}))),
            ("e2" = (summary = "Données invalides",
                     value = json!({"error": "Données invalides",
                                    "details": "prefixes doit être une liste non vide de préfixes de 2 chiffres"}))),
         )),
        (status = 404, description = "Opérateur non trouvé.", body = Error,
             example = json!({"error": "Opérateur non trouvé"})),
        (status = 409, description = "Code déjà pris, ou modification concurrente.", body = Error,
             examples(
                ("e1" = (summary = "Un opérateur avec ce code existe déjà",
                         value = json!({"error": "Un opérateur avec ce code existe déjà"}))),
                ("e2" = (summary = "La ressource a été modifiée par une autre requête, veuillez réessayer",
                         value = json!({"error": "La ressource a été modifiée par une autre requête, veuillez réessayer"}))),
             )),
    )
)]
async fn update(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId,
    Command(changed, _): Command<OperatorUpdate>,
) -> ApiResult<Json<Operator>> {
    let OperatorUpdate {
        name,
        code,
        prefixes,
    } = changed;
    let current = find(&state.store, id).await?.ok_or_else(not_found)?;
    let mut changes = Update::new().set("updated_at", web::time::now());
    if let Some(name) = &name {
        changes = changes.set("name", name.as_str());
    }
    let mut ops = Vec::new();
    if let Some(prefixes) = &prefixes {
        changes = changes.set("prefixes", prefixes.as_slice());
        ops.extend(prefixes::change(id, &current.prefixes, prefixes));
    }
    if let Some(code) = code.as_ref().filter(|c| **c != current.code) {
        changes = changes.set("code", code.as_str());
        ops.push((
            CODE_GUARD,
            TxOp::Put {
                item: code_guard(code, id),
                cond: Some(Cond::NotExists),
            },
        ));
        ops.push((
            "old_code_guard",
            TxOp::Delete {
                key: code_key(&current.code),
                cond: None,
            },
        ));
    }
    ops.push((
        "operator",
        TxOp::Update {
            key: operator_key(id),
            update: changes,
            cond: Some(Cond::eq("code", current.code.as_str())),
        },
    ));
    match state.store.transact_named(ops).await {
        Ok(()) => {}
        Err(e) if e.failed(CODE_GUARD) => {
            return Err(ApiError::conflict("Un opérateur avec ce code existe déjà"));
        }
        Err(e) if e.failed(prefixes::GUARD) => return Err(prefixes::taken()),
        Err(e) if e.is_condition_failed() => return Err(not_found()),
        Err(e) => return Err(e.into()),
    }
    // Answered from what was written: a read after the commit could fail and turn a
    // done update into a 503.
    Ok(Json(Operator {
        name: name.unwrap_or(current.name),
        code: code.unwrap_or(current.code),
        prefixes: prefixes.unwrap_or(current.prefixes),
        ..current
    }))
}

#[utoipa::path(
    delete,
    path = "/api/operators/{id}",
    tag = "Opérateurs",
    operation_id = "deleteOperator",
    summary = "Supprimer un opérateur (Admin)",
    description = "Supprime un opérateur, s'il n'est utilisé par aucun forfait ni aucune commande.\n\n**Permissions :** Admin uniquement.",
    responses(
        (status = 200, description = "Opérateur supprimé.", body = Message,
         example = json!({"message": "Opérateur supprimé avec succès"})),
        (status = 400, description = "Identifiant invalide, ou opérateur utilisé.", body = Error,
         examples(
            ("e1" = (summary = "Impossible de supprimer cet opérateur car il est utilisé dans des plans ou des commandes",
                     value = json!({"error": "Impossible de supprimer cet opérateur car il est utilisé dans des plans ou des commandes"}))),
            ("e2" = (summary = "Identifiant invalide",
                     value = json!({"error": "Identifiant invalide"}))),
         )),
        (status = 404, description = "Opérateur non trouvé.", body = Error,
             example = json!({"error": "Opérateur non trouvé"})),
    )
)]
async fn remove(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId,
) -> ApiResult<Json<Message>> {
    let current = find(&state.store, id).await?.ok_or_else(not_found)?;
    let unused = Cond::Exists
        .and(Cond::Or(vec![
            Cond::attr_not_exists("plan_count"),
            Cond::eq("plan_count", 0),
        ]))
        .and(Cond::Or(vec![
            Cond::attr_not_exists("order_count"),
            Cond::eq("order_count", 0),
        ]));
    match state
        .store
        .transact_named(
            [
                (
                    "unused_operator",
                    TxOp::Delete {
                        key: operator_key(id),
                        cond: Some(unused),
                    },
                ),
                (
                    CODE_GUARD,
                    TxOp::Delete {
                        key: code_key(&current.code),
                        cond: None,
                    },
                ),
            ]
            .into_iter()
            .chain(prefixes::release(&current.prefixes))
            .collect(),
        )
        .await
    {
        Ok(()) => Ok(Json(Message::new("Opérateur supprimé avec succès"))),
        Err(e) if e.failed("unused_operator") => Err(ApiError::bad_request(
            "Impossible de supprimer cet opérateur car il est utilisé dans des plans ou des commandes",
        )),
        Err(e) => Err(e.into()),
    }
}
