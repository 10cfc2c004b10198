//! Page-number pagination as the marketplace answers it: `page` and `limit` in the query,
//! `pagination` beside the items; and a list's filters of a closed set of values.

use serde::{Deserialize, Serialize};
use web::pagination::Pager;
use web::validate::Choice;
use web::{ApiError, ApiResult};

/// A list's `page` and `limit`, as sent (each checked with its own message).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Éléments par page (défaut 20, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 20)]
    limit: Option<String>,
}

impl PageParams {
    /// The page asked for: 20 items unless said, 100 at most.
    pub fn pager(&self) -> ApiResult<Pager> {
        Pager::parse(self.page.as_deref(), self.limit.as_deref(), 20)
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    #[schema(example = json!(1), minimum = 1)]
    pub page: u32,
    #[schema(example = json!(20), minimum = 1)]
    pub limit: u32,
    /// Nombre total d'éléments.
    #[schema(example = json!(150))]
    pub total: u64,
    #[schema(example = json!(8))]
    pub total_pages: u64,
}

impl Pagination {
    pub fn new(pager: Pager, total: u64) -> Self {
        Pagination {
            page: pager.page,
            limit: pager.limit,
            total,
            total_pages: pager.total_pages(total),
        }
    }
}

/// The query filter `name`, one of `T`'s values; absent or empty: no filter.
pub fn choice_filter<T: Choice>(name: &'static str, value: Option<&str>) -> ApiResult<Option<T>> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => T::parse(text).map(Some).ok_or_else(|| {
            ApiError::field(
                name,
                format!("{name} doit être l'un de : {}", T::names().join(", ")),
            )
        }),
    }
}
