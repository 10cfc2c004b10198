//! The initial decision on an application: approval makes the client a provider, creates its
//! unverified profile under review and its 30-day trial, in one transaction with the
//! application's status, the audit entry and the end of the client's sessions.

use super::not_found;
use crate::AppState;
use crate::applications::view::ApplicationView;
use crate::applications::{self, SAVED, Status};
use crate::audit::{self, Action, Actor};
use crate::mails::{self, Mail};
use crate::providers::{ONE_PER_USER, Provider};
use crate::role::Role;
use crate::users;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;
use web::auth::AuthUser;
use web::auth::accounts::{self, Change};
use web::extract::{ClientIp, Command, PathId};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

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
pub struct Decision {
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
pub struct Created {
    id: String,
    business_name: String,
    is_verified: bool,
    #[schema(value_type = crate::providers::Verification)]
    verification_status: String,
}

// The document's answer: the application, and the provider an approval made.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ApplicationReviewed)]
pub struct Decided {
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
pub async fn review(
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
    let business = application.business_name.as_str();
    let mail = match decision.decision {
        ReviewDecision::Approved => Mail::ApplicationApproved { business },
        ReviewDecision::Rejected => Mail::ApplicationRejected {
            business,
            reason: application.rejection_reason.as_deref().unwrap_or_default(),
        },
        ReviewDecision::RevisionsRequested => Mail::RevisionsRequested {
            business,
            changes: application.requested_changes.as_deref().unwrap_or_default(),
        },
    };
    mails::send_to_account(&state, &application.user_id, mail).await;
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
