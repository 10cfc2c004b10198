//! Events as listed: each with the seats left in its categories, read in the same query (the
//! seats are listed right after their event, `<place>#SEATS#<category>`).

use super::{BY_CLUB, Event, SEATS, club_partition, seats_key};
use crate::AppState;
use serde_json::Value;
use std::collections::HashMap;
use store::{Item, Key, Query};
use web::ApiResult;

/// The events of `query` (a club's or all), by date, each with the seats left in each of its
/// categories, in their order.
pub async fn listed(state: &AppState, query: Query) -> ApiResult<Vec<(Event, Vec<i64>)>> {
    let mut events = Vec::new();
    let mut seats: HashMap<(String, String), i64> = HashMap::new();
    for item in web::pagination::read_all(&state.store, query).await? {
        match seats_of(&item) {
            Some((event, category, left)) => {
                seats.insert((event, category), left);
            }
            None => events.push(web::item::parse::<Event>(item)?),
        }
    }
    // Seats written before they were listed are read beside their events.
    let unlisted: Vec<Event> = events
        .iter()
        .filter(|e| {
            e.categories
                .iter()
                .any(|c| !seats.contains_key(&(e.id.clone(), c.name.clone())))
        })
        .cloned()
        .collect();
    for (event, left) in unlisted.iter().zip(seats_left(state, &unlisted).await?) {
        for (category, n) in event.categories.iter().zip(left) {
            seats.insert((event.id.clone(), category.name.clone()), n);
        }
    }
    Ok(events
        .into_iter()
        .map(|e| {
            let left = e
                .categories
                .iter()
                .map(|c| {
                    seats
                        .get(&(e.id.clone(), c.name.clone()))
                        .copied()
                        .unwrap_or(0)
                })
                .collect();
            (e, left)
        })
        .collect())
}

/// A listed seats item's event, category and seats left.
fn seats_of(item: &Item) -> Option<(String, String, i64)> {
    let text = |name: &str| item.get(name).and_then(Value::as_str);
    let category = text("sk")?.strip_prefix(SEATS)?;
    let event = text("pk")?.strip_prefix("EVENT#")?;
    let left = item.get("available").and_then(Value::as_i64).unwrap_or(0);
    Some((event.to_owned(), category.to_owned(), left))
}

/// The events of `club`, by date, with their seats left.
pub async fn club_events(state: &AppState, club: &str) -> ApiResult<Vec<(Event, Vec<i64>)>> {
    listed(state, Query::partition(BY_CLUB, club_partition(club))).await
}

/// The seats left in each category of each of `events`, in their order, read by key.
async fn seats_left(state: &AppState, events: &[Event]) -> ApiResult<Vec<Vec<i64>>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<Key> = events
        .iter()
        .flat_map(|e| e.categories.iter().map(|c| seats_key(&e.id, &c.name)))
        .collect();
    let mut seats = state.store.get_many(&keys).await?.into_iter();
    let available = |item: Option<Item>| {
        item.and_then(|item| item.get("available").and_then(Value::as_i64))
            .unwrap_or(0)
    };
    Ok(events
        .iter()
        .map(|e| {
            e.categories
                .iter()
                .map(|_| available(seats.next().flatten()))
                .collect()
        })
        .collect())
}
