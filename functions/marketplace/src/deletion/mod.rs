//! Deleting an account (`DELETE /api/admin/users/{id}`), safe at any size. One transaction
//! takes the account off every read path at once (its record, its email, its search
//! entries, its sessions, its provider out of the public lists) with the audit entry and a
//! pending deletion; then [`finish`] removes the rest step by step: the provider with its
//! services, the reviews and contact requests it received and its files; the reviews the
//! account wrote (each rated provider's average moved with it); its requests, favourites and
//! applications; and its payments, kept anonymised for the totals. Every step removes what
//! remains and moves its counters with it, so a run that stops halfway (a crash, a timeout)
//! is finished by the next: by the request itself, else by the `finish_deletions` job.
//!
//! Items: the pending deletion at `DELETION#<userId>`, listed in gsi1 (`DELETIONS`).

use crate::AppState;
use crate::providers::{self, Provider};
use crate::users::{self, User};
use crate::{applications, contacts, favorites, payments, reviews, services};
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Placement, Query, TxOp};
use web::ApiResult;
use web::retry::{ATTEMPTS, back_off, lost_race};

pub mod route;

const LISTED: Index = Index::Gsi1;
const PARTITION: &str = "DELETIONS";

/// A deletion under way: who, and what the account had.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deletion {
    pub user_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    pub provider_id: Option<String>,
    pub provider_business_name: Option<String>,
    pub requested_by: String,
    pub created_at: String,
}

fn key(user_id: &str) -> Key {
    Key::new(format!("DELETION#{user_id}"), "DELETION")
}

impl Deletion {
    pub fn of(user: &User, provider: Option<&Provider>, admin: &str) -> Deletion {
        Deletion {
            user_id: user.id.clone(),
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            role: user.role.clone(),
            provider_id: provider.map(|p| p.id.clone()),
            provider_business_name: provider.map(|p| p.business_name.clone()),
            requested_by: admin.to_owned(),
            created_at: web::time::now(),
        }
    }

    /// The write that records it pending.
    pub fn pending(&self) -> ApiResult<TxOp> {
        let place = format!("{}#{}", self.created_at, self.user_id);
        let item = Placement::new(key(&self.user_id))
            .listed(LISTED, PARTITION, place)
            .item(web::item::record(self)?);
        Ok(TxOp::Put {
            item,
            cond: Some(Cond::NotExists),
        })
    }
}

/// Removes `provider` and what hangs on it, then the provider itself.
async fn provider_removed(state: &AppState, id: &str) -> ApiResult<()> {
    let store = &state.store;
    let Some(provider) = providers::find(store, id).await? else {
        return Ok(());
    };
    services::removed_all(store, id).await?;
    for review in reviews::of_provider(store, id).await? {
        reviews::removed(store, &review).await?;
    }
    for contact in contacts::received_by(store, id).await? {
        contacts::removed(store, &contact).await?;
    }
    crate::applications::documents::removed(state, &provider.documents).await;
    let mut attempt = 0;
    loop {
        let Some(provider) = providers::find(store, id).await? else {
            return Ok(());
        };
        match store.transact_named(provider.removal()).await {
            Err(e) if lost_race(&e, providers::SAVED) && attempt + 1 < ATTEMPTS => {
                attempt += 1;
                back_off(attempt).await;
            }
            other => return Ok(other?),
        }
    }
}

/// Removes what remains of the deleted account `user_id`, and then its pending deletion.
pub async fn finish(state: &AppState, user_id: &str) -> ApiResult<()> {
    let store = &state.store;
    let Some(deletion) = find(store, user_id).await? else {
        return Ok(());
    };
    if let Some(provider) = &deletion.provider_id {
        provider_removed(state, provider).await?;
    }
    for review in reviews::written_by(store, user_id).await? {
        reviews::removed(store, &review).await?;
    }
    for contact in contacts::sent_by(store, user_id).await? {
        contacts::removed(store, &contact).await?;
    }
    favorites::removed_all(store, user_id).await?;
    applications::removed_all(state, user_id).await?;
    payments::anonymised(store, user_id).await?;
    store
        .transact(vec![TxOp::Delete {
            key: key(user_id),
            cond: None,
        }])
        .await?;
    tracing::info!(user = %user_id, "account deletion finished");
    Ok(())
}

pub async fn find(store: &DynStore, user_id: &str) -> ApiResult<Option<Deletion>> {
    store
        .get(&key(user_id))
        .await?
        .map(web::item::parse)
        .transpose()
}

/// Finishes every pending deletion, oldest first; how many it finished. One that fails is
/// left for the next run, the others go on.
pub async fn finish_all(state: &AppState) -> ApiResult<(usize, usize)> {
    let pending =
        web::pagination::read_all(&state.store, Query::partition(LISTED, PARTITION)).await?;
    let (mut done, mut left) = (0, 0);
    for item in pending {
        let deletion: Deletion = web::item::parse(item)?;
        match finish(state, &deletion.user_id).await {
            Ok(()) => done += 1,
            Err(e) => {
                tracing::warn!(user = %deletion.user_id, error = %e, "account deletion left for the next run");
                left += 1;
            }
        }
    }
    Ok((done, left))
}

/// The writes that take `user` off every read path: its record (and so its lists), its
/// email, its search entries and its role's total.
pub fn account_removal(user: &User) -> Vec<(&'static str, TxOp)> {
    let mut ops = vec![
        (
            "user",
            TxOp::Delete {
                key: users::key(&user.id),
                cond: Some(Cond::eq("updatedAt", user.updated_at.clone())),
            },
        ),
        (
            "email",
            TxOp::Delete {
                key: users::email_key(&user.email),
                cond: None,
            },
        ),
        (
            "role_total",
            web::counters::bump(users::role_total(&user.role), -1),
        ),
    ];
    for key in users::search::keys(user) {
        ops.push(("search", TxOp::Delete { key, cond: None }));
    }
    ops
}
