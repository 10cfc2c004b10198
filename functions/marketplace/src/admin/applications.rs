//! `marketplace-admin.md` §3: the provider applications — the list, one in full, and the
//! initial decision. Approval makes the client a provider, creates its unverified profile
//! under review and its 30-day trial, in one transaction with the application's status and
//! the audit entry: all of it, or none.

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::applications::view::ApplicationView;
use crate::applications::{self, Application, SAVED, Status};
use crate::audit::{self, Action, Actor};
use crate::paging::Pagination;
use crate::providers::{ONE_PER_USER, Provider};
use crate::role::Role;
use crate::users::{self, User};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::Query;
use uuid::Uuid;
use web::auth::AuthUser;
use web::auth::accounts::{self, Change};
use web::extract::{ClientIp, Command, PathId, Query as QueryParams};
use web::pagination::{Pager, read_page};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{Choice, FRENCH, Fields};
use web::{ApiError, ApiResult, counters};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Roles(Role::ADMIN)),
        route!(detail, Access::Roles(Role::ADMIN)),
        route!(review, Access::Roles(Role::ADMIN)),
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

web::choice! {
    pub enum ReviewDecision {
        Approved = "approved",
        Rejected = "rejected",
        RevisionsRequested = "revisions_requested",
    }
}

// `PUT /api/admin/provider-applications/{id}/review`.
#[derive(utoipa::ToSchema)]
#[schema(as = ApplicationReview, example = json!({"decision": "rejected", "rejectionReason": "CNI illisible, veuillez resoumettre une photo claire", "adminNotes": "Photo floue, demander un scan"}))]
struct Decision {
    decision: ReviewDecision,
    /// Notes internes (1000 caractères au plus).
    #[schema(rename = "adminNotes", max_length = 1000)]
    admin_notes: Option<String>,
    /// Obligatoire pour un rejet (5 à 500 caractères) ; envoyé au demandeur.
    #[schema(rename = "rejectionReason", min_length = 5, max_length = 500)]
    rejection_reason: Option<String>,
    /// Obligatoire pour `revisions_requested` (5 à 1000 caractères) : ce que le demandeur doit changer.
    #[schema(rename = "requestedChanges", min_length = 5, max_length = 1000)]
    requested_changes: Option<String>,
}

fn between(
    min: usize,
    max: usize,
    message: &'static str,
) -> impl Fn(&Value) -> Result<String, std::borrow::Cow<'static, str>> {
    move |value| match value.as_str().map(str::trim) {
        Some(text) if (min..=max).contains(&text.chars().count()) => Ok(text.to_owned()),
        _ => Err(message.into()),
    }
}

impl TryFrom<&Map<String, Value>> for Decision {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let decision = fields.required_choice::<ReviewDecision>("decision");
        let admin_notes = fields.optional_with(
            "adminNotes",
            between(1, 1000, "adminNotes contient 1000 caractères au plus"),
        );
        let rejection_reason = fields.optional_with(
            "rejectionReason",
            between(
                5,
                500,
                "rejectionReason est obligatoire (5 à 500 caractères)",
            ),
        );
        let requested_changes = fields.optional_with(
            "requestedChanges",
            between(
                5,
                1000,
                "requestedChanges est obligatoire (5 à 1000 caractères)",
            ),
        );
        match decision {
            Some(ReviewDecision::Rejected)
                if rejection_reason.is_none() && fields.value("rejectionReason").is_none() =>
            {
                fields.refuse(
                    "rejectionReason",
                    "rejectionReason est obligatoire (5 à 500 caractères)",
                );
            }
            Some(ReviewDecision::RevisionsRequested)
                if requested_changes.is_none() && fields.value("requestedChanges").is_none() =>
            {
                fields.refuse(
                    "requestedChanges",
                    "requestedChanges est obligatoire (5 à 1000 caractères)",
                );
            }
            _ => {}
        }
        let Some(decision) = decision else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(Decision {
            decision,
            admin_notes,
            rejection_reason,
            requested_changes,
        })
    }
}

// The provider an approval made, as the document answers it.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ProviderCreated)]
struct Created {
    id: String,
    business_name: String,
    is_verified: bool,
    #[schema(value_type = crate::providers::Verification)]
    verification_status: String,
}

// The document's answer: the application, and the provider an approval made.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ApplicationReviewed)]
struct Decided {
    #[schema(example = json!(true))]
    success: bool,
    application: ApplicationView,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    provider: Option<Created>,
}

#[utoipa::path(
    put,
    path = "/api/admin/provider-applications/{id}/review",
    tag = "Candidatures",
    operation_id = "adminReviewApplication",
    summary = "Décision sur une candidature",
    description = "`approved` : le client devient prestataire (rôle `provider`, ses sessions closes pour qu'il se reconnecte avec ce rôle), son profil est créé non vérifié (`under_review`, il apparaît dans `GET /providers/under-review`) avec un essai gratuit de 30 jours ; tout est écrit dans une seule transaction, avec le statut de la candidature et le journal d'audit : une étape qui échoue annule tout. `rejected` : avec son motif. `revisions_requested` : avec les changements demandés, auxquels le demandeur répond par `PUT /api/providers/my-application`. Seule une candidature ouverte (`pending`, `revisions_requested`) reçoit une décision.",
    request_body = Decision,
    responses(
        (status = 200, description = "Décision enregistrée.", body = Decided),
        (status = 404, description = "Candidature inconnue.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Candidature non trouvée"})),
        (status = 409, description = "Candidature déjà traitée, changée entre-temps, ou compte qui n'est plus client.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Candidature déjà traitée"})),
    )
)]
async fn review(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
    Command(decision, _): Command<Decision>,
) -> ApiResult<Json<Decided>> {
    let mut application = applications::find(&state.store, &id.to_string())
        .await?
        .ok_or_else(not_found)?;
    let was = application.status();
    if !was.is_open() {
        return Err(ApiError::conflict("Candidature déjà traitée"));
    }
    let now = chrono::Utc::now();
    let admin = caller.id.to_string();
    let before = json!({"status": application.status});
    application.status = match decision.decision {
        ReviewDecision::Approved => Status::Approved,
        ReviewDecision::Rejected => Status::Rejected,
        ReviewDecision::RevisionsRequested => Status::RevisionsRequested,
    }
    .as_str()
    .to_owned();
    application.admin_notes = decision.admin_notes;
    application.rejection_reason = decision.rejection_reason;
    application.requested_changes = decision.requested_changes;
    application.reviewed_by = Some(admin.clone());
    application.reviewed_at = Some(web::time::format(now));
    application.updated_at = web::time::format(now);
    let mut ops = application.saved(Some(was))?;
    let (mut provider, mut sessions_later) = (None, false);
    if decision.decision == ReviewDecision::Approved {
        let user = users::find(&state.store, &application.user_id)
            .await?
            .filter(|u| u.role == Role::Client.as_str())
            .ok_or_else(|| ApiError::conflict("Le compte n'est plus client"))?;
        ops.extend(users::role_change(
            &user,
            Role::Provider,
            &web::time::format(now),
        )?);
        // Its tokens say `client`: they end with the change, and it signs in again.
        match accounts::ending(&state.store, &(&user.id).into()).await? {
            Ok(ended) => ops.extend(ended.into_iter().map(|op| ("session", op))),
            Err(_) => sessions_later = true,
        }
        let made = Provider::from_application(&application, &web::time::format(now));
        ops.extend(made.creation(now)?);
        provider = Some(made);
    }
    let action = Action {
        action: match decision.decision {
            ReviewDecision::Approved => "application.approve",
            ReviewDecision::Rejected => "application.reject",
            ReviewDecision::RevisionsRequested => "application.request_revisions",
        },
        entity_type: "ProviderApplication",
        entity_id: &application.id,
        before: Some(before),
        after: Some(json!({
            "status": application.status,
            "providerId": provider.as_ref().map(|p| &p.id),
        })),
        reason: application
            .rejection_reason
            .as_deref()
            .or(application.requested_changes.as_deref()),
    };
    let actor = Actor {
        id: &admin,
        ip: &ip,
    };
    audit::recorded(&state.store, &actor, &action, ops)
        .await
        .map_err(|e| {
            if e.failed(SAVED) {
                ApiError::conflict("La candidature a changé entre-temps")
            } else if e.failed("user") {
                ApiError::conflict("Le compte n'est plus client")
            } else if e.failed(ONE_PER_USER) {
                ApiError::conflict("Ce compte a déjà un profil prestataire")
            } else {
                e.into()
            }
        })?;
    if sessions_later {
        let id = (&application.user_id).into();
        accounts::changed(&state.store, &id, Change::Everything).await?;
    }
    Ok(Json(Decided {
        success: true,
        application: ApplicationView::of(&state, application).await?,
        provider: provider.map(|p| Created {
            id: p.id,
            business_name: p.business_name,
            is_verified: p.is_verified,
            verification_status: p.verification_status,
        }),
    }))
}
