//! `GET /api/ai/recommendations`: what the fan's club sells that the fan has not got yet,
//! ranked by what they bought before and by what their balance covers.

use super::fan::{Catalogue, FanData, Sources, french_euros};
use crate::AppState;
use crate::clubs::{self, Club};
use crate::esim::{self, Plan};
use crate::shop::{self, Product};
use crate::tickets::{self, Category, Event};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use web::ApiResult;
use web::auth::AuthUser;
use web::money::Money;

/// At most this many recommendations.
const LIMIT: usize = 10;

const METHOD: &str = "Le catalogue du club du fan (produits en stock, matchs à venir avec des places, forfaits eSIM), moins ce qu'il a déjà ; rangé par affinité (une catégorie, des places ou des eSIM déjà achetées : 2 points) et par solde suffisant (1 point), puis du moins cher au plus cher.";

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Recommendation)]
pub(super) struct Recommendation {
    /// `product`, `event` ou `esim`.
    #[serde(rename = "type")]
    #[schema(example = json!("product"))]
    kind: &'static str,
    /// L'identifiant du produit, de l'événement ou du forfait.
    #[schema(example = json!("psg-echarpe"))]
    id: String,
    #[schema(example = json!("psg"))]
    club_id: String,
    #[schema(example = json!("Écharpe Ici c'est Paris"))]
    name: String,
    /// En euros (pour un événement, celui de la catégorie proposée).
    #[schema(value_type = f64, example = json!(19.99))]
    price: Money,
    /// La catégorie du produit, ou celle des places proposées.
    #[schema(nullable = false, example = json!("supporters"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    /// Pour un événement.
    #[schema(nullable = false, value_type = Option<crate::openapi::schemas::DateTime>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    starts_at: Option<String>,
    /// Le solde du fan couvre le prix.
    affordable: bool,
    /// Pourquoi, tiré des données du fan et du catalogue.
    #[schema(example = json!(["Vous avez pris 1 article(s) en « supporters ».", "Votre solde (60,01 €) le couvre."]))]
    reasons: Vec<String>,
    #[serde(skip)]
    affinity: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Recommendations)]
pub(super) struct Answer {
    /// Les meilleures d'abord.
    recommendations: Vec<Recommendation>,
    computed_from: Sources,
}

#[utoipa::path(
    get,
    path = "/api/ai/recommendations",
    tag = "IA",
    operation_id = "getAIRecommendations",
    summary = "Recommandations",
    description = "`getAIRecommendations()` : ce que le club du fan propose et qu'il n'a pas encore (produits en stock, matchs à venir avec des places, forfaits eSIM), rangé par ce qu'il a déjà acheté puis par ce que son solde couvre, chacun avec ses raisons. `computedFrom` dit ce qui a été lu.",
    responses((status = 200, description = "Les recommandations.", body = Answer))
)]
pub(super) async fn recommendations(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Answer>> {
    let fan = FanData::load(&state, &caller).await?;
    let club_id = fan.user.club_id.clone();
    let club_key = clubs::key(&club_id);
    let (club, products, events, plans, categories) = tokio::try_join!(
        web::item::get::<Club>(&state.store, &club_key),
        shop::club_products(&state, &club_id),
        open_events(&state, &fan),
        esim::all_plans(&state),
        fan.categories_bought(&state),
    )?;
    let plans: Vec<Plan> = plans.into_iter().filter(|p| p.club_id == club_id).collect();
    let club_name = club.map_or(club_id, |c| c.name);
    let balance = fan.flows().balance();
    let pitch = Pitch { balance };

    let mut picks: Vec<Recommendation> = products
        .iter()
        .filter(|p| p.stock > 0 && !fan.pieces.contains_key(&p.id))
        .map(|p| pitch.product(p, &club_name, &categories))
        .collect();
    let taken = seat_categories(&fan);
    for (event, left) in &events {
        if let Some(offer) = offer(event, left, &taken, balance) {
            picks.push(pitch.event(event, offer));
        }
    }
    let now = web::time::now();
    let running: BTreeSet<&str> = fan
        .esims
        .iter()
        .filter(|e| e.expires_at > now)
        .map(|e| e.plan_id.as_str())
        .collect();
    for plan in plans.iter().filter(|p| !running.contains(p.id.as_str())) {
        picks.push(pitch.plan(plan, fan.esims.len()));
    }
    picks.sort_by(|a, b| {
        score(b)
            .cmp(&score(a))
            .then(a.price.cmp(&b.price))
            .then_with(|| a.id.cmp(&b.id))
    });
    picks.truncate(LIMIT);

    let mut computed_from = fan.sources(METHOD);
    computed_from.catalogue = Some(Catalogue {
        products: products.len(),
        events: events.len(),
        plans: plans.len(),
    });
    Ok(Json(Answer {
        recommendations: picks,
        computed_from,
    }))
}

fn score(pick: &Recommendation) -> u8 {
    2 * u8::from(pick.affinity) + u8::from(pick.affordable)
}

/// The events of the fan's club still to come, with seats left, that the fan holds no valid
/// ticket for; with the seats left in each category.
pub(super) async fn open_events(
    state: &AppState,
    fan: &FanData,
) -> ApiResult<Vec<(Event, Vec<i64>)>> {
    let now = web::time::now();
    let held: BTreeSet<&str> = fan.valid_tickets().map(|t| t.event_id.as_str()).collect();
    Ok(tickets::club_events(state, &fan.user.club_id)
        .await?
        .into_iter()
        .filter(|(e, left)| {
            e.starts_at > now && !held.contains(e.id.as_str()) && left.iter().any(|n| *n > 0)
        })
        .collect())
}

/// The seat categories the fan bought before.
pub(super) fn seat_categories(fan: &FanData) -> BTreeSet<String> {
    fan.tickets.iter().map(|t| t.category.clone()).collect()
}

/// The seats to offer the fan at `event`: a category with seats left that they bought
/// before, else the dearest their balance covers, else the cheapest.
pub(super) fn offer<'a>(
    event: &'a Event,
    left: &[i64],
    taken_before: &BTreeSet<String>,
    balance: i64,
) -> Option<Offer<'a>> {
    let open: Vec<(&Category, i64)> = event
        .categories
        .iter()
        .zip(left.iter().copied())
        .filter(|(_, n)| *n > 0)
        .collect();
    let known = open.iter().find(|(c, _)| taken_before.contains(&c.name));
    let covered = || {
        open.iter()
            .filter(|(c, _)| c.price <= balance)
            .max_by_key(|(c, _)| c.price)
    };
    let cheapest = || open.iter().min_by_key(|(c, _)| c.price);
    let (category, available) = *known.or_else(covered).or_else(cheapest)?;
    Some(Offer {
        category,
        available,
        known: known.is_some(),
    })
}

pub(super) struct Offer<'a> {
    pub category: &'a Category,
    pub available: i64,
    /// A category the fan bought before.
    pub known: bool,
}

/// Writes the recommendations and their reasons.
struct Pitch {
    balance: i64,
}

impl Pitch {
    fn recommendation(
        &self,
        kind: &'static str,
        id: &str,
        club: &str,
        name: &str,
        cents: i64,
    ) -> Recommendation {
        Recommendation {
            kind,
            id: id.to_owned(),
            club_id: club.to_owned(),
            name: name.to_owned(),
            price: Money::from_minor(cents),
            category: None,
            starts_at: None,
            affordable: cents <= self.balance,
            reasons: Vec::new(),
            affinity: false,
        }
    }

    fn finish(
        &self,
        mut pick: Recommendation,
        affinity: Option<String>,
        detail: String,
    ) -> Recommendation {
        pick.affinity = affinity.is_some();
        pick.reasons.extend(affinity);
        pick.reasons.push(detail);
        let cents = pick.price.minor();
        pick.reasons.push(match pick.affordable {
            true => format!("Votre solde ({}) le couvre.", french_euros(self.balance)),
            false => format!("Il vous manque {}.", french_euros(cents - self.balance)),
        });
        pick
    }

    fn product(
        &self,
        p: &Product,
        club: &str,
        categories: &BTreeMap<String, i64>,
    ) -> Recommendation {
        let mut pick = self.recommendation("product", &p.id, &p.club_id, &p.name, p.price.minor());
        pick.category = Some(p.category.clone());
        pick.reasons
            .push(format!("À la boutique de votre club, {club}."));
        let affinity = categories
            .get(&p.category)
            .map(|n| format!("Vous avez pris {n} article(s) en « {} ».", p.category));
        self.finish(pick, affinity, format!("Encore {} en stock.", p.stock))
    }

    fn event(&self, event: &Event, offer: Offer<'_>) -> Recommendation {
        let name = &offer.category.name;
        let mut pick = self.recommendation(
            "event",
            &event.id,
            &event.club_id,
            &event.name,
            offer.category.price,
        );
        pick.category = Some(name.clone());
        pick.starts_at = Some(event.starts_at.clone());
        let day = event.starts_at.get(..10).unwrap_or_default();
        pick.reasons
            .push(format!("Match de votre club le {day}, {}.", event.venue));
        let affinity = offer
            .known
            .then(|| format!("Vous avez déjà pris des places en « {name} »."));
        let detail = format!("Encore {} place(s) en « {name} ».", offer.available);
        self.finish(pick, affinity, detail)
    }

    fn plan(&self, plan: &Plan, esims_before: usize) -> Recommendation {
        let pick = self.recommendation(
            "esim",
            &plan.id,
            &plan.club_id,
            &plan.name,
            plan.price.minor(),
        );
        let affinity =
            (esims_before > 0).then(|| format!("Vous avez déjà activé {esims_before} eSIM."));
        let detail = format!(
            "Forfait de {} Go pour {} jour(s) aux couleurs de votre club.",
            plan.data_gb, plan.days
        );
        self.finish(pick, affinity, detail)
    }
}
