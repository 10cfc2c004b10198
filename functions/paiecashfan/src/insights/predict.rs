//! `GET /api/ai/predictions`: where the fan's balance goes if they keep spending as they
//! did over the last [`WINDOW_DAYS`] days, and whether it covers their club's next match.

use super::fan::{FanData, Sources};
use super::flows::{divide_rounded, net_spending_since};
use super::recommend::{offer, open_events, seat_categories};
use crate::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{NaiveDate, Utc};
use serde::Serialize;
use web::ApiResult;
use web::auth::AuthUser;
use web::money::Money;

/// How far back the spending rate looks.
pub const WINDOW_DAYS: i64 = 90;

const METHOD: &str = "Le rythme de dépense des 90 derniers jours (ou depuis la première écriture, si elle est plus récente) : les débits du portefeuille moins les remboursements, divisés par le nombre de jours de la fenêtre (aujourd'hui compris), prolongé tel quel.";

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PredictionWindow)]
struct Window {
    /// Le premier jour compté.
    #[schema(example = json!("2026-09-08"))]
    from: String,
    /// Jours comptés, aujourd'hui compris.
    #[schema(example = json!(90))]
    days: i64,
    /// Débits moins remboursements sur la fenêtre.
    #[schema(value_type = f64, example = json!(59.99))]
    net_spending: Money,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PredictionMonth)]
struct Next30Days {
    /// La dépense attendue : le rythme × 30 jours.
    #[schema(value_type = f64, example = json!(20.0))]
    spending: Money,
    /// Le solde attendu dans 30 jours (jamais sous zéro : un portefeuille ne l'est jamais).
    #[schema(value_type = f64, example = json!(40.01))]
    balance: Money,
    /// Ce qui manquerait pour tenir ce rythme.
    #[schema(value_type = f64, example = json!(0.0))]
    shortfall: Money,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PredictedEvent)]
struct NextEvent {
    #[schema(example = json!("psg-om-2027-02-08"))]
    id: String,
    #[schema(example = json!("psg"))]
    club_id: String,
    #[schema(example = json!("PSG – OM"))]
    name: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    starts_at: String,
    /// La catégorie proposée : celle que le fan a déjà prise, sinon la plus chère que son
    /// solde couvre, sinon la moins chère.
    #[schema(example = json!("tribune"))]
    category: String,
    #[schema(value_type = f64, example = json!(35.0))]
    price: Money,
    /// Places restantes dans la catégorie.
    available: i64,
    /// Le solde couvre le prix aujourd'hui.
    affordable_now: bool,
    /// Le solde attendu le jour du match, au même rythme.
    #[schema(value_type = f64, example = json!(20.0))]
    projected_balance: Money,
    /// Le solde attendu couvre le prix ce jour-là.
    affordable_then: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PredictionFigures)]
struct Figures {
    #[schema(value_type = f64, example = json!(60.01))]
    balance: Money,
    /// Dépense nette par jour sur la fenêtre.
    #[schema(value_type = f64, example = json!(0.67))]
    average_daily_spending: Money,
    next30_days: Next30Days,
    /// Jours que le solde tient à ce rythme (absent sans dépense).
    #[schema(example = json!(90))]
    balance_lasts_days: Option<i64>,
    /// Le prochain match du club où le fan n'a pas de billet et où il reste des places.
    next_event: Option<NextEvent>,
    window: Window,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Predictions)]
pub(super) struct Answer {
    predictions: Figures,
    computed_from: Sources,
}

#[utoipa::path(
    get,
    path = "/api/ai/predictions",
    tag = "IA",
    operation_id = "getAIPredictions",
    summary = "Prédictions",
    description = "`getAIPredictions()` : le rythme de dépense du fan sur les 90 derniers jours (débits moins remboursements, par jour), prolongé : la dépense et le solde attendus dans 30 jours, les jours que le solde tient, et s'il couvrira le prochain match de son club. `computedFrom` dit ce qui a été lu.",
    responses((status = 200, description = "Les prédictions.", body = Answer))
)]
pub(super) async fn predictions(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Answer>> {
    let fan = FanData::load(&state, &caller).await?;
    let events = open_events(&state, &fan).await?;
    let today = Utc::now().date_naive();
    let window = Rate::over(&fan, today);
    let balance = fan.flows().balance();
    let projected = |days: i64| (balance - window.spending_over(days)).max(0);
    let next30 = window.spending_over(30);
    let taken = seat_categories(&fan);
    let next_event = events.iter().find_map(|(event, left)| {
        let offer = offer(event, left, &taken, balance)?;
        let day = event.starts_at.get(..10)?.parse::<NaiveDate>().ok()?;
        let then = projected((day - today).num_days().max(0));
        let price = offer.category.price;
        Some(NextEvent {
            id: event.id.clone(),
            club_id: event.club_id.clone(),
            name: event.name.clone(),
            starts_at: event.starts_at.clone(),
            category: offer.category.name.clone(),
            price: Money::from_minor(price),
            available: offer.available,
            affordable_now: price <= balance,
            projected_balance: Money::from_minor(then),
            affordable_then: price <= then,
        })
    });
    let figures = Figures {
        balance: Money::from_minor(balance),
        average_daily_spending: Money::from_minor(divide_rounded(window.net, window.days)),
        next30_days: Next30Days {
            spending: Money::from_minor(next30),
            balance: Money::from_minor(projected(30)),
            shortfall: Money::from_minor((next30 - balance).max(0)),
        },
        balance_lasts_days: (window.net > 0).then(|| balance.max(0) * window.days / window.net),
        next_event,
        window: Window {
            from: window.from.to_string(),
            days: window.days,
            net_spending: Money::from_minor(window.net),
        },
    };
    Ok(Json(Answer {
        predictions: figures,
        computed_from: fan.sources(METHOD),
    }))
}

/// The fan's net spending over the window, and so their rate.
struct Rate {
    from: NaiveDate,
    days: i64,
    net: i64,
}

impl Rate {
    fn over(fan: &FanData, today: NaiveDate) -> Self {
        let earliest = today - chrono::Days::new((WINDOW_DAYS - 1).unsigned_abs());
        let first = fan
            .postings
            .first()
            .and_then(|p| p.created_at.get(..10)?.parse::<NaiveDate>().ok())
            .unwrap_or(today);
        let from = first.clamp(earliest, today);
        let net = net_spending_since(&fan.postings, &from.to_string());
        Rate {
            from,
            days: (today - from).num_days() + 1,
            net,
        }
    }

    /// What `days` days at this rate spend, in cents.
    fn spending_over(&self, days: i64) -> i64 {
        divide_rounded(self.net * days, self.days)
    }
}
