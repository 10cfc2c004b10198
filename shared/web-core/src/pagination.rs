//! Page-number pagination as the documents describe it (`page`, `limit`, totals). Totals come
//! from counter items kept by the products; reading page N walks the index from its start,
//! so its cost grows with N, never with the size of the table.

use crate::error::Problem;
use crate::{ApiError, ApiResult};
use store::{DynStore, Item, Query};

/// The largest page a client may ask for.
pub const MAX_LIMIT: u32 = 100;
/// The deepest page number accepted: reading page N walks N pages of the index, so this
/// bounds the work of one request (at most `MAX_PAGE * MAX_LIMIT` items).
pub const MAX_PAGE: u32 = 100_000;
/// Items read per store round trip while skipping to a page.
const BATCH: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    pub page: u32,
    pub limit: u32,
}

fn positive(name: &'static str, text: Option<&str>, default: u32) -> ApiResult<u32> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        // Any positive integer, however long: past `u32` it saturates (and is then capped or
        // refused as too large like any other big value).
        Some(t) if t.bytes().all(|b| b.is_ascii_digit()) && t.bytes().any(|b| b != b'0') => {
            Ok(t.parse::<u32>().unwrap_or(u32::MAX))
        }
        Some(_) => Err(ApiError::problem(Problem::InvalidPage {
            param: name,
            too_large: false,
        })),
    }
}

impl Pager {
    /// Parses `page` and `limit` query parameters; a limit above [`MAX_LIMIT`] is capped, a
    /// page above [`MAX_PAGE`] refused.
    pub fn parse(page: Option<&str>, limit: Option<&str>, default_limit: u32) -> ApiResult<Pager> {
        let page = positive("page", page, 1)?;
        let limit = positive("limit", limit, default_limit)?.min(MAX_LIMIT);
        if page > MAX_PAGE {
            return Err(ApiError::problem(Problem::InvalidPage {
                param: "page",
                too_large: true,
            }));
        }
        Ok(Pager { page, limit })
    }

    pub fn offset(&self) -> usize {
        (self.page as usize - 1) * self.limit as usize
    }

    pub fn total_pages(&self, total: u64) -> u64 {
        total.div_ceil(u64::from(self.limit))
    }
}

/// The items of page `pager` among those `query` returns (after its filter).
pub async fn read_page(store: &DynStore, query: Query, pager: Pager) -> ApiResult<Vec<Item>> {
    let mut to_skip = pager.offset();
    let wanted = pager.limit as usize;
    let mut items = Vec::with_capacity(wanted);
    let mut cursor = None;
    loop {
        let batch = (to_skip + wanted - items.len()).clamp(1, BATCH as usize) as u32;
        let page = store
            .query(query.clone().limit(batch).after(cursor))
            .await?;
        for item in page.items {
            if to_skip > 0 {
                to_skip -= 1;
            } else if items.len() < wanted {
                items.push(item);
            }
        }
        cursor = page.next;
        if items.len() == wanted || cursor.is_none() {
            return Ok(items);
        }
    }
}

/// Every item `query` returns (after its filter): for short partitions such as catalogues.
pub async fn read_all(store: &DynStore, query: Query) -> ApiResult<Vec<Item>> {
    let mut items = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.query(query.clone().after(cursor)).await?;
        items.extend(page.items);
        cursor = page.next;
        if cursor.is_none() {
            return Ok(items);
        }
    }
}

/// How many items `query` returns (after its filter): for totals no counter covers.
pub async fn count(store: &DynStore, query: Query) -> ApiResult<u64> {
    let mut total = 0;
    let mut cursor = None;
    loop {
        let page = store.query(query.clone().limit(1000).after(cursor)).await?;
        total += page.items.len() as u64;
        cursor = page.next;
        if cursor.is_none() {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Arc;
    use store::{Cond, Index, Key, embedded::EmbeddedStore};

    #[test]
    fn parses_and_caps() {
        assert_eq!(
            Pager::parse(None, None, 20).unwrap(),
            Pager { page: 1, limit: 20 }
        );
        assert_eq!(
            Pager::parse(Some("3"), Some("500"), 20).unwrap(),
            Pager {
                page: 3,
                limit: 100
            }
        );
        assert!(Pager::parse(Some("0"), None, 20).is_err());
        assert!(Pager::parse(Some("abc"), None, 20).is_err());
        assert!(Pager::parse(None, Some("-1"), 20).is_err());
        assert!(Pager::parse(Some("100000"), Some("100"), 20).is_ok());
        assert!(Pager::parse(Some("100001"), Some("1"), 20).is_err());
        assert!(Pager::parse(Some("99999999999999999999"), None, 20).is_err());
        assert_eq!(
            Pager::parse(None, Some("99999999999999999999"), 20).unwrap(),
            Pager {
                page: 1,
                limit: 100
            }
        );
        assert!(Pager::parse(Some("1.5"), None, 20).is_err());
        assert!(Pager::parse(Some("+1"), None, 20).is_err());
        assert_eq!(Pager { page: 1, limit: 20 }.total_pages(150), 8);
        assert_eq!(Pager { page: 1, limit: 20 }.total_pages(0), 0);
    }

    #[tokio::test]
    async fn reads_pages_after_the_filter() {
        let store: DynStore = Arc::new(EmbeddedStore::in_memory().unwrap());
        for i in 0..450 {
            let mut item = Key::new("P", format!("{i:04}")).to_item();
            item.insert("even".into(), json!(i % 2 == 0));
            store.put(item, None).await.unwrap();
        }
        let query = Query::partition(Index::Table, "P").filter(Cond::eq("even", true));
        let page = read_page(
            &store,
            query.clone(),
            Pager {
                page: 3,
                limit: 100,
            },
        )
        .await
        .unwrap();
        assert_eq!(page.len(), 25);
        assert_eq!(page[0]["sk"], "0400");
        assert_eq!(count(&store, query).await.unwrap(), 225);
        let empty = read_page(
            &store,
            Query::partition(Index::Table, "P"),
            Pager {
                page: 9,
                limit: 100,
            },
        )
        .await
        .unwrap();
        assert!(empty.is_empty());
    }
}
