//! `marketplace-admin.md` §5: the reviews as an admin moderates them — hidden, never deleted,
//! and shown again at will, the provider's average following.

use super::routes::ReviewView;
use super::{Review, written};
use crate::AppState;
use crate::answers::{self, Envelope};
use crate::audit::{self, Action, Actor};
use crate::paging::Pagination;
use crate::providers::{self, Provider};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::Query;
use uuid::Uuid;
use web::auth::AuthUser;
use web::extract::{ClientIp, Command, PathId, Query as QueryParams};
use web::pagination::{Pager, read_page};
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult, counters};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Roles(Role::ADMIN)),
        route!(visibility, Access::Roles(Role::ADMIN)),
    ]
}

// A review as the admin moderates it: with its visibility, its author and its provider.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ModeratedReview)]
struct Moderated {
    #[serde(flatten)]
    review: ReviewView,
    user_id: String,
    is_visible: bool,
    /// Le nom commercial du prestataire noté.
    #[schema(example = json!("Salon Marie"))]
    provider_name: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Éléments par page (défaut 20, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 20)]
    limit: Option<String>,
    /// `true` ou `false` pour filtrer.
    #[param(value_type = Option<bool>)]
    visible: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ModeratedPage {
    reviews: Vec<Moderated>,
    pagination: Pagination,
}

async fn moderated(state: &AppState, reviews: Vec<Review>) -> ApiResult<Vec<Moderated>> {
    let keys: Vec<_> = reviews
        .iter()
        .map(|r| providers::key(&r.provider_id))
        .collect();
    let found: Vec<Option<Provider>> = web::item::get_many(&state.store, &keys).await?;
    Ok(reviews
        .iter()
        .zip(found)
        .map(|(review, provider)| Moderated {
            review: ReviewView::from(review),
            user_id: review.user_id.clone(),
            is_visible: review.is_visible,
            provider_name: provider.map(|p| p.business_name),
        })
        .collect())
}

#[utoipa::path(
    get,
    path = "/api/admin/reviews",
    tag = "Avis",
    operation_id = "adminListReviews",
    summary = "Liste des avis",
    description = "Tous les avis, du plus récent au plus ancien, pour la modération ; `visible` filtre les visibles ou les masqués.",
    params(ListParams),
    responses(
        (status = 200, description = "Une page d'avis.", body = Envelope<ModeratedPage>),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<Envelope<ModeratedPage>>> {
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 20)?;
    let (query, totals): (Query, Vec<String>) =
        match params.visible.as_deref().filter(|v| !v.is_empty()) {
            Some("true") => (
                Query::partition(super::BY_VISIBILITY, super::visibility_partition(true)),
                vec![super::VISIBLE_TOTAL.into()],
            ),
            Some("false") => (
                Query::partition(super::BY_VISIBILITY, super::visibility_partition(false)),
                vec![super::HIDDEN_TOTAL.into()],
            ),
            Some(_) => {
                return Err(ApiError::field(
                    "visible",
                    "visible doit être true ou false",
                ));
            }
            None => (
                Query::partition(super::ALL, super::ALL_PARTITION),
                vec![super::VISIBLE_TOTAL.into(), super::HIDDEN_TOTAL.into()],
            ),
        };
    let (items, totals) = tokio::join!(
        read_page(&state.store, query.backward(), pager),
        counters::totals(&state.store, &totals)
    );
    let reviews = items?
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok(answers::ok(ModeratedPage {
        reviews: moderated(&state, reviews).await?,
        pagination: Pagination::new(pager, totals?.into_iter().sum()),
    }))
}

// `PUT /api/admin/reviews/{id}/visibility`.
#[derive(utoipa::ToSchema)]
#[schema(as = ReviewVisibility, example = json!({"isVisible": false}))]
struct Visibility {
    #[schema(rename = "isVisible")]
    visible: bool,
}

impl TryFrom<&Map<String, Value>> for Visibility {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        match body.get("isVisible") {
            Some(Value::Bool(visible)) => Ok(Visibility { visible: *visible }),
            _ => Err(ApiError::field(
                "isVisible",
                "isVisible doit être un booléen",
            )),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ModeratedReviewChanged)]
struct Changed {
    review: Moderated,
}

#[utoipa::path(
    put,
    path = "/api/admin/reviews/{id}/visibility",
    tag = "Avis",
    operation_id = "adminReviewVisibility",
    summary = "Masquer/Afficher un avis",
    description = "Modère un avis sans le supprimer : masqué, il n'apparaît plus publiquement et ne compte plus dans la note moyenne du prestataire, recalculée dans la même transaction ; il peut être réaffiché. L'action est inscrite au journal d'audit.",
    request_body = Visibility,
    responses(
        (status = 200, description = "Visibilité changée.", body = Envelope<Changed>),
        (status = 404, description = "Avis inconnu.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Avis non trouvé"})),
        (status = 409, description = "Changé entre-temps.", body = crate::openapi::schemas::Error),
    )
)]
async fn visibility(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
    Command(change, _): Command<Visibility>,
) -> ApiResult<Json<Envelope<Changed>>> {
    let was = super::find(&state.store, &id.to_string())
        .await?
        .ok_or_else(|| ApiError::not_found("Avis non trouvé"))?;
    let mut now = was.clone();
    now.is_visible = change.visible;
    now.updated_at = web::time::now();
    if was.is_visible != now.is_visible {
        let admin = caller.id.to_string();
        let action = Action {
            action: if change.visible {
                "review.show"
            } else {
                "review.hide"
            },
            entity_type: "Review",
            entity_id: &was.id,
            before: Some(json!({"isVisible": was.is_visible})),
            after: Some(json!({"isVisible": now.is_visible})),
            reason: None,
        };
        let actor = Actor {
            id: &admin,
            ip: &ip,
        };
        let (store, action, actor) = (&state.store, &action, &actor);
        written(store, &now, Some(&was), |ops| async move {
            audit::recorded(store, actor, action, ops).await
        })
        .await?;
    }
    let mut shown = moderated(&state, vec![now]).await?;
    let review = shown
        .pop()
        .ok_or_else(|| ApiError::internal("a review without its view"))?;
    let message = if change.visible {
        "Avis affiché"
    } else {
        "Avis masqué"
    };
    Ok(answers::done(message, Changed { review }))
}
