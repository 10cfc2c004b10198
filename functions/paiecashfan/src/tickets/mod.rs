//! The ticket office (`/api/tickets`): the clubs' events with their categories, prices and
//! seats left; a purchase paid from the wallet that takes a seat atomically; the fan's
//! tickets and their QR codes, each a code signed with the event's Ed25519 key
//! ([`signing`]); and the gate, which redeems a code once, and the refunds that revoke one.
//!
//! Items: an event at `EVENT#<id>` / `EVENT`, listed in gsi1 by club (`EVENTS#<club>`) and
//! in gsi2 (`EVENTS`), by date; its seats left per category beside it (`EVENT#<id>` /
//! `SEATS#<category>`, listed right after the event), so a sale writes the seats and not
//! the event, and a listing reads both at once; a ticket at
//! `TICKET#<id>`, listed in gsi1 under its owner (`TICKETS#<user>`).

mod gate;
mod listing;
mod office;
pub mod signing;

pub use listing::club_events;
pub use office::owned;

use crate::AppState;
use crate::role::Role;
use serde::{Deserialize, Serialize};
use store::{Index, Item, Key, Placement};
use web::money::Money;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(office::events, Access::Public),
        route!(office::purchase, Access::AnyUser),
        route!(office::mine, Access::AnyUser),
        route!(office::qr, Access::AnyUser),
        route!(gate::redeem, Access::Roles(Role::GATE)),
        route!(gate::revoked, Access::Roles(Role::GATE)),
        route!(gate::refund, Access::Roles(Role::ADMIN)),
    ]
}

const BY_CLUB: Index = Index::Gsi1;
const ALL: Index = Index::Gsi2;
const ALL_PARTITION: &str = "EVENTS";

/// An event as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    pub club_id: String,
    pub name: String,
    pub venue: String,
    pub starts_at: String,
    pub categories: Vec<Category>,
}

/// A category of seats and its price.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    pub name: String,
    /// In cents.
    pub price: i64,
    /// How many seats it had at first.
    pub seats: i64,
}

pub fn event_key(id: &str) -> Key {
    Key::new(format!("EVENT#{id}"), "EVENT")
}

/// The sort key's start of a category's seats.
const SEATS: &str = "SEATS#";

pub fn seats_key(event: &str, category: &str) -> Key {
    Key::new(format!("EVENT#{event}"), format!("{SEATS}{category}"))
}

fn club_partition(club: &str) -> String {
    format!("EVENTS#{club}")
}

impl Event {
    /// The writes that put the event on sale: the event, and its seats per category.
    pub fn on_sale(&self) -> ApiResult<Vec<Item>> {
        let place = format!("{}#{}", self.starts_at, self.id);
        let mut items = vec![
            Placement::new(event_key(&self.id))
                .listed(BY_CLUB, club_partition(&self.club_id), place.clone())
                .listed(ALL, ALL_PARTITION, place.clone())
                .item(web::item::record(self)?),
        ];
        for category in &self.categories {
            // Listed beside the event, so that one query reads an event with its seats.
            let place = format!("{place}#{SEATS}{}", category.name);
            let mut seats = Item::new();
            seats.insert("available".into(), category.seats.into());
            items.push(
                Placement::new(seats_key(&self.id, &category.name))
                    .listed(BY_CLUB, club_partition(&self.club_id), place.clone())
                    .listed(ALL, ALL_PARTITION, place)
                    .item(seats),
            );
        }
        Ok(items)
    }

    pub fn category(&self, name: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.name == name)
    }
}

/// A ticket as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub id: String,
    pub user_id: String,
    pub event_id: String,
    pub event_name: String,
    pub category: String,
    /// In cents.
    pub price: i64,
    /// `valid` or `refunded`.
    pub status: String,
    /// The ledger entry that paid for it.
    pub entry_id: String,
    pub purchased_at: String,
}

pub fn ticket_key(id: &str) -> Key {
    Key::new(format!("TICKET#{id}"), "TICKET")
}

/// A ticket as its owner reads it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Ticket)]
pub struct TicketView {
    #[schema(example = json!("1b7e4c9a-2f3d-4e5a-8b6c-7d8e9f0a1b2c"))]
    pub id: String,
    #[schema(example = json!("psg-om-2027-02-08"))]
    pub event_id: String,
    #[schema(example = json!("PSG – OM"))]
    pub event_name: String,
    #[schema(example = json!("premium"))]
    pub category: String,
    #[schema(value_type = f64, example = json!(89.99))]
    pub price: Money,
    /// `valid` ou `refunded` (un billet remboursé est révoqué).
    #[schema(example = json!("valid"))]
    pub status: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub purchased_at: String,
}

impl From<Ticket> for TicketView {
    fn from(t: Ticket) -> Self {
        TicketView {
            id: t.id,
            event_id: t.event_id,
            event_name: t.event_name,
            category: t.category,
            price: Money::from_minor(t.price),
            status: t.status,
            purchased_at: t.purchased_at,
        }
    }
}

pub async fn find_event(state: &AppState, id: &str) -> ApiResult<Event> {
    web::item::get(&state.store, &event_key(id))
        .await?
        .ok_or_else(|| ApiError::not_found("Événement introuvable"))
}

pub async fn find_ticket(state: &AppState, id: &str) -> ApiResult<Option<Ticket>> {
    web::item::get(&state.store, &ticket_key(id)).await
}

/// The secret the events' keys are derived from.
fn signing_secret(state: &AppState) -> &[u8] {
    state.config.ticket_secret.as_bytes()
}
