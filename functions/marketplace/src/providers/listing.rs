//! The public side: the providers anyone may find (active and verified), and one of them,
//! whose views it counts.

use super::public::town;
use super::{Provider, find};
use crate::AppState;
use crate::answers::{self, Envelope};
use crate::paging::Pagination;
use crate::users::search::fold;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use store::{Cond, Index, Key, Query, SortKey, Update};
use uuid::Uuid;
use web::extract::{PathId, Query as QueryParams};
use web::pagination::{Pager, read_all, read_page};
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult, counters};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Public),
        // Counts a view: it waits for its rate-limit checks.
        route!(one, Access::Public).side_effects(),
    ]
}

// A provider as anyone sees it: what it offers and how to reach it, never its documents.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PublicProvider)]
pub struct PublicView {
    id: String,
    #[schema(example = json!("Salon Marie Coiffure"))]
    business_name: String,
    description: String,
    #[schema(example = json!("Yaoundé, Centre-ville"))]
    location: String,
    address: Option<String>,
    whatsapp: Option<String>,
    facebook: Option<String>,
    instagram: Option<String>,
    photos: Vec<String>,
    #[schema(example = json!(["coiffure", "maquillage"]))]
    activities: Vec<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    is_verified: bool,
    is_featured: bool,
    /// Boosté : juste après les prestataires mis en avant.
    is_boosted: bool,
    views_count: u64,
    #[schema(example = json!(4.5))]
    average_rating: f64,
    total_reviews: u64,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    created_at: String,
}

impl From<Provider> for PublicView {
    fn from(p: Provider) -> Self {
        PublicView {
            id: p.id,
            business_name: p.business_name,
            description: p.description,
            location: p.location,
            address: p.address,
            whatsapp: p.whatsapp,
            facebook: p.facebook,
            instagram: p.instagram,
            photos: p.photos,
            activities: p.activities,
            latitude: p.latitude,
            longitude: p.longitude,
            is_verified: p.is_verified,
            is_featured: p.is_featured,
            is_boosted: p.boosted_until.is_some(),
            views_count: p.views_count,
            average_rating: p.average_rating,
            total_reviews: p.total_reviews,
            created_at: p.created_at,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Éléments par page (défaut 20, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 20)]
    limit: Option<String>,
    /// Une activité (`coiffure`), sans tenir compte de la casse ni des accents.
    #[param(max_length = 50)]
    activity: Option<String>,
    /// Une ville (`Yaoundé`) : la partie de `location` avant la première virgule.
    #[param(max_length = 100)]
    location: Option<String>,
    /// Le début d'un mot du nom commercial.
    #[param(max_length = 100)]
    search: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = PublicProviderPage)]
struct ProviderPage {
    providers: Vec<PublicView>,
    pagination: Pagination,
}

fn present(value: &Option<String>, max: usize, name: &'static str) -> ApiResult<Option<String>> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(text) if text.chars().count() > max => Err(ApiError::field(
            name,
            format!("{name} contient {max} caractères au plus"),
        )),
        Some(text) => Ok(Some(fold(text))),
        None => Ok(None),
    }
}

/// The ids of the providers whose entries `partition` holds, in its order.
async fn ids_in(state: &AppState, query: Query) -> ApiResult<Vec<String>> {
    Ok(read_all(&state.store, query)
        .await?
        .iter()
        .filter_map(|item| item.get("providerId")?.as_str().map(str::to_owned))
        .collect())
}

#[utoipa::path(
    get,
    path = "/api/providers",
    tag = "Prestataires",
    operation_id = "listProviders",
    summary = "Trouver des prestataires",
    description = "Les prestataires actifs et vérifiés, ceux mis en avant d'abord, puis les plus récents. Filtres : `activity`, `location` (la ville), et `search`, le début d'un mot du nom commercial (sans tenir compte de la casse ni des accents) ; les filtres se combinent. Chaque liste est lue dans son index, jamais en parcourant la table.",
    params(ListParams),
    responses(
        (status = 200, description = "Une page de prestataires.", body = Envelope<ProviderPage>),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn list(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<Envelope<ProviderPage>>> {
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 20)?;
    let activity = present(&params.activity, 50, "activity")?;
    let location = present(&params.location, 100, "location")?;
    let search = present(&params.search, 100, "search")?;
    let (providers, total) = match (&activity, &location, &search) {
        // One list: a page of it, and its counter.
        (None, None, None) => one_list(&state, "PUBLIC".into(), "public".into(), pager).await?,
        (Some(a), None, None) => {
            one_list(
                &state,
                format!("PUBACT#{a}"),
                format!("public#act#{a}"),
                pager,
            )
            .await?
        }
        (None, Some(l), None) => {
            let town = town(l);
            one_list(
                &state,
                format!("PUBLOC#{town}"),
                format!("public#loc#{town}"),
                pager,
            )
            .await?
        }
        // Several: the narrowest list read whole, the others checked on its providers.
        _ => {
            let ids = match &search {
                Some(word) => {
                    let query = Query::partition(Index::Table, "PUBWORD")
                        .sort_key(SortKey::BeginsWith(word.clone()));
                    let mut seen = HashSet::new();
                    let mut ids = ids_in(&state, query).await?;
                    ids.retain(|id| seen.insert(id.clone()));
                    ids
                }
                None => {
                    let partition = match &activity {
                        Some(a) => format!("PUBACT#{a}"),
                        None => "PUBLIC".into(),
                    };
                    ids_in(&state, Query::partition(Index::Table, partition)).await?
                }
            };
            let keys: Vec<Key> = ids.iter().map(|id| super::key(id)).collect();
            let found: Vec<Option<Provider>> = web::item::get_many(&state.store, &keys).await?;
            let mut matching: Vec<Provider> = found
                .into_iter()
                .flatten()
                .filter(|p| p.is_active && p.is_verified)
                .filter(|p| {
                    activity
                        .as_ref()
                        .is_none_or(|a| p.activities.iter().any(|x| &fold(x) == a))
                })
                .filter(|p| {
                    location
                        .as_ref()
                        .is_none_or(|l| town(&p.location) == town(l))
                })
                .collect();
            matching.sort_by_cached_key(super::public::place);
            let total = matching.len() as u64;
            let page = matching
                .into_iter()
                .skip(pager.offset())
                .take(pager.limit as usize)
                .collect();
            (page, total)
        }
    };
    Ok(answers::ok(ProviderPage {
        providers: providers.into_iter().map(PublicView::from).collect(),
        pagination: Pagination::new(pager, total),
    }))
}

/// A page of the list `partition`, its providers read at once, and its total.
async fn one_list(
    state: &AppState,
    partition: String,
    total: String,
    pager: Pager,
) -> ApiResult<(Vec<Provider>, u64)> {
    let query = Query::partition(Index::Table, partition);
    let (items, total) = tokio::join!(
        read_page(&state.store, query, pager),
        counters::total(&state.store, total)
    );
    let keys: Vec<Key> = items?
        .iter()
        .filter_map(|item| item.get("providerId")?.as_str().map(super::key))
        .collect();
    let found: Vec<Option<Provider>> = web::item::get_many(&state.store, &keys).await?;
    Ok((found.into_iter().flatten().collect(), total?))
}

#[derive(Serialize, utoipa::ToSchema)]
struct OneProvider {
    provider: PublicView,
}

#[utoipa::path(
    get,
    path = "/api/providers/{id}",
    tag = "Prestataires",
    operation_id = "getProvider",
    summary = "Un prestataire",
    description = "Un prestataire actif et vérifié ; chaque lecture compte une vue (`viewsCount`).",
    responses(
        (status = 200, description = "Le prestataire.", body = Envelope<OneProvider>),
        (status = 404, description = "Prestataire inconnu, masqué ou pas encore vérifié.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
    )
)]
async fn one(
    State(state): State<AppState>,
    PathId(id): PathId<Uuid>,
) -> ApiResult<Json<Envelope<OneProvider>>> {
    let not_found = || ApiError::not_found("Prestataire non trouvé");
    let id = id.to_string();
    let provider = find(&state.store, &id)
        .await?
        .filter(|p| p.is_active && p.is_verified)
        .ok_or_else(not_found)?;
    // Counted without touching `updatedAt`: a view is no change an admin's write must see.
    let counted = state
        .store
        .update(
            &super::key(&id),
            Update::new().add("viewsCount", 1),
            Some(Cond::Exists),
        )
        .await;
    let views = match counted {
        Ok(item) => item
            .get("viewsCount")
            .and_then(|v| v.as_u64())
            .unwrap_or(provider.views_count + 1),
        Err(e) if e.is_condition_failed() => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    let mut view = PublicView::from(provider);
    view.views_count = views;
    Ok(answers::ok(OneProvider { provider: view }))
}
