//! A provider's reviews as clients write and read them.

use super::{Review, written};
use crate::AppState;
use crate::answers::{self, Envelope};
use crate::paging::{PageParams, Pagination};
use crate::providers;
use crate::role::Role;
use crate::users;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};
use store::Query;
use uuid::Uuid;
use web::auth::AuthUser;
use web::extract::{Command, PathId, Query as QueryParams};
use web::pagination::read_page;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(post, Access::Roles(Role::MEMBERS)),
        route!(list, Access::Public),
    ]
}

// A review as anyone reads it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Review)]
pub struct ReviewView {
    pub id: String,
    pub provider_id: String,
    /// Son auteur : prénom et initiale (`Fatou K.`).
    #[schema(example = json!("Fatou K."))]
    pub author: String,
    #[schema(minimum = 1, maximum = 5, example = json!(5))]
    pub rating: u8,
    #[schema(example = json!("Excellent service, très professionnelle !"))]
    pub comment: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
}

impl From<&Review> for ReviewView {
    fn from(review: &Review) -> Self {
        ReviewView {
            id: review.id.clone(),
            provider_id: review.provider_id.clone(),
            author: review.author.clone(),
            rating: review.rating,
            comment: review.comment.clone(),
            created_at: review.created_at.clone(),
        }
    }
}

// `POST /api/providers/{id}/reviews`.
#[derive(utoipa::ToSchema)]
#[schema(as = ReviewRequest, example = json!({"rating": 5, "comment": "Excellent service, très professionnelle !"}))]
struct NewReview {
    #[schema(minimum = 1, maximum = 5)]
    rating: u8,
    #[schema(min_length = 3, max_length = 1000, pattern = "\\S")]
    comment: String,
}

impl TryFrom<&Map<String, Value>> for NewReview {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let rating = fields.required_with("rating", |v| {
            v.as_u64()
                .filter(|r| (1..=5).contains(r))
                .and_then(|r| u8::try_from(r).ok())
                .ok_or_else(|| "rating doit être un entier de 1 à 5".into())
        });
        let comment = fields.required_with("comment", |v| match v.as_str().map(str::trim) {
            Some(text) if (3..=1000).contains(&text.chars().count()) => Ok(text.to_owned()),
            _ => Err("comment doit contenir de 3 à 1000 caractères".into()),
        });
        match (rating, comment) {
            (Some(rating), Some(comment)) => {
                fields.finish()?;
                Ok(NewReview { rating, comment })
            }
            _ => Err(fields.into_error()),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct Posted {
    review: ReviewView,
}

#[utoipa::path(
    post,
    path = "/api/providers/{id}/reviews",
    tag = "Avis",
    operation_id = "reviewProvider",
    summary = "Donner son avis",
    description = "Une note de 1 à 5 et un commentaire, une fois par client et par prestataire (actif et vérifié ; pas le sien). La note moyenne du prestataire en est recalculée dans la même transaction.",
    request_body = NewReview,
    responses(
        (status = 201, description = "Avis publié.", body = Envelope<Posted>),
        (status = 404, description = "Prestataire inconnu, masqué ou pas encore vérifié.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
        (status = 409, description = "Un avis de ce client existe déjà.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Vous avez déjà donné votre avis sur ce prestataire"})),
    )
)]
async fn post(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<Uuid>,
    Command(new, _): Command<NewReview>,
) -> ApiResult<(StatusCode, Json<Envelope<Posted>>)> {
    let not_found = || ApiError::not_found("Prestataire non trouvé");
    let provider = providers::find(&state.store, &id.to_string())
        .await?
        .filter(|p| p.is_active && p.is_verified)
        .ok_or_else(not_found)?;
    let user_id = caller.id.to_string();
    if provider.user_id == user_id {
        return Err(ApiError::bad_request(
            "Vous ne pouvez pas donner votre avis sur votre propre profil",
        ));
    }
    let author = users::find(&state.store, &user_id)
        .await?
        .ok_or_else(web::auth::session_expired)?;
    let initial = author
        .last_name
        .chars()
        .next()
        .map(|c| format!(" {c}."))
        .unwrap_or_default();
    let now = web::time::now();
    let review = Review {
        id: Uuid::new_v4().to_string(),
        provider_id: provider.id,
        user_id,
        author: format!("{}{initial}", author.first_name),
        rating: new.rating,
        comment: new.comment,
        is_visible: true,
        created_at: now.clone(),
        updated_at: now,
    };
    let store = &state.store;
    written(store, &review, None, |ops| async move {
        store.transact_named(ops).await
    })
    .await?;
    let review = ReviewView::from(&review);
    Ok(answers::created("Avis publié", Posted { review }))
}

#[derive(Serialize, utoipa::ToSchema)]
struct ReviewPage {
    reviews: Vec<ReviewView>,
    pagination: Pagination,
}

#[utoipa::path(
    get,
    path = "/api/providers/{id}/reviews",
    tag = "Avis",
    operation_id = "providerReviews",
    summary = "Les avis d'un prestataire",
    description = "Ses avis visibles, du plus récent au plus ancien (un avis masqué par un admin n'y est plus).",
    params(PageParams),
    responses(
        (status = 200, description = "Une page d'avis.", body = Envelope<ReviewPage>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, description = "Prestataire inconnu, masqué ou pas encore vérifié.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
    )
)]
async fn list(
    State(state): State<AppState>,
    PathId(id): PathId<Uuid>,
    QueryParams(params): QueryParams<PageParams>,
) -> ApiResult<Json<Envelope<ReviewPage>>> {
    let pager = params.pager()?;
    let provider = providers::find(&state.store, &id.to_string())
        .await?
        .filter(|p| p.is_active && p.is_verified)
        .ok_or_else(|| ApiError::not_found("Prestataire non trouvé"))?;
    let query = Query::partition(super::BY_PROVIDER, super::provider_partition(&provider.id))
        .filter(store::Cond::eq("isVisible", true));
    let items = read_page(&state.store, query.backward(), pager).await?;
    let reviews: Vec<Review> = items
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok(answers::ok(ReviewPage {
        reviews: reviews.iter().map(ReviewView::from).collect(),
        pagination: Pagination::new(pager, provider.total_reviews),
    }))
}
