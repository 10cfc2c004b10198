//! The office's side: events, purchases, the fan's tickets and their QR codes.

use super::signing::{self, Claims};
use super::{ALL, ALL_PARTITION, BY_CLUB, Ticket, TicketView, club_partition};
use crate::AppState;
use crate::amount::euros;
use crate::ledger::{self, Account, Entry, Kind};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::{Cond, Placement, Query, TxOp, Update};
use web::auth::AuthUser;
use web::extract::{Command, PathText, Query as QueryParams};
use web::money::Money;
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

const SEAT: &str = "seat";

fn owner_partition(user: &str) -> String {
    format!("TICKETS#{user}")
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = TicketCategory)]
struct CategoryView {
    #[schema(example = json!("premium"))]
    name: String,
    #[schema(value_type = f64, example = json!(89.99))]
    price: Money,
    /// Places restantes.
    #[schema(example = json!(120))]
    available: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = TicketEvent)]
struct EventView {
    #[schema(example = json!("psg-om-2027-02-08"))]
    id: String,
    #[schema(example = json!("psg"))]
    club_id: String,
    #[schema(example = json!("PSG – OM"))]
    name: String,
    #[schema(example = json!("Parc des Princes"))]
    venue: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    starts_at: String,
    /// Le prix le plus bas, en euros.
    #[schema(value_type = f64, example = json!(35.0))]
    price: Money,
    categories: Vec<CategoryView>,
    /// La clé publique Ed25519 (base64url) qui vérifie les billets de l'événement hors ligne.
    #[schema(example = json!("m3Jt0u3Q2d0w6xYvR1b3l1T0c2lQ3k7yWmHcJv9aZtE"))]
    public_key: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Filter {
    /// Les événements d'un club (`psg`).
    club: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = TicketEvents)]
pub(super) struct Events {
    events: Vec<EventView>,
}

#[utoipa::path(
    get,
    path = "/api/tickets/events",
    tag = "Tickets",
    operation_id = "getEvents",
    summary = "Événements",
    description = "`getEvents(club)` : les événements par date, avec leurs catégories, leurs prix et leurs places restantes, et la clé publique qui vérifie leurs billets.",
    params(Filter),
    responses(
        (status = 200, description = "Les événements.", body = Events),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
pub(super) async fn events(
    State(state): State<AppState>,
    QueryParams(filter): QueryParams<Filter>,
) -> ApiResult<Json<Events>> {
    let query = match filter.club.filter(|c| !c.is_empty()) {
        Some(club) => Query::partition(BY_CLUB, club_partition(&club)),
        None => Query::partition(ALL, ALL_PARTITION),
    };
    let mut views = Vec::new();
    for (event, left) in super::listing::listed(&state, query).await? {
        let categories: Vec<CategoryView> = event
            .categories
            .iter()
            .zip(left)
            .map(|(c, available)| CategoryView {
                name: c.name.clone(),
                price: Money::from_minor(c.price),
                available,
            })
            .collect();
        let lowest = event.categories.iter().map(|c| c.price).min().unwrap_or(0);
        views.push(EventView {
            public_key: signing::public_key(super::signing_secret(&state), &event.id)?,
            id: event.id,
            club_id: event.club_id,
            name: event.name,
            venue: event.venue,
            starts_at: event.starts_at,
            price: Money::from_minor(lowest),
            categories,
        });
    }
    Ok(Json(Events { events: views }))
}

// `POST /api/tickets/purchase`: `purchaseTicket(eventId, category, price)`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "camelCase")]
#[schema(as = PurchaseRequest, example = json!({"eventId": "psg-om-2027-02-08", "category": "premium", "price": 89.99}))]
pub struct Purchase {
    event_id: String,
    category: String,
    /// Le prix affiché au fan, en euros : il doit être le prix actuel de la catégorie.
    #[schema(value_type = f64, minimum = 0.01, multiple_of = 0.01)]
    price: Money,
}

impl TryFrom<&Map<String, Value>> for Purchase {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let price = fields.required_with("price", euros);
        let event_id = fields.required_str("eventId").map(str::to_owned);
        let category = fields.required_str("category").map(str::to_owned);
        fields.finish()?;
        match (event_id, category, price) {
            (Some(event_id), Some(category), Some(price)) => Ok(Purchase {
                event_id,
                category,
                price,
            }),
            _ => Err(ApiError::internal("a purchase refused without a message")),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = TicketPurchased)]
pub(super) struct Purchased {
    ticket: TicketView,
}

#[utoipa::path(
    post,
    path = "/api/tickets/purchase",
    tag = "Tickets",
    operation_id = "purchaseTicket",
    summary = "Acheter un billet",
    description = "`purchaseTicket(eventId, category, price)` : `price` doit être le prix actuel de la catégorie (sinon 409 avec le prix actuel). La place, le débit du portefeuille et le billet sont une transaction : aucune place vendue qui n'existe pas.",
    request_body = Purchase,
    responses(
        (status = 201, description = "Billet acheté.", body = Purchased),
        (status = 400, description = "Données invalides, catégorie inconnue ou solde insuffisant.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "rejected", "message": "Solde insuffisant"}})),
        (status = 404, description = "Aucun événement n'a cet identifiant.", body = crate::openapi::schemas::Error),
        (status = 409, description = "Le prix a changé, ou la catégorie est complète.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "conflict", "message": "Complet"}})),
    )
)]
pub(super) async fn purchase(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(purchase, _): Command<Purchase>,
) -> ApiResult<(StatusCode, Json<Purchased>)> {
    let event = super::find_event(&state, &purchase.event_id).await?;
    let category = event
        .category(&purchase.category)
        .ok_or_else(|| ApiError::field("category", "Catégorie inconnue"))?;
    if category.price != purchase.price.minor() {
        return Err(ApiError::conflict("Le prix a changé")
            .with_details(json!({"price": category.price as f64 / 100.0})));
    }
    let user = caller.id.to_string();
    let entry = Entry::new(
        Account::wallet(&user),
        Account::revenue("tickets"),
        purchase.price,
        Kind::Ticket,
        format!("Billet {} ({})", event.name, category.name),
    );
    let ticket = Ticket {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user.clone(),
        event_id: event.id.clone(),
        event_name: event.name.clone(),
        category: category.name.clone(),
        price: category.price,
        status: "valid".into(),
        entry_id: entry.id.clone(),
        purchased_at: web::time::now(),
    };
    let place = format!("{}#{}", ticket.purchased_at, ticket.id);
    let item = Placement::new(super::ticket_key(&ticket.id))
        .listed(BY_CLUB, owner_partition(&user), place)
        .item(web::item::record(&ticket)?);
    let mut ops = vec![(
        SEAT,
        TxOp::Update {
            key: super::seats_key(&event.id, &category.name),
            update: Update::new().add("available", -1),
            cond: Some(Cond::ge("available", 1)),
        },
    )];
    ops.push((
        "ticket",
        TxOp::Put {
            item,
            cond: Some(Cond::NotExists),
        },
    ));
    ops.extend(ledger::posted(&entry)?);
    match ledger::commit(&state.store, ops).await {
        Ok(()) => Ok((
            StatusCode::CREATED,
            Json(Purchased {
                ticket: ticket.into(),
            }),
        )),
        Err(e) if e.failed(SEAT) => Err(ApiError::conflict("Complet")),
        Err(e) if e.failed(ledger::FUNDS) => Err(ledger::insufficient_funds()),
        Err(e) => Err(e.into()),
    }
}

/// The tickets of `user`, oldest first.
pub async fn owned(state: &AppState, user: &str) -> ApiResult<Vec<Ticket>> {
    let query = Query::partition(BY_CLUB, owner_partition(user));
    web::item::all(&state.store, query).await
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = MyTickets)]
pub(super) struct Mine {
    /// Les plus récents d'abord.
    tickets: Vec<TicketView>,
}

#[utoipa::path(
    get,
    path = "/api/tickets/my-tickets",
    tag = "Tickets",
    operation_id = "getMyTickets",
    summary = "Mes billets",
    description = "Les billets de l'appelant, les plus récents d'abord.",
    responses((status = 200, description = "Les billets.", body = Mine))
)]
pub(super) async fn mine(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<Mine>> {
    let mut tickets = owned(&state, &caller.id.to_string()).await?;
    tickets.reverse();
    let tickets = tickets.into_iter().map(TicketView::from).collect();
    Ok(Json(Mine { tickets }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Format {
    /// `svg` (par défaut) ou `png`.
    format: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/tickets/{id}/qr",
    tag = "Tickets",
    operation_id = "getTicketQr",
    summary = "QR code d'un billet",
    description = "Le QR code du billet (SVG, ou PNG avec `format=png`) : son code signé par la clé Ed25519 de l'événement, que le contrôle vérifie hors ligne avec la clé publique. Seul son propriétaire le lit ; un billet remboursé n'en a plus.",
    params(("id" = String, Path, description = "Le billet."), Format),
    responses(
        (status = 200, description = "Le QR code.", content_type = "image/svg+xml"),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, description = "Aucun billet de l'appelant n'a cet identifiant.", body = crate::openapi::schemas::Error),
        (status = 409, description = "Le billet a été remboursé.", body = crate::openapi::schemas::Error),
    )
)]
pub(super) async fn qr(
    State(state): State<AppState>,
    caller: AuthUser,
    PathText(id): PathText,
    QueryParams(format): QueryParams<Format>,
) -> ApiResult<Response> {
    let png = match format.format.as_deref() {
        None | Some("") | Some("svg") => false,
        Some("png") => true,
        Some(_) => return Err(ApiError::field("format", "doit être svg ou png")),
    };
    let ticket = super::find_ticket(&state, &id)
        .await?
        .filter(|t| t.user_id == caller.id.to_string())
        .ok_or_else(|| ApiError::not_found("Billet introuvable"))?;
    if ticket.status != "valid" {
        return Err(ApiError::conflict("Ce billet a été remboursé"));
    }
    let claims = Claims {
        t: ticket.id,
        e: ticket.event_id,
        c: ticket.category,
    };
    let code = signing::sign(super::signing_secret(&state), &claims)?;
    let headers = [(header::CACHE_CONTROL, "private, no-store")];
    Ok(match png {
        true => (
            headers,
            [(header::CONTENT_TYPE, "image/png")],
            crate::qr::png(&code)?,
        )
            .into_response(),
        false => (
            headers,
            [(header::CONTENT_TYPE, "image/svg+xml")],
            crate::qr::svg(&code)?,
        )
            .into_response(),
    })
}
