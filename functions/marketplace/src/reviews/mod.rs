//! Reviews: a client rates a provider (1 to 5) with a comment, once; an admin hides or shows
//! it again. A provider's `averageRating` and `totalReviews` count its visible reviews only,
//! kept from the sum of their ratings in the same transaction as each review written, hidden
//! or shown, on the condition that no other review moved them first (a lost race is tried
//! again). The platform's totals move the same way.
//!
//! Items: the review at `REVIEW#<id>`; `REVIEWED#<providerId>#<userId>` makes it the only one
//! of its author for that provider. gsi1 lists a provider's visible reviews
//! (`PROVIDERREVIEWS#<providerId>`), gsi2 every review (`REVIEWS`), gsi3 the reviews by
//! visibility (`REVIEWS#visible`, `REVIEWS#hidden`), all newest first.

pub mod admin;
pub mod routes;

use crate::providers::{self, Provider};
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Placement, StoreError, TxOp, Update};
use web::retry::{ATTEMPTS, back_off, lost_race};
use web::{ApiError, ApiResult, counters};

/// A review as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub id: String,
    pub provider_id: String,
    pub user_id: String,
    /// How its author signs it: first name and initial (`Fatou K.`).
    pub author: String,
    pub rating: u8,
    pub comment: String,
    pub is_visible: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub const BY_PROVIDER: Index = Index::Gsi1;
pub const ALL: Index = Index::Gsi2;
pub const ALL_PARTITION: &str = "REVIEWS";
pub const BY_VISIBILITY: Index = Index::Gsi3;

pub fn key(id: &str) -> Key {
    Key::new(format!("REVIEW#{id}"), "REVIEW")
}

/// The author's review of a provider: its only one, and the author's reviews listed
/// (`REVIEWEDBY#<userId>` / `<providerId>`, naming the review).
fn once_key(provider_id: &str, user_id: &str) -> Key {
    Key::new(format!("REVIEWEDBY#{user_id}"), provider_id)
}

pub fn provider_partition(provider_id: &str) -> String {
    format!("PROVIDERREVIEWS#{provider_id}")
}

pub fn visibility_partition(visible: bool) -> String {
    format!("REVIEWS#{}", if visible { "visible" } else { "hidden" })
}

/// The totals of the platform's reviews.
pub const VISIBLE_TOTAL: &str = "reviews#visible";
pub const HIDDEN_TOTAL: &str = "reviews#hidden";
pub const RATING_SUM: &str = "reviews#ratingsum";

/// The name of the write that makes a review its author's only one for a provider.
pub const ONCE: &str = "reviewed_once";
const PROVIDER_MOVED: &str = "provider_ratings";
const REVIEW_MOVED: &str = "review";

impl Review {
    pub fn placement(&self) -> Placement {
        let place = format!("{}#{}", self.created_at, self.id);
        // A provider's list holds its hidden reviews too (the public reads filter them): a
        // provider's reviews are all found when it goes.
        Placement::new(key(&self.id))
            .listed(ALL, ALL_PARTITION, place.clone())
            .listed(
                BY_VISIBILITY,
                visibility_partition(self.is_visible),
                place.clone(),
            )
            .listed(BY_PROVIDER, provider_partition(&self.provider_id), place)
    }
}

/// Two decimals, as the document shows ratings (`4.35`).
pub fn rounded(sum: u64, count: u64) -> f64 {
    if count == 0 {
        return 0.0;
    }
    (sum as f64 / count as f64 * 100.0).round() / 100.0
}

/// The write that moves `provider`'s ratings by a review of `rating` shown (`by` 1) or
/// hidden (`by` -1), on the condition that they are still what was read.
fn ratings_moved(provider: &Provider, rating: u8, by: i64) -> TxOp {
    let sum = provider
        .rating_sum
        .saturating_add_signed(by * i64::from(rating));
    let count = provider.total_reviews.saturating_add_signed(by);
    let unchanged = Cond::eq("ratingSum", provider.rating_sum)
        .and(Cond::eq("totalReviews", provider.total_reviews));
    // A provider stored before `ratingSum` existed has none: it counts as 0.
    let unchanged = if provider.rating_sum == 0 && provider.total_reviews == 0 {
        Cond::Or(vec![unchanged, Cond::attr_not_exists("ratingSum")])
    } else {
        unchanged
    };
    TxOp::Update {
        key: providers::key(&provider.id),
        update: Update::new()
            .set("ratingSum", sum)
            .set("totalReviews", count)
            .set("averageRating", rounded(sum, count)),
        cond: Some(unchanged),
    }
}

/// The platform's totals moved by a review of `rating` shown (`by` 1) or hidden (`by` -1).
fn totals_moved(rating: u8, by: i64, newly: bool) -> Vec<(&'static str, TxOp)> {
    let mut ops = vec![
        ("visible_total", counters::bump(VISIBLE_TOTAL, by)),
        (
            "rating_sum",
            counters::bump(RATING_SUM, by * i64::from(rating)),
        ),
    ];
    if !newly {
        ops.push(("hidden_total", counters::bump(HIDDEN_TOTAL, -by)));
    }
    ops
}

/// Writes `review`, new (`was` none) or with its visibility changed from `was`, with its
/// provider's ratings and the platform's totals, plus `also` (an audit entry): tried again
/// while other reviews of the provider win the race.
pub async fn written<F, Fut>(
    store: &DynStore,
    review: &Review,
    was: Option<&Review>,
    also: F,
) -> ApiResult<()>
where
    F: Fn(Vec<(&'static str, TxOp)>) -> Fut,
    Fut: Future<Output = Result<(), StoreError>>,
{
    let mut attempt = 0;
    loop {
        let provider = providers::find(store, &review.provider_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Prestataire non trouvé"))?;
        let item = review.placement().item(web::item::record(review)?);
        let mut ops = match was {
            None => {
                let mut once = once_key(&review.provider_id, &review.user_id).to_item();
                once.insert("reviewId".into(), review.id.clone().into());
                vec![
                    (
                        REVIEW_MOVED,
                        TxOp::Put {
                            item,
                            cond: Some(Cond::NotExists),
                        },
                    ),
                    (
                        ONCE,
                        TxOp::Put {
                            item: once,
                            cond: Some(Cond::NotExists),
                        },
                    ),
                ]
            }
            Some(was) => {
                let unchanged = Cond::eq("isVisible", was.is_visible);
                vec![(
                    REVIEW_MOVED,
                    TxOp::Put {
                        item,
                        cond: Some(unchanged),
                    },
                )]
            }
        };
        let shown = was.is_none_or(|was| was.is_visible != review.is_visible);
        if shown {
            let by = if review.is_visible { 1 } else { -1 };
            ops.push((PROVIDER_MOVED, ratings_moved(&provider, review.rating, by)));
            if was.is_none() {
                ops.extend(totals_moved(review.rating, 1, true));
            } else {
                ops.extend(totals_moved(review.rating, by, false));
            }
        }
        match also(ops).await {
            Err(e) if lost_race(&e, PROVIDER_MOVED) && attempt + 1 < ATTEMPTS => {
                attempt += 1;
                back_off(attempt).await;
            }
            Err(e) if e.failed(ONCE) => {
                return Err(ApiError::conflict(
                    "Vous avez déjà donné votre avis sur ce prestataire",
                ));
            }
            Err(e) if e.failed(REVIEW_MOVED) => {
                return Err(ApiError::conflict("L'avis a changé entre-temps"));
            }
            other => return Ok(other?),
        }
    }
}

/// The reviews `user_id` wrote.
pub async fn written_by(store: &DynStore, user_id: &str) -> ApiResult<Vec<Review>> {
    let query = store::Query::partition(Index::Table, format!("REVIEWEDBY#{user_id}"));
    let keys: Vec<Key> = web::pagination::read_all(store, query)
        .await?
        .iter()
        .filter_map(|item| item.get("reviewId")?.as_str().map(key))
        .collect();
    let found: Vec<Option<Review>> = web::item::get_many(store, &keys).await?;
    Ok(found.into_iter().flatten().collect())
}

/// Every review of `provider_id`, visible or hidden.
pub async fn of_provider(store: &DynStore, provider_id: &str) -> ApiResult<Vec<Review>> {
    let query = store::Query::partition(BY_PROVIDER, provider_partition(provider_id));
    web::pagination::read_all(store, query)
        .await?
        .into_iter()
        .map(web::item::parse)
        .collect()
}

/// Removes `review` with its author's guard, the platform's totals and, while its provider
/// is there, the provider's ratings (tried again while other reviews win the race). A
/// review removed already is left as it is.
pub async fn removed(store: &DynStore, review: &Review) -> ApiResult<()> {
    let mut attempt = 0;
    loop {
        let mut ops = vec![
            (
                REVIEW_MOVED,
                TxOp::Delete {
                    key: key(&review.id),
                    cond: Some(Cond::Exists),
                },
            ),
            (
                "review_once",
                TxOp::Delete {
                    key: once_key(&review.provider_id, &review.user_id),
                    cond: None,
                },
            ),
        ];
        if review.is_visible {
            if let Some(provider) = providers::find(store, &review.provider_id).await? {
                ops.push((PROVIDER_MOVED, ratings_moved(&provider, review.rating, -1)));
            }
            ops.extend(totals_moved(review.rating, -1, true));
        } else {
            ops.push(("hidden_total", counters::bump(HIDDEN_TOTAL, -1)));
        }
        match store.transact_named(ops).await {
            Err(e) if lost_race(&e, PROVIDER_MOVED) && attempt + 1 < ATTEMPTS => {
                attempt += 1;
                back_off(attempt).await;
            }
            Err(e) if e.failed(REVIEW_MOVED) => return Ok(()),
            other => return Ok(other?),
        }
    }
}

pub async fn find(store: &DynStore, id: &str) -> ApiResult<Option<Review>> {
    store.get(&key(id)).await?.map(web::item::parse).transpose()
}
