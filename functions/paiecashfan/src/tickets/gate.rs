//! The gate's side: a code redeemed once (a second scan says when it was first used), the
//! list of an event's revoked tickets for the gates' offline checks, and the refund that
//! revokes a ticket (a reversing entry of the ledger, and its seat back on sale).
//!
//! Items: a redemption at `REDEEMED#<ticket>` (written once); a revocation at
//! `REVOKED#<event>` / `<ticket>`.

use super::signing;
use crate::AppState;
use crate::ledger::{self, Entry, Kind, entry_key};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::{Cond, Index, Key, Placement, Query, TxOp, Update};
use web::auth::AuthUser;
use web::extract::{Command, PathText};
use web::pagination::read_all;
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

fn redeemed_key(ticket: &str) -> Key {
    Key::new(format!("REDEEMED#{ticket}"), "REDEEMED")
}

fn revoked_partition(event: &str) -> String {
    format!("REVOKED#{event}")
}

// `POST /api/tickets/redeem`.
#[derive(utoipa::ToSchema)]
#[schema(as = RedeemRequest, example = json!({"code": "PCF1.eyJ0Ijoi....c2ln"}))]
pub struct Scan {
    /// Le code lu dans le QR code du billet.
    code: String,
}

impl TryFrom<&Map<String, Value>> for Scan {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let code = fields.required_str("code").map(str::to_owned);
        fields.finish()?;
        code.map(|code| Scan { code })
            .ok_or_else(|| ApiError::internal("a scan refused without a message"))
    }
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Redeemed)]
pub(super) struct Admitted {
    #[schema(example = json!(true))]
    valid: bool,
    ticket_id: String,
    event_id: String,
    category: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    redeemed_at: String,
}

#[utoipa::path(
    post,
    path = "/api/tickets/redeem",
    tag = "Tickets",
    operation_id = "redeemTicket",
    summary = "Contrôler un billet (portique)",
    description = "Pour le contrôle (`gate`, `admin`) : le code est vérifié avec la clé publique de son événement, puis utilisé une fois. Un second passage répond 409 avec l'heure du premier ; un billet remboursé est révoqué ; un code faux ou altéré est refusé.",
    request_body = Scan,
    responses(
        (status = 200, description = "Entrée admise.", body = Admitted),
        (status = 400, description = "Code faux ou altéré.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "rejected", "message": "Billet invalide"}})),
        (status = 409, description = "Déjà utilisé (avec l'heure du premier passage), ou révoqué.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "conflict", "message": "Billet déjà utilisé", "details": {"firstUsedAt": "2027-02-08T19:02:11.000Z"}}})),
    )
)]
pub(super) async fn redeem(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(Scan { code }, _): Command<Scan>,
) -> ApiResult<Json<Admitted>> {
    let invalid = || ApiError::bad_request("Billet invalide");
    let (claims, _, _) = signing::read(&code).ok_or_else(invalid)?;
    let key = signing::public_key(super::signing_secret(&state), &claims.e)?;
    let claims = signing::verify(&key, &code).ok_or_else(invalid)?;
    let revoked = Key::new(revoked_partition(&claims.e), claims.t.clone());
    if state.store.get(&revoked).await?.is_some() {
        return Err(ApiError::conflict("Billet révoqué (remboursé)"));
    }
    let admitted = Admitted {
        valid: true,
        ticket_id: claims.t.clone(),
        event_id: claims.e,
        category: claims.c,
        redeemed_at: web::time::now(),
    };
    let mut item = Placement::new(redeemed_key(&claims.t)).item(web::item::record(&admitted)?);
    item.insert("by".into(), caller.id.to_string().into());
    // On the condition that the ticket is not revoked meanwhile (a refund at the same time).
    let ops = vec![
        (
            "redeemed",
            TxOp::Put {
                item,
                cond: Some(Cond::NotExists),
            },
        ),
        (
            "revoked",
            TxOp::Check {
                key: revoked,
                cond: Cond::NotExists,
            },
        ),
    ];
    match state.store.transact_named(ops).await {
        Ok(()) => Ok(Json(admitted)),
        Err(e) if e.failed("revoked") => Err(ApiError::conflict("Billet révoqué (remboursé)")),
        Err(e) if e.failed("redeemed") => {
            let first: Option<Admitted> =
                web::item::get(&state.store, &redeemed_key(&admitted.ticket_id)).await?;
            let at = first.map(|f| f.redeemed_at).unwrap_or_default();
            Err(ApiError::conflict("Billet déjà utilisé").with_details(json!({"firstUsedAt": at})))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = RevokedTickets)]
pub(super) struct Revoked {
    event_id: String,
    /// La clé publique de l'événement, pour vérifier ses billets hors ligne.
    public_key: String,
    /// Les billets révoqués : un portique hors ligne les refuse.
    revoked: Vec<String>,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    generated_at: String,
}

#[utoipa::path(
    get,
    path = "/api/tickets/events/{id}/revoked",
    tag = "Tickets",
    operation_id = "revokedTickets",
    summary = "Billets révoqués d'un événement",
    description = "Pour le contrôle (`gate`, `admin`) : la clé publique de l'événement et ses billets révoqués, à télécharger avant le match pour contrôler hors ligne.",
    params(("id" = String, Path, description = "L'événement.")),
    responses(
        (status = 200, description = "La liste.", body = Revoked),
        (status = 404, description = "Aucun événement n'a cet identifiant.", body = crate::openapi::schemas::Error),
    )
)]
pub(super) async fn revoked(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathText(id): PathText,
) -> ApiResult<Json<Revoked>> {
    let event = super::find_event(&state, &id).await?;
    let query = Query::partition(Index::Table, revoked_partition(&event.id));
    let revoked = read_all(&state.store, query)
        .await?
        .into_iter()
        .filter_map(|item| item.get("sk").and_then(Value::as_str).map(str::to_owned))
        .collect();
    Ok(Json(Revoked {
        public_key: signing::public_key(super::signing_secret(&state), &event.id)?,
        event_id: event.id,
        revoked,
        generated_at: web::time::now(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = TicketRefunded)]
pub(super) struct Refunded {
    ticket: super::TicketView,
}

#[utoipa::path(
    post,
    path = "/api/tickets/{id}/refund",
    tag = "Tickets",
    operation_id = "refundTicket",
    summary = "Rembourser un billet",
    description = "Pour l'administration : une écriture inverse de celle de l'achat recrédite le portefeuille, la place revient en vente et le code est révoqué, en une transaction. Un billet déjà utilisé ou remboursé ne l'est plus.",
    params(("id" = String, Path, description = "Le billet.")),
    responses(
        (status = 200, description = "Remboursé.", body = Refunded),
        (status = 404, description = "Aucun billet n'a cet identifiant.", body = crate::openapi::schemas::Error),
        (status = 409, description = "Déjà utilisé ou déjà remboursé.", body = crate::openapi::schemas::Error),
    )
)]
pub(super) async fn refund(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathText(id): PathText,
) -> ApiResult<Json<Refunded>> {
    let mut ticket = super::find_ticket(&state, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("Billet introuvable"))?;
    if ticket.status != "valid" {
        return Err(ApiError::conflict("Billet déjà remboursé"));
    }
    let paid: Entry = web::item::get(&state.store, &entry_key(&ticket.entry_id))
        .await?
        .ok_or_else(|| ApiError::internal("a ticket without its entry"))?;
    let mut reversal = Entry::new(
        paid.credit.clone(),
        paid.debit.clone(),
        web::money::Money::from_minor(paid.amount),
        Kind::Refund,
        format!("Remboursement : {}", paid.memo),
    );
    reversal.id = format!("refund-{}", ticket.id);
    reversal.reverses = Some(paid.id.clone());
    let mut revoked = Key::new(revoked_partition(&ticket.event_id), ticket.id.clone()).to_item();
    revoked.insert("at".into(), web::time::now().into());
    let mut ops = vec![
        (
            "ticket",
            TxOp::Update {
                key: super::ticket_key(&ticket.id),
                update: Update::new().set("status", "refunded"),
                cond: Some(Cond::eq("status", "valid")),
            },
        ),
        (
            "unused",
            TxOp::Check {
                key: redeemed_key(&ticket.id),
                cond: Cond::NotExists,
            },
        ),
        (
            "revoked",
            TxOp::Put {
                item: revoked,
                cond: Some(Cond::NotExists),
            },
        ),
        (
            "seat",
            TxOp::Update {
                key: super::seats_key(&ticket.event_id, &ticket.category),
                update: Update::new().add("available", 1),
                cond: Some(Cond::Exists),
            },
        ),
    ];
    ops.extend(ledger::posted(&reversal)?);
    match ledger::commit(&state.store, ops).await {
        Ok(()) => {}
        Err(e) if e.failed("unused") => return Err(ApiError::conflict("Billet déjà utilisé")),
        Err(e) if e.failed("ticket") || e.failed(ledger::ONCE) => {
            return Err(ApiError::conflict("Billet déjà remboursé"));
        }
        Err(e) => return Err(e.into()),
    }
    ticket.status = "refunded".into();
    Ok(Json(Refunded {
        ticket: ticket.into(),
    }))
}
