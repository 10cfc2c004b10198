//! Providers: the profile an approved application becomes, verified by an admin before its
//! badge shows, and its subscription (a 30-day trial at first).
//!
//! Items: the provider at `PROVIDER#<id>`; `PROVIDEROF#<userId>` names the provider of each
//! account (one at most). The admin's lists are indexes: gsi1 by verification status
//! (`PROVIDERS#<status>`), gsi2 the featured ones by the end of their featuring
//! (`FEATURED`), gsi3 the unverified ones (`UNVERIFIED`). Totals (`providers`,
//! `providers#verified`, `providers#featured`...) move with each write that changes them.

pub mod listing;
pub mod own;
pub mod public;
pub mod view;

use crate::applications::Application;
use crate::applications::documents::Document;
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Placement, TxOp, Update};
use web::{ApiResult, counters};

web::choice! {
    pub enum Verification {
        UnderReview = "under_review",
        Approved = "approved",
        Rejected = "rejected",
    }
}

/// A provider as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    pub id: String,
    pub user_id: String,
    pub business_name: String,
    pub description: String,
    pub location: String,
    pub address: Option<String>,
    pub whatsapp: Option<String>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    pub photos: Vec<String>,
    pub activities: Vec<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub is_verified: bool,
    pub is_featured: bool,
    pub featured_until: Option<String>,
    /// Until when a paid boost lifts it above the providers neither featured nor boosted.
    #[serde(default)]
    pub boosted_until: Option<String>,
    pub is_active: bool,
    pub views_count: u64,
    pub contacts_count: u64,
    pub average_rating: f64,
    pub total_reviews: u64,
    /// The sum of its visible reviews' ratings, from which `averageRating` is kept.
    #[serde(default)]
    pub rating_sum: u64,
    pub documents: Vec<Document>,
    pub verification_status: String,
    pub verification_notes: Option<String>,
    pub verified_at: Option<String>,
    pub verified_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub const BY_VERIFICATION: Index = Index::Gsi1;
/// The featured providers, by the end of their featuring (those without an end last).
pub const FEATURED: Index = Index::Gsi2;
pub const FEATURED_PARTITION: &str = "FEATURED";
pub const UNVERIFIED: Index = Index::Gsi3;
pub const UNVERIFIED_PARTITION: &str = "UNVERIFIED";

pub fn key(id: &str) -> Key {
    Key::new(format!("PROVIDER#{id}"), "PROVIDER")
}

fn of_user_key(user_id: &str) -> Key {
    Key::new(format!("PROVIDEROF#{user_id}"), "PROVIDER")
}

pub fn verification_partition(status: &str) -> String {
    format!("PROVIDERS#{status}")
}

/// The condition of an account that has no provider yet.
pub const ONE_PER_USER: &str = "provider_of_user";

impl Provider {
    /// The provider `application` becomes on approval: unverified, under review, with the
    /// application's documents still to be checked one by one.
    pub fn from_application(application: &Application, now: &str) -> Provider {
        Provider {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: application.user_id.clone(),
            business_name: application.business_name.clone(),
            description: application.description.clone(),
            location: application.location.clone(),
            address: application.address.clone(),
            whatsapp: application.whatsapp.clone(),
            facebook: application.facebook.clone(),
            instagram: application.instagram.clone(),
            photos: Vec::new(),
            activities: application.activities.clone(),
            latitude: application.latitude,
            longitude: application.longitude,
            is_verified: false,
            is_featured: false,
            featured_until: None,
            boosted_until: None,
            is_active: true,
            views_count: 0,
            contacts_count: 0,
            average_rating: 0.0,
            total_reviews: 0,
            rating_sum: 0,
            documents: application.documents.clone(),
            verification_status: Verification::UnderReview.as_str().to_owned(),
            verification_notes: None,
            verified_at: None,
            verified_by: None,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
        }
    }

    pub fn placement(&self) -> Placement {
        let place = format!("{}#{}", self.created_at, self.id);
        let mut placement = Placement::new(key(&self.id)).listed(
            BY_VERIFICATION,
            verification_partition(&self.verification_status),
            place.clone(),
        );
        if self.is_featured {
            let until = self.featured_until.as_deref().unwrap_or("9999");
            placement =
                placement.listed(FEATURED, FEATURED_PARTITION, format!("{until}#{}", self.id));
        }
        if !self.is_verified {
            placement = placement.listed(UNVERIFIED, UNVERIFIED_PARTITION, place);
        }
        placement
    }

    /// The writes that create it: the provider, its account's link to it (one provider per
    /// account), its 30-day trial and the totals.
    pub fn creation(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> ApiResult<Vec<(&'static str, TxOp)>> {
        let item = self.placement().item(web::item::record(self)?);
        let mut link = of_user_key(&self.user_id).to_item();
        link.insert("providerId".into(), self.id.clone().into());
        let trial = Subscription::trial(&self.id, now);
        let subscription = trial
            .key()
            .to_item()
            .into_iter()
            .chain(web::item::record(&trial)?)
            .collect();
        let mut ops = vec![
            (
                "provider",
                TxOp::Put {
                    item,
                    cond: Some(Cond::NotExists),
                },
            ),
            (
                ONE_PER_USER,
                TxOp::Put {
                    item: link,
                    cond: Some(Cond::NotExists),
                },
            ),
            (
                "subscription",
                TxOp::Put {
                    item: subscription,
                    cond: Some(Cond::NotExists),
                },
            ),
        ];
        for total in counted_in(self) {
            ops.push(("total_in", counters::bump(total, 1)));
        }
        Ok(ops)
    }
}

pub async fn find(store: &DynStore, id: &str) -> ApiResult<Option<Provider>> {
    store.get(&key(id)).await?.map(web::item::parse).transpose()
}

/// The provider of the account `user_id`.
pub async fn of_user(store: &DynStore, user_id: &str) -> ApiResult<Option<Provider>> {
    let Some(link) = store.get(&of_user_key(user_id)).await? else {
        return Ok(None);
    };
    match link.get("providerId").and_then(|v| v.as_str()) {
        Some(id) => find(store, id).await,
        None => Ok(None),
    }
}

impl Provider {
    /// The writes that remove it, as it is now: the provider, its account's link, its
    /// subscription, its boost's entry, its public entries and its totals.
    pub fn removal(&self) -> Vec<(&'static str, TxOp)> {
        let gone = |key| TxOp::Delete { key, cond: None };
        let mut ops = vec![
            (
                SAVED,
                TxOp::Delete {
                    key: key(&self.id),
                    cond: Some(Cond::eq("updatedAt", self.updated_at.clone())),
                },
            ),
            ("provider_link", gone(of_user_key(&self.user_id))),
            ("subscription", gone(subscription_key(&self.id))),
        ];
        if let Some(until) = &self.boosted_until {
            ops.push(("boost_entry", gone(boost_key(until, &self.id))));
        }
        ops.extend(public::moves(Some(self), None));
        for total in counted_in(self) {
            ops.push(("total_out", counters::bump(total, -1)));
        }
        ops
    }
}

/// The caller's own provider profile; 404 when the caller has none.
pub async fn of_caller(store: &DynStore, caller: &web::auth::AuthUser) -> ApiResult<Provider> {
    of_user(store, &caller.id.to_string())
        .await?
        .ok_or_else(|| web::ApiError::not_found("Profil prestataire non trouvé"))
}

/// A provider's subscription: its plan and until when it runs.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub provider_id: String,
    /// `trial`, puis `monthly` une fois payé.
    #[schema(example = json!("trial"))]
    pub plan: String,
    #[schema(example = json!("trial"))]
    pub status: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub starts_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub ends_at: String,
}

/// A new provider's free trial.
pub const TRIAL_DAYS: i64 = 30;

impl Subscription {
    pub fn trial(provider_id: &str, now: chrono::DateTime<chrono::Utc>) -> Subscription {
        Subscription {
            provider_id: provider_id.to_owned(),
            plan: "trial".into(),
            status: "trial".into(),
            starts_at: web::time::format(now),
            ends_at: web::time::format(now + chrono::Duration::days(TRIAL_DAYS)),
        }
    }

    pub fn key(&self) -> Key {
        subscription_key(&self.provider_id)
    }
}

pub fn subscription_key(provider_id: &str) -> Key {
    Key::new(format!("SUBSCRIPTION#{provider_id}"), "SUBSCRIPTION")
}

/// The totals a provider counts in, by what it is now: every provider, and those verified,
/// unverified, under review, featured and hidden.
fn counted_in(provider: &Provider) -> Vec<&'static str> {
    let mut totals = vec!["providers"];
    totals.push(if provider.is_verified {
        "providers#verified"
    } else {
        "providers#unverified"
    });
    if provider.verification_status == Verification::UnderReview.as_str() {
        totals.push("providers#under_review");
    }
    if provider.is_featured {
        totals.push("providers#featured");
    }
    if !provider.is_active {
        totals.push("providers#inactive");
    }
    totals
}

/// Boosted providers by the end of their boost, for the nightly job that ends them:
/// `BOOSTS` / `<boostedUntil>#<id>`, naming the provider (`providerId`).
pub const BOOSTS_PARTITION: &str = "BOOSTS";

pub fn boost_key(until: &str, provider_id: &str) -> Key {
    Key::new(BOOSTS_PARTITION, format!("{until}#{provider_id}"))
}

/// The writes that move `was`'s boost entry to `now`'s.
fn boost_moves(was: &Provider, now: &Provider) -> Vec<(&'static str, TxOp)> {
    let mut ops = Vec::new();
    if let Some(until) = &was.boosted_until {
        let key = boost_key(until, &was.id);
        ops.push(("boost_entry", TxOp::Delete { key, cond: None }));
    }
    if let Some(until) = &now.boosted_until {
        let mut item = boost_key(until, &now.id).to_item();
        item.insert("providerId".into(), now.id.clone().into());
        ops.push(("boost_entry", TxOp::Put { item, cond: None }));
    }
    ops
}

/// The name of a save's own write, whose condition failing means another change came first.
pub const SAVED: &str = "provider";

/// The fields other writes move without reading the provider first (a view, a contact, a
/// review): a save leaves them as they are.
const COUNTED: &[&str] = &[
    "viewsCount",
    "contactsCount",
    "averageRating",
    "totalReviews",
    "ratingSum",
];

impl Provider {
    /// The writes that store it as it is now, on the condition that it is still as `was`
    /// (read before the change: no other write came between), with its totals moved.
    pub fn saved(&self, was: &Provider) -> ApiResult<Vec<(&'static str, TxOp)>> {
        let item = self.placement().item(web::item::record(self)?);
        let unchanged = Cond::eq("updatedAt", was.updated_at.clone());
        // Every field but the counts others move meanwhile (a view, a review), which an
        // update leaves as they are; and its index entries, removed where it left a list.
        let mut update = Update::new();
        for (name, value) in item {
            if !matches!(name.as_str(), "pk" | "sk") && !COUNTED.contains(&name.as_str()) {
                update = update.set(&name, value);
            }
        }
        let listed: Vec<&str> = self
            .placement()
            .entries
            .iter()
            .flat_map(|e| [e.index.pk_attr(), e.index.sk_attr()])
            .collect();
        for index in Index::GSIS {
            for attr in [index.pk_attr(), index.sk_attr()] {
                if !listed.contains(&attr) {
                    update = update.remove(attr);
                }
            }
        }
        let write = TxOp::Update {
            key: key(&self.id),
            update,
            cond: Some(unchanged),
        };
        let mut ops = vec![(SAVED, write)];
        ops.extend(public::moves(Some(was), Some(self)));
        if was.boosted_until != self.boosted_until {
            ops.extend(boost_moves(was, self));
        }
        let (before, after) = (counted_in(was), counted_in(self));
        for total in after.iter().filter(|t| !before.contains(t)) {
            ops.push(("total_in", counters::bump(*total, 1)));
        }
        for total in before.iter().filter(|t| !after.contains(t)) {
            ops.push(("total_out", counters::bump(*total, -1)));
        }
        Ok(ops)
    }
}
