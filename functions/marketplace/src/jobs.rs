//! The marketplace's scheduled job: every night at 00:30 in Douala, the featurings and boosts
//! that are over end (EventBridge Scheduler in AWS, `local-api job` on a laptop). Each
//! provider is found through an index of ends (the featured by `featuredUntil`, the boosts'
//! entries by `boostedUntil`), never a scan, and changed by the same save as any other change:
//! its public lists and totals follow in the same transaction. Running it twice changes
//! nothing more.

use crate::providers::{self, BOOSTS_PARTITION, FEATURED, FEATURED_PARTITION, Provider, SAVED};
use chrono::{DateTime, Utc};
use serde_json::Value;
use store::{DynStore, Index, Query, SortKey, TxOp};
use web::retry::{ATTEMPTS, back_off, lost_race};
use web::{ApiError, ApiResult};

/// The job's name: its function's `Handler` and the `job` command's `--name`.
pub const EXPIRE_FEATURING: &str = "expire_featuring";
/// When it runs: 00:30 every day, in [`TIMEZONE`].
pub const SCHEDULE: &str = "cron(30 0 * * ? *)";
pub const TIMEZONE: &str = "Africa/Douala";

/// What a run ended.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Expired {
    pub featurings: usize,
    pub boosts: usize,
}

/// Ends, as of `now`, the featurings and boosts that are over.
pub async fn expire(store: &DynStore, now: DateTime<Utc>) -> ApiResult<Expired> {
    let now = web::time::format(now);
    let mut expired = Expired::default();
    // Endless featurings sort last ("9999"): never before now.
    let featured =
        Query::partition(FEATURED, FEATURED_PARTITION).sort_key(SortKey::Le(now.clone()));
    for item in web::pagination::read_all(store, featured).await? {
        let provider: Provider = web::item::parse(item)?;
        let over = |p: &Provider| {
            p.is_featured
                && p.featured_until
                    .as_deref()
                    .is_some_and(|until| until <= now.as_str())
        };
        if ended(store, &provider.id, over, |p| {
            p.is_featured = false;
            p.featured_until = None;
        })
        .await?
        {
            expired.featurings += 1;
        }
    }
    let boosts =
        Query::partition(Index::Table, BOOSTS_PARTITION).sort_key(SortKey::Le(now.clone()));
    for entry in web::pagination::read_all(store, boosts).await? {
        let Some(id) = entry.get("providerId").and_then(Value::as_str) else {
            continue;
        };
        let over = |p: &Provider| {
            p.boosted_until
                .as_deref()
                .is_some_and(|until| until <= now.as_str())
        };
        if ended(store, id, over, |p| p.boosted_until = None).await? {
            expired.boosts += 1;
        } else if let Some(key) = store::Key::of(&entry)
            && providers::find(store, id).await?.is_none()
        {
            // Its provider is gone: the entry is all that is left of it.
            store
                .transact(vec![TxOp::Delete { key, cond: None }])
                .await?;
        }
    }
    Ok(expired)
}

/// Applies `end` to the provider `id` when it is `over`, saved on the condition that no other
/// change came first (a lost race is read again); whether it was ended.
async fn ended(
    store: &DynStore,
    id: &str,
    over: impl Fn(&Provider) -> bool,
    end: impl Fn(&mut Provider),
) -> ApiResult<bool> {
    let mut attempt = 0;
    loop {
        let Some(was) = providers::find(store, id).await? else {
            return Ok(false);
        };
        if !over(&was) {
            return Ok(false);
        }
        let mut provider = was.clone();
        end(&mut provider);
        provider.updated_at = web::time::now();
        match store.transact_named(provider.saved(&was)?).await {
            Ok(()) => return Ok(true),
            Err(e) if lost_race(&e, SAVED) && attempt + 1 < ATTEMPTS => {
                attempt += 1;
                back_off(attempt).await;
            }
            Err(e) => return Err(ApiError::from(e)),
        }
    }
}

/// The job that finishes account deletions left pending (`crate::deletion`): every 15
/// minutes.
pub const FINISH_DELETIONS: &str = "finish_deletions";
pub const EVERY_QUARTER_HOUR: &str = "rate(15 minutes)";

/// [`crate::deletion::finish_all`], as its schedule runs it; what it did, in a sentence.
pub async fn finish_deletions(state: &crate::AppState) -> ApiResult<String> {
    let (done, left) = crate::deletion::finish_all(state).await?;
    Ok(format!(
        "{FINISH_DELETIONS}: {done} deletions finished, {left} left for the next run"
    ))
}

/// [`expire`] now, as its schedule runs it; what it did, in a sentence.
pub async fn run(store: &DynStore) -> ApiResult<String> {
    let expired = expire(store, Utc::now()).await?;
    Ok(format!(
        "{EXPIRE_FEATURING}: {} featurings and {} boosts ended",
        expired.featurings, expired.boosts
    ))
}
