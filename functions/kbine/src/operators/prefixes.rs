//! Prefixes: each belongs to one operator at most (a guard item per prefix, written in the
//! operator's own transactions), and a number names its operator by its prefix.

use super::{Operator, all};
use crate::AppState;
use crate::openapi::Error;
use crate::phone::PhoneNumber;
use crate::plans::{self, PlanView};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::{Cond, Key, TxOp};
use web::extract::Query as QueryParams;
use web::{ApiError, ApiResult};

/// The label of a prefix's guard in a transaction: its failure means another operator has it.
pub const GUARD: &str = "prefix_guard";

fn key(prefix: &str) -> Key {
    Key::new(format!("OPPREFIX#{prefix}"), "OPPREFIX")
}

pub fn taken() -> ApiError {
    ApiError::conflict("Un autre opérateur utilise déjà l'un de ces préfixes")
}

/// The writes that give `prefixes` to operator `id`, each failing if another has it.
pub fn claim(id: i64, prefixes: &[String]) -> Vec<(&'static str, TxOp)> {
    prefixes
        .iter()
        .map(|prefix| {
            let mut item = key(prefix).to_item();
            item.insert("operator_id".into(), json!(id));
            (
                GUARD,
                TxOp::Put {
                    item,
                    cond: Some(Cond::NotExists),
                },
            )
        })
        .collect()
}

/// The writes that free `prefixes` (an operator deleted, or prefixes it no longer has).
pub fn release(prefixes: &[String]) -> Vec<(&'static str, TxOp)> {
    prefixes
        .iter()
        .map(|prefix| {
            (
                "old_prefix_guard",
                TxOp::Delete {
                    key: key(prefix),
                    cond: None,
                },
            )
        })
        .collect()
}

/// The writes that move operator `id` from its prefixes `old` to `new`.
pub fn change(id: i64, old: &[String], new: &[String]) -> Vec<(&'static str, TxOp)> {
    let added: Vec<String> = new.iter().filter(|p| !old.contains(p)).cloned().collect();
    let removed: Vec<String> = old.iter().filter(|p| !new.contains(p)).cloned().collect();
    let mut ops = claim(id, &added);
    ops.extend(release(&removed));
    ops
}

#[derive(Deserialize)]
pub struct DetectParams {
    phone: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(description = "L'opérateur d'un numéro et ses forfaits actifs.")]
#[schema(as = DetectedOperator)]
pub struct Detected {
    operator: Operator,
    plans: Vec<PlanView>,
}

/// `GET /api/operators/detect?phone=...`: the operator of a number (in any accepted form) and
/// its active plans, so that an app can offer the right plans before the order.
#[utoipa::path(
    get,
    path = "/api/operators/detect",
    tag = "Opérateurs",
    operation_id = "detectOperator",
    summary = "Opérateur d'un numéro",
    description = "Ajout (absent du document d'origine) : l'opérateur d'un numéro, reconnu à son préfixe, et ses forfaits actifs, pour proposer les bons forfaits avant la commande. Le numéro est accepté sous toutes les formes de la connexion (`0901020304`, `09 01 02 03 04`, `+225 09 01 02 03 04`, `00225 09 01 02 03 04`), quel que soit l'opérateur.",
    params(("phone" = String, Query, description = "Numéro de téléphone.", example = "0701020304")),
    responses(
        (status = 200, description = "L'opérateur du numéro et ses forfaits actifs.", body = Detected),
        (status = 400, description = "Numéro absent ou invalide.", body = Error,
         examples(
            ("missing" = (summary = "Numéro absent",
                          value = json!({"error": "Numéro de téléphone invalide",
                                         "details": "Le paramètre phone est requis"}))),
            ("short" = (summary = "Numéro invalide",
                        value = json!({"error": "Numéro de téléphone invalide",
                                       "details": "Le numéro doit contenir exactement 10 chiffres"}))),
         )),
        (status = 404, description = "Aucun opérateur n'a ce préfixe.", body = Error,
         example = json!({"error": "Aucun opérateur pour ce numéro"})),
    )
)]
pub async fn detect(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<DetectParams>,
) -> ApiResult<Json<Detected>> {
    let phone = params
        .phone
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| {
            ApiError::bad_request("Numéro de téléphone invalide")
                .with_details("Le paramètre phone est requis")
        })?;
    let phone = PhoneNumber::parse_any_prefix(&phone)?;
    // One short partition of the index, read once (the list route reads the same).
    let operator = all(&state.store)
        .await?
        .into_iter()
        .find(|operator| operator.prefixes.iter().any(|p| p == phone.prefix()))
        .ok_or_else(|| ApiError::not_found("Aucun opérateur pour ce numéro"))?;
    let plans = plans::active_of(&state.store, &operator).await?;
    Ok(Json(Detected { operator, plans }))
}
