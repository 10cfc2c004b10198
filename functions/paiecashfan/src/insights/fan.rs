//! Everything the insights read of one fan: their account (their club), every posting of
//! their wallet, their orders, tickets and eSIMs. Read in parallel, once per request.

use super::flows::Flows;
use crate::AppState;
use crate::accounts::{self, User};
use crate::esim::{self, Esim};
use crate::ledger::{self, Account, Posting};
use crate::shop::{self, Order};
use crate::tickets::{self, Ticket};
use serde::Serialize;
use std::collections::BTreeMap;
use web::auth::AuthUser;
use web::{ApiError, ApiResult};

pub struct FanData {
    pub user: User,
    pub account: Account,
    /// Oldest first.
    pub postings: Vec<Posting>,
    pub orders: Vec<Order>,
    pub tickets: Vec<Ticket>,
    pub esims: Vec<Esim>,
    /// How many pieces of each product the fan's orders hold.
    pub pieces: BTreeMap<String, i64>,
}

impl FanData {
    pub async fn load(state: &AppState, caller: &AuthUser) -> ApiResult<Self> {
        let id = caller.id.to_string();
        let account = Account::wallet(&id);
        let (user, postings, orders, tickets, esims) = tokio::try_join!(
            accounts::find(&state.store, &id),
            ledger::history(&state.store, &account),
            shop::orders(state, &id),
            tickets::owned(state, &id),
            esim::owned(state, &id),
        )?;
        let user = user.ok_or_else(|| ApiError::not_found("Compte introuvable"))?;
        let pieces = pieces_bought(&orders);
        Ok(FanData {
            user,
            account,
            postings,
            orders,
            tickets,
            esims,
            pieces,
        })
    }

    pub fn flows(&self) -> Flows {
        Flows::of(&self.postings)
    }

    /// The tickets still valid (not refunded).
    pub fn valid_tickets(&self) -> impl Iterator<Item = &Ticket> {
        self.tickets.iter().filter(|t| t.status == "valid")
    }

    /// How many pieces the fan bought in each shop category (the products read now).
    pub async fn categories_bought(&self, state: &AppState) -> ApiResult<BTreeMap<String, i64>> {
        let ids: Vec<String> = self.pieces.keys().cloned().collect();
        let products = shop::find_many(state, &ids).await?;
        let mut categories = BTreeMap::new();
        for (product, quantity) in products.into_iter().zip(self.pieces.values()) {
            if let Some(product) = product {
                *categories.entry(product.category).or_default() += quantity;
            }
        }
        Ok(categories)
    }

    /// What an answer was computed from.
    pub fn sources(&self, method: &'static str) -> Sources {
        Sources {
            ledger_account: self.account.as_str().to_owned(),
            postings: self.postings.len(),
            last_posting_at: self.postings.last().map(|p| p.created_at.clone()),
            club_id: self.user.club_id.clone(),
            orders: self.orders.len(),
            tickets: self.tickets.len(),
            esims: self.esims.len(),
            catalogue: None,
            method,
        }
    }
}

/// How many pieces of each product `orders` hold.
fn pieces_bought(orders: &[Order]) -> BTreeMap<String, i64> {
    let mut pieces = BTreeMap::new();
    for line in orders.iter().flat_map(|o| &o.items) {
        let product = line["productId"].as_str().unwrap_or_default();
        let quantity = line["quantity"].as_i64().unwrap_or(0);
        *pieces.entry(product.to_owned()).or_default() += quantity;
    }
    pieces
}

/// What an answer was computed from: the fan's data it read, all of it.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = InsightSources)]
pub struct Sources {
    /// Le compte du grand livre lu : le portefeuille du fan.
    #[schema(example = json!("wallet:5f1c2a9e-8d3b-4c7a-9e21-3b8f6d0c4a11"))]
    ledger_account: String,
    /// Ses écritures, toutes lues.
    #[schema(example = json!(7))]
    postings: usize,
    /// La plus récente (absente s'il n'y en a aucune).
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    last_posting_at: Option<String>,
    /// Le club du fan.
    #[schema(example = json!("psg"))]
    club_id: String,
    /// Ses commandes à la boutique.
    orders: usize,
    /// Ses billets (remboursés compris).
    tickets: usize,
    /// Ses eSIM.
    esims: usize,
    /// Le catalogue du club lu (recommandations).
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<Catalogue>,
    /// Comment la réponse est calculée.
    method: &'static str,
}

/// The catalogue a recommendation was chosen from.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = InsightCatalogue)]
pub struct Catalogue {
    /// Produits du club.
    pub products: usize,
    /// Événements du club.
    pub events: usize,
    /// Forfaits eSIM du club.
    pub plans: usize,
}

/// Cents in French: `1 234,50 €`.
pub fn french_euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{:02} €", abs % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn euros_are_written_the_french_way() {
        assert_eq!(super::french_euros(4_498), "44,98 €");
        assert_eq!(super::french_euros(123_450), "1\u{202f}234,50 €");
        assert_eq!(super::french_euros(-5), "-0,05 €");
    }
}
