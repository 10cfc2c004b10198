//! Moving between stored items and the typed records handlers work with.

use crate::{ApiError, ApiResult};
use serde::de::DeserializeOwned;
use serde_json::Value;
use store::Item;

/// Reads a stored item as a record; a stored item that does not fit is our bug, so a 500.
pub fn parse<T: DeserializeOwned>(item: Item) -> ApiResult<T> {
    serde_json::from_value(Value::Object(item)).map_err(ApiError::internal)
}

/// The item of `key`, parsed, if there is one.
pub async fn get<T: DeserializeOwned>(
    store: &store::DynStore,
    key: &store::Key,
) -> ApiResult<Option<T>> {
    store.get(key).await?.map(parse).transpose()
}

/// Every item of `query`, page after page, parsed.
pub async fn all<T: DeserializeOwned>(
    store: &store::DynStore,
    query: store::Query,
) -> ApiResult<Vec<T>> {
    crate::pagination::read_all(store, query)
        .await?
        .into_iter()
        .map(parse)
        .collect()
}

/// The items of `keys` (in their order, `None` where absent), read at once and parsed.
pub async fn get_many<T: DeserializeOwned>(
    store: &store::DynStore,
    keys: &[store::Key],
) -> ApiResult<Vec<Option<T>>> {
    store
        .get_many(keys)
        .await?
        .into_iter()
        .map(|item| item.map(parse).transpose())
        .collect()
}

/// The items of the first page of `query`, parsed.
pub async fn first_page<T: DeserializeOwned>(
    store: &store::DynStore,
    query: store::Query,
) -> ApiResult<Vec<T>> {
    store
        .query(query)
        .await?
        .items
        .into_iter()
        .map(parse)
        .collect()
}

/// The attributes of the typed record `record` (a struct that serializes to an object).
pub fn record<T: serde::Serialize>(record: &T) -> ApiResult<Item> {
    match serde_json::to_value(record).map_err(ApiError::internal)? {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::internal("a record that is not an object")),
    }
}
