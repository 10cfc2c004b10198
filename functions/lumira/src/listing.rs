//! The back office's lists (`GET /api/users`, `GET /api/orders`): newest first, a page at a
//! time, with the document's `pagination` object.

use serde::Serialize;
use web::pagination::Pager;

/// A query parameter's value, if it is not empty: an empty filter is no filter.
pub fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

// The document's `pagination`: `current` page, `total` pages, `count` of items on this
// page and the page's `limit`, as the old shop's Mongoose lists answered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Pagination {
    /// This page's number.
    #[schema(value_type = i64)]
    pub current: u32,
    /// How many pages the filters give.
    #[schema(value_type = i64)]
    pub total: u64,
    /// How many items this page holds.
    #[schema(value_type = i64)]
    pub count: usize,
    /// The page size.
    #[schema(value_type = i64)]
    pub limit: u32,
    /// How many items the filters match.
    // Every item the filters match, over all pages.
    #[serde(rename = "totalItems")]
    #[schema(value_type = i64)]
    pub total_items: u64,
}

impl Pagination {
    pub fn new(pager: Pager, count: usize, total_items: u64) -> Self {
        Pagination {
            current: pager.page,
            total: pager.total_pages(total_items),
            count,
            limit: pager.limit,
            total_items,
        }
    }
}
