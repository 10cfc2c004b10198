//! `marketplace-admin.md` §3: the provider applications — the list, one in full, and the
//! initial decision. Approval makes the client a provider, creates its unverified profile
//! under review and its 30-day trial, in one transaction with the application's status and
//! the audit entry: all of it, or none.

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::applications::view::ApplicationView;
use crate::applications::{self, Application, Status};
use crate::paging::Pagination;
use crate::role::Role;
use crate::users::{self, User};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::Query;
use uuid::Uuid;
use web::auth::AuthUser;
use web::extract::{PathId, Query as QueryParams};
use web::pagination::{Pager, read_page};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::Choice;
use web::{ApiError, ApiResult, counters};

mod review;

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Roles(Role::ADMIN)),
        route!(detail, Access::Roles(Role::ADMIN)),
        route!(review::review, Access::Roles(Role::ADMIN)),
    ]
}

// The applicant, as the admin sees it beside an application.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Applicant)]
struct Applicant {
    id: String,
    first_name: String,
    last_name: String,
    email: String,
    phone_number: Option<String>,
}

impl From<&User> for Applicant {
    fn from(user: &User) -> Self {
        Applicant {
            id: user.id.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            email: user.email.clone(),
            phone_number: user.phone_number.clone(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct Reviewed {
    #[serde(flatten)]
    application: ApplicationView,
    /// Le demandeur (`null` si son compte a été supprimé).
    user: Option<Applicant>,
}

async fn with_applicants(state: &AppState, found: Vec<Application>) -> ApiResult<Vec<Reviewed>> {
    let keys: Vec<_> = found.iter().map(|a| users::key(&a.user_id)).collect();
    let applicants: Vec<Option<User>> = web::item::get_many(&state.store, &keys).await?;
    let views = found.into_iter().map(|a| ApplicationView::of(state, a));
    let views = futures_util::future::try_join_all(views).await?;
    Ok(views
        .into_iter()
        .zip(applicants)
        .map(|(application, user)| Reviewed {
            application,
            user: user.as_ref().map(Applicant::from),
        })
        .collect())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Éléments par page (défaut 20, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 20)]
    limit: Option<String>,
    #[param(value_type = Option<applications::Status>)]
    status: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ApplicationPage {
    applications: Vec<Reviewed>,
    pagination: Pagination,
}

#[utoipa::path(
    get,
    path = "/api/admin/provider-applications",
    tag = "Candidatures",
    operation_id = "adminListApplications",
    summary = "Liste des candidatures",
    description = "Les candidatures, des plus anciennes aux plus récentes (les premières arrivées sont traitées d'abord), avec leurs documents (liens valables 10 minutes) et leur demandeur ; filtrées par statut.",
    params(ListParams),
    responses(
        (status = 200, description = "Une page de candidatures.", body = Envelope<ApplicationPage>),
        (status = 400, description = "Paramètre invalide.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Données invalides", "errors": {"status": ["status doit être pending, approved, rejected ou revisions_requested"]}})),
    )
)]
async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<Envelope<ApplicationPage>>> {
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 20)?;
    let statuses: Vec<Status> = match params.status.as_deref().filter(|s| !s.is_empty()) {
        Some(name) => vec![Status::parse(name).ok_or_else(|| {
            ApiError::field(
                "status",
                "status doit être pending, approved, rejected ou revisions_requested",
            )
        })?],
        None => Status::ALL.to_vec(),
    };
    let query = match statuses.as_slice() {
        [status] => Query::partition(
            applications::BY_STATUS,
            applications::status_partition(status.as_str()),
        ),
        _ => Query::partition(applications::ALL, applications::ALL_PARTITION),
    };
    let totals: Vec<String> = statuses.iter().map(|s| applications::total(*s)).collect();
    let (items, totals) = tokio::join!(
        read_page(&state.store, query, pager),
        counters::totals(&state.store, &totals)
    );
    let found = items?
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    let total = totals?.into_iter().sum();
    Ok(answers::ok(ApplicationPage {
        applications: with_applicants(&state, found).await?,
        pagination: Pagination::new(pager, total),
    }))
}

fn not_found() -> ApiError {
    ApiError::not_found("Candidature non trouvée")
}

#[derive(Serialize, utoipa::ToSchema)]
struct OneApplication {
    application: Reviewed,
}

#[utoipa::path(
    get,
    path = "/api/admin/provider-applications/{id}",
    tag = "Candidatures",
    operation_id = "adminApplication",
    summary = "Détails d'une candidature",
    description = "Tout ce qu'il faut pour la revue : l'activité, les contacts, les documents (liens valables 10 minutes), l'historique et le demandeur.",
    responses(
        (status = 200, description = "La candidature.", body = Envelope<OneApplication>),
        (status = 404, description = "Candidature inconnue.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Candidature non trouvée"})),
    )
)]
async fn detail(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId<Uuid>,
) -> ApiResult<Json<Envelope<OneApplication>>> {
    let application = applications::find(&state.store, &id.to_string())
        .await?
        .ok_or_else(not_found)?;
    let mut found = with_applicants(&state, vec![application]).await?;
    let application = found.pop().ok_or_else(not_found)?;
    Ok(answers::ok(OneApplication { application }))
}
