//! `marketplace-admin.md` §4: the providers as an admin manages them — those not verified
//! yet, those whose documents await review, the featured ones — and what an admin changes of
//! one ([`actions`]).

mod actions;
mod documents;

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::paging::{PageParams, Pagination};
use crate::providers::view::ProviderView;
use crate::providers::{self, Provider, Verification};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use store::{Index, Query};
use web::auth::AuthUser;
use web::extract::Query as QueryParams;
use web::pagination::read_page;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiResult, counters};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(pending, Access::Roles(Role::ADMIN)),
        route!(under_review, Access::Roles(Role::ADMIN)),
        route!(featured, Access::Roles(Role::ADMIN)),
        route!(actions::verify, Access::Roles(Role::ADMIN)),
        route!(actions::feature, Access::Roles(Role::ADMIN)),
        route!(actions::set_status, Access::Roles(Role::ADMIN)),
        route!(documents::review_documents, Access::Roles(Role::ADMIN)),
    ]
}

#[derive(Serialize, utoipa::ToSchema)]
struct ProviderPage {
    providers: Vec<ProviderView>,
    pagination: Pagination,
}

/// A page of the providers of `index`'s `partition`, with the total `total`.
async fn page(
    state: &AppState,
    params: PageParams,
    (index, partition): (Index, String),
    total: &str,
) -> ApiResult<Json<Envelope<ProviderPage>>> {
    let pager = params.pager()?;
    let (items, total) = tokio::join!(
        read_page(&state.store, Query::partition(index, partition), pager),
        counters::total(&state.store, total)
    );
    let found: Vec<Provider> = items?
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok(answers::ok(ProviderPage {
        providers: ProviderView::all(state, found).await?,
        pagination: Pagination::new(pager, total?),
    }))
}

#[utoipa::path(
    get,
    path = "/api/admin/providers/pending",
    tag = "Prestataires (admin)",
    operation_id = "adminPendingProviders",
    summary = "Prestataires non vérifiés",
    description = "Les prestataires qui ont déjà un profil mais ne sont pas encore vérifiés (`isVerified = false`), des plus anciens aux plus récents. Les candidatures, elles, sont les demandes d'avant le profil.",
    params(PageParams),
    responses(
        (status = 200, description = "Une page de prestataires.", body = Envelope<ProviderPage>),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn pending(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<PageParams>,
) -> ApiResult<Json<Envelope<ProviderPage>>> {
    let list = (
        providers::UNVERIFIED,
        providers::UNVERIFIED_PARTITION.to_owned(),
    );
    page(&state, params, list, "providers#unverified").await
}

#[utoipa::path(
    get,
    path = "/api/admin/providers/under-review",
    tag = "Prestataires (admin)",
    operation_id = "adminProvidersUnderReview",
    summary = "Documents en cours de revue",
    description = "Les prestataires (nouveaux ou existants) dont les documents attendent leur validation (`verificationStatus = under_review`) : l'étape finale, où `PUT /providers/:id/review-documents` donne le badge « Vérifié ».",
    params(PageParams),
    responses(
        (status = 200, description = "Une page de prestataires.", body = Envelope<ProviderPage>),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn under_review(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<PageParams>,
) -> ApiResult<Json<Envelope<ProviderPage>>> {
    let status = Verification::UnderReview.as_str();
    let list = (
        providers::BY_VERIFICATION,
        providers::verification_partition(status),
    );
    page(&state, params, list, "providers#under_review").await
}

#[utoipa::path(
    get,
    path = "/api/admin/providers/featured",
    tag = "Prestataires (admin)",
    operation_id = "adminFeaturedProviders",
    summary = "Prestataires mis en avant",
    description = "Les prestataires mis en avant (`isFeatured = true`), triés par la fin de leur mise en avant (`featuredUntil`, la plus proche d'abord ; sans fin, en dernier).",
    params(PageParams),
    responses(
        (status = 200, description = "Une page de prestataires.", body = Envelope<ProviderPage>),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn featured(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<PageParams>,
) -> ApiResult<Json<Envelope<ProviderPage>>> {
    let list = (
        providers::FEATURED,
        providers::FEATURED_PARTITION.to_owned(),
    );
    page(&state, params, list, "providers#featured").await
}
