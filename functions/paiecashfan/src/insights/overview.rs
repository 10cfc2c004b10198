//! `GET /api/ai/insights`: the fan's money as their ledger tells it (received and spent by
//! kind and by month, the balance they add up to) and what they bought.

use super::fan::{FanData, Sources, french_euros};
use super::flows::{Flows, Tally};
use crate::AppState;
use crate::wallet::CURRENCY;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use std::collections::BTreeMap;
use web::ApiResult;
use web::auth::AuthUser;
use web::money::Money;

const METHOD: &str = "Les écritures du portefeuille additionnées par nature et par mois (le solde est reçu moins dépensé, au centime), les commandes, billets et eSIM du fan.";

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = InsightKind)]
struct KindView {
    /// `deposit`, `transfer`, `refund` reçus ; `shop`, `ticket`, `esim`, `transfer` dépensés.
    #[schema(example = json!("ticket"))]
    kind: String,
    #[schema(value_type = f64, example = json!(35.0))]
    amount: Money,
    /// Écritures de cette nature.
    #[schema(example = json!(1))]
    count: u64,
    /// Part du côté (reçu ou dépensé), en pour cent arrondis.
    #[schema(example = json!(58))]
    share: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = InsightSide)]
struct Side {
    #[schema(value_type = f64, example = json!(59.99))]
    total: Money,
    /// Les plus gros d'abord.
    by_kind: Vec<KindView>,
}

impl Side {
    fn of(side: &BTreeMap<String, Tally>) -> Self {
        let by_kind = Flows::ranked(side)
            .into_iter()
            .map(|(kind, tally, share)| KindView {
                kind,
                amount: Money::from_minor(tally.cents),
                count: tally.count,
                share,
            })
            .collect();
        Side {
            total: Money::from_minor(Flows::total(side)),
            by_kind,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = InsightMonth)]
struct Month {
    #[schema(example = json!("2026-12"))]
    month: String,
    #[schema(value_type = f64, example = json!(120.0))]
    received: Money,
    #[schema(value_type = f64, example = json!(59.99))]
    spent: Money,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = InsightPurchases)]
struct Purchases {
    /// Commandes à la boutique.
    orders: usize,
    /// Articles de ces commandes.
    articles: i64,
    /// Billets encore valables.
    tickets: usize,
    esims: usize,
    /// La catégorie de la boutique où le fan a pris le plus d'articles.
    #[schema(example = json!("supporters"))]
    favourite_category: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = InsightSummary)]
struct Summary {
    /// Reçu moins dépensé : le solde du portefeuille.
    #[schema(value_type = f64, example = json!(60.01))]
    balance: Money,
    #[schema(example = json!("EUR"))]
    currency: &'static str,
    received: Side,
    spent: Side,
    /// Du plus ancien au plus récent.
    months: Vec<Month>,
    purchases: Purchases,
    /// Ce que les chiffres disent, en phrases.
    #[schema(example = json!(["Premier poste de dépense : la billetterie (35,00 €, 58 % de vos dépenses)."]))]
    highlights: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Insights)]
pub(super) struct Answer {
    insights: Summary,
    computed_from: Sources,
}

#[utoipa::path(
    get,
    path = "/api/ai/insights",
    tag = "IA",
    operation_id = "getAIInsights",
    summary = "Insights",
    description = "`getAIInsights()` : l'argent du fan tel que son grand livre le dit (reçu et dépensé par nature et par mois, le solde qui en résulte, au centime) et ses achats. `computedFrom` dit ce qui a été lu.",
    responses((status = 200, description = "Les insights du fan.", body = Answer))
)]
pub(super) async fn insights(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Answer>> {
    let fan = FanData::load(&state, &caller).await?;
    let categories = fan.categories_bought(&state).await?;
    let flows = fan.flows();
    let favourite_category = categories
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(category, pieces)| (category.clone(), *pieces));
    let purchases = Purchases {
        orders: fan.orders.len(),
        articles: fan.pieces.values().sum(),
        tickets: fan.valid_tickets().count(),
        esims: fan.esims.len(),
        favourite_category: favourite_category.as_ref().map(|(c, _)| c.clone()),
    };
    let months = flows
        .months
        .iter()
        .map(|(month, (received, spent))| Month {
            month: month.clone(),
            received: Money::from_minor(*received),
            spent: Money::from_minor(*spent),
        })
        .collect();
    let highlights = highlights(&flows, favourite_category.as_ref());
    Ok(Json(Answer {
        insights: Summary {
            balance: Money::from_minor(flows.balance()),
            currency: CURRENCY,
            received: Side::of(&flows.received),
            spent: Side::of(&flows.spent),
            months,
            purchases,
            highlights,
        },
        computed_from: fan.sources(METHOD),
    }))
}

/// What the figures say, in words: each sentence made of the figures themselves.
fn highlights(flows: &Flows, favourite: Option<&(String, i64)>) -> Vec<String> {
    if flows.received.is_empty() && flows.spent.is_empty() {
        return vec!["Aucun mouvement pour l'instant : un dépôt ouvre votre historique.".into()];
    }
    let mut lines = vec![format!(
        "Reçu : {} ; dépensé : {} ; solde : {}.",
        french_euros(flows.received_total()),
        french_euros(flows.spent_total()),
        french_euros(flows.balance())
    )];
    if let Some((kind, tally, share)) = Flows::ranked(&flows.spent).into_iter().next() {
        lines.push(format!(
            "Premier poste de dépense : {} ({}, {share} % de vos dépenses).",
            spending_label(&kind),
            french_euros(tally.cents)
        ));
    }
    if let Some((category, pieces)) = favourite {
        lines.push(format!(
            "Votre catégorie préférée à la boutique : « {category} » ({pieces} article(s))."
        ));
    }
    lines
}

fn spending_label(kind: &str) -> &str {
    match kind {
        "shop" => "la boutique",
        "ticket" => "la billetterie",
        "esim" => "les forfaits eSIM",
        "transfer" => "les envois à d'autres fans",
        other => other,
    }
}
