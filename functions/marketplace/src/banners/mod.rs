//! Banners (`marketplace-admin.md`, section 10): advertising images the admin uploads and the
//! site shows where their `type` says, while active and within their dates, lowest `order`
//! first. Their images are kept privately in the bucket and shown through links that work
//! for an hour.
//!
//! Items: the banner at `BANNER#<id>`, all listed in gsi1 (`BANNERS`, by order then
//! creation): a handful of items, read whole by both lists.

mod form;
pub mod routes;

use crate::AppState;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use store::{Index, Key, Placement, Query};
use web::upload::{FileRules, UploadedFile};
use web::{ApiError, ApiResult};

web::choice! {
    pub enum Slot {
        MainHome = "main_home",
        Sidebar = "sidebar",
        Featured = "featured",
        Popup = "popup",
    }
}

/// The form field of the image, and what it may be: JPEG, PNG or WebP by its content.
pub const IMAGE_FIELD: &str = "bannerImage";
pub const IMAGE_RULES: FileRules = FileRules {
    types: &["image/jpeg", "image/png", "image/webp"],
    max_bytes: 3 * 1024 * 1024,
};
/// How long an image's link works.
const LINK: Duration = Duration::from_secs(60 * 60);
const LISTED: Index = Index::Gsi1;
const PARTITION: &str = "BANNERS";

/// A banner as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Banner {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// Where its image is in the bucket.
    pub image_key: String,
    pub link_url: Option<String>,
    #[serde(rename = "type")]
    pub slot: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub is_active: bool,
    pub order: u32,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

fn key(id: &str) -> Key {
    Key::new(format!("BANNER#{id}"), "BANNER")
}

impl Banner {
    pub fn placement(&self) -> Placement {
        let place = format!("{:05}#{}#{}", self.order, self.created_at, self.id);
        Placement::new(key(&self.id)).listed(LISTED, PARTITION, place)
    }

    /// Whether the site shows it at `now` (a timestamp as `web::time::now` writes them).
    pub fn is_showing(&self, now: &str) -> bool {
        self.is_active
            && self.start_date.as_deref().is_none_or(|start| start <= now)
            && self.end_date.as_deref().is_none_or(|end| now <= end)
    }
}

pub async fn find(state: &AppState, id: &str) -> ApiResult<Option<Banner>> {
    state
        .store
        .get(&key(id))
        .await?
        .map(web::item::parse)
        .transpose()
}

/// Every banner, lowest `order` first, then the oldest.
pub async fn all(state: &AppState) -> ApiResult<Vec<Banner>> {
    let query = Query::partition(LISTED, PARTITION);
    web::pagination::read_all(&state.store, query)
        .await?
        .into_iter()
        .map(web::item::parse)
        .collect()
}

/// Stores `file` as a new image of the banner `id`; its key.
async fn stored_image(state: &AppState, id: &str, file: &UploadedFile) -> ApiResult<String> {
    let key = format!(
        "banners/{id}/{}.{}",
        uuid::Uuid::new_v4().simple(),
        file.extension()
    );
    state
        .blobs
        .put(&key, file.bytes.clone(), file.content_type)
        .await?;
    Ok(key)
}

/// Removes an image no banner shows any more; a failure is logged, never the caller's
/// error (the banner's own change is already written).
async fn removed_image(state: &AppState, key: &str) {
    if let Err(e) = state.blobs.delete(key).await {
        tracing::warn!(%key, error = %e, "a banner image was left behind");
    }
}

// A banner as clients see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Banner)]
pub struct BannerView {
    pub id: String,
    #[schema(example = json!("Promo de la Tabaski"))]
    pub title: String,
    pub description: Option<String>,
    /// Lien de l'image, valable une heure.
    #[schema(example = json!("https://files.example.com/marketplace/banners/...?X-Amz-Signature=..."))]
    pub image_url: String,
    #[schema(example = json!("https://marketplace.example.com/promo"))]
    pub link_url: Option<String>,
    #[serde(rename = "type")]
    #[schema(rename = "type", value_type = Slot)]
    pub slot: String,
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub start_date: Option<String>,
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub end_date: Option<String>,
    pub is_active: bool,
    /// Priorité d'affichage : la plus petite d'abord.
    pub order: u32,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub updated_at: String,
}

/// `banners` with links to their images.
pub async fn shown(state: &AppState, banners: Vec<Banner>) -> ApiResult<Vec<BannerView>> {
    let links = banners
        .iter()
        .map(|banner| state.blobs.presigned_get(&banner.image_key, LINK));
    let links = futures_util::future::try_join_all(links)
        .await
        .map_err(ApiError::from)?;
    Ok(banners
        .into_iter()
        .zip(links)
        .map(|(b, image_url)| BannerView {
            id: b.id,
            title: b.title,
            description: b.description,
            image_url,
            link_url: b.link_url,
            slot: b.slot,
            start_date: b.start_date,
            end_date: b.end_date,
            is_active: b.is_active,
            order: b.order,
            created_at: b.created_at,
            updated_at: b.updated_at,
        })
        .collect())
}
