//! Who moved an order or a payment, when and why: one entry per status change (and the
//! creation), stored beside the item in its partition (`HISTORY#<at>#<n>`) by the same
//! transaction as the change, and shown to staff and admin in the details.

use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Query, SortKey, TxOp};
use web::auth::AuthUser;
use web::pagination::read_all;
use web::{ApiError, ApiResult};

/// Longest reason a caller may give for a change.
pub const MAX_REASON: usize = 1000;

const PREFIX: &str = "HISTORY#";

/// Who made a change: a user, or the system reacting to another change.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub role: String,
}

impl Actor {
    pub fn of(caller: &AuthUser) -> ApiResult<Actor> {
        Ok(Actor {
            id: caller.int_id()?,
            role: caller.role.clone().unwrap_or_default(),
        })
    }
}

/// One change, as stored and as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(description = "Un changement de statut (ou la création) : qui, quand et pourquoi.")]
#[schema(as = HistoryEntry)]
pub struct Entry {
    /// Statut après le changement.
    #[schema(example = json!("assigned"))]
    pub status: String,
    /// Statut avant le changement ; `null` pour la création.
    // `None` for the creation.
    #[schema(required = true, example = json!("pending"))]
    pub previous_status: Option<String>,
    /// Utilisateur qui a fait le changement.
    #[schema(example = json!(3))]
    pub changed_by: i64,
    #[schema(value_type = crate::openapi::schemas::Role)]
    pub changed_by_role: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub changed_at: String,
    /// Pourquoi : `reason` du changement de statut d'une commande, `notes` de celui d'un paiement ; le remboursement d'une commande nomme son paiement.
    #[schema(required = true, example = json!("Zone Cocody"))]
    pub reason: Option<String>,
    /// Présent sur une assignation : le staff assigné.
    // Set by an assignment: the staff member the order went to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(5), nullable = false)]
    pub assigned_to: Option<i64>,
}

impl Entry {
    pub fn new(actor: &Actor, previous: Option<&str>, status: &str, at: &str) -> Entry {
        Entry {
            status: status.to_owned(),
            previous_status: previous.map(str::to_owned),
            changed_by: actor.id,
            changed_by_role: actor.role.clone(),
            changed_at: at.to_owned(),
            reason: None,
            assigned_to: None,
        }
    }

    pub fn because(mut self, reason: Option<String>) -> Entry {
        self.reason = reason;
        self
    }

    pub fn assigning(mut self, staff: i64) -> Entry {
        self.assigned_to = Some(staff);
        self
    }

    /// The transaction step that stores this entry in `partition` (the item's pk).
    pub fn write(&self, partition: &str) -> ApiResult<TxOp> {
        // The time orders entries; the random tail keeps two in one millisecond apart.
        let tail = uuid::Uuid::new_v4().simple().to_string();
        let key = Key::new(
            partition,
            format!("{PREFIX}{}#{}", self.changed_at, &tail[..8]),
        );
        let mut item = key.to_item();
        item.extend(web::item::record(self)?);
        Ok(TxOp::Put {
            item,
            cond: Some(Cond::NotExists),
        })
    }
}

/// Every entry of `partition`, oldest first.
pub async fn read(store: &DynStore, partition: &str) -> ApiResult<Vec<Entry>> {
    let query =
        Query::partition(Index::Table, partition).sort_key(SortKey::BeginsWith(PREFIX.to_owned()));
    read_all(store, query)
        .await?
        .into_iter()
        .map(web::item::parse)
        .collect()
}

/// A reason as a caller gives it: absent, or a string of at most [`MAX_REASON`] characters.
pub fn reason(value: Option<&serde_json::Value>, field: &str) -> ApiResult<Option<String>> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if s.chars().count() <= MAX_REASON => {
            Ok(Some(s.clone()).filter(|s| !s.trim().is_empty()))
        }
        Some(_) => Err(ApiError::invalid(format!(
            "{field} doit être une chaîne de {MAX_REASON} caractères au plus"
        ))),
    }
}
