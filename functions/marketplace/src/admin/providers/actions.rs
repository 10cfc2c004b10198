//! What an admin changes of a provider: its verification, its featuring, whether it shows in
//! public lists, and the review of its documents one by one. Each change is written with its
//! audit entry in one transaction, on the condition that no other change came first.

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::audit::{self, Action, Actor};
use crate::mails::{self, Mail};
use crate::providers::view::ProviderView;
use crate::providers::{self, Provider, SAVED, Verification};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use uuid::Uuid;
use web::auth::AuthUser;
use web::extract::{ClientIp, Command, PathId};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ProviderChanged)]
pub struct Changed {
    provider: ProviderView,
}

/// What an audit entry shows of a provider before and after a change.
pub(super) fn snapshot(provider: &Provider) -> Value {
    json!({
        "isVerified": provider.is_verified,
        "verificationStatus": provider.verification_status,
        "isFeatured": provider.is_featured,
        "featuredUntil": provider.featured_until,
        "isActive": provider.is_active,
        "documents": provider.documents.iter().map(|d| &d.status).collect::<Vec<_>>(),
    })
}

pub(super) fn reason(
    min: usize,
    max: usize,
    field: &'static str,
) -> impl Fn(&Value) -> Result<String, Cow<'static, str>> {
    move |value| match value.as_str().map(str::trim) {
        Some(text) if (min..=max).contains(&text.chars().count()) => Ok(text.to_owned()),
        _ => Err(format!("{field} est obligatoire ({min} à {max} caractères)").into()),
    }
}

/// A motive the change needs: absent or out of its bounds, said with the document's words.
fn required_reason(fields: &mut Fields<'_>, name: &'static str) -> Option<String> {
    if fields.value(name).is_none() {
        fields.refuse(name, format!("{name} est obligatoire (5 à 500 caractères)"));
        return None;
    }
    fields.required_with(name, reason(5, 500, name))
}

fn boolean(value: &Value) -> Result<bool, Cow<'static, str>> {
    value.as_bool().ok_or_else(|| "doit être un booléen".into())
}

/// Changes the provider `id` with `change`, as the admin `caller` from `ip`, recording
/// `action` (with `why`); the provider as it is now.
pub(super) async fn changed(
    state: &AppState,
    (caller, ip): (&AuthUser, &str),
    id: Uuid,
    (action, why): (&'static str, Option<&str>),
    change: impl FnOnce(&mut Provider, &str),
) -> ApiResult<Provider> {
    let id = id.to_string();
    let was = providers::find(&state.store, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("Prestataire non trouvé"))?;
    let admin = caller.id.to_string();
    let mut now = was.clone();
    let at = web::time::now();
    change(&mut now, &admin);
    now.updated_at = at;
    let entry = Action {
        action,
        entity_type: "Provider",
        entity_id: &id,
        before: Some(snapshot(&was)),
        after: Some(snapshot(&now)),
        reason: why,
    };
    let actor = Actor { id: &admin, ip };
    audit::recorded(&state.store, &actor, &entry, now.saved(&was)?)
        .await
        .map_err(|e| {
            if e.failed(SAVED) {
                ApiError::conflict("Le prestataire a changé entre-temps")
            } else {
                e.into()
            }
        })?;
    Ok(now)
}

pub(super) async fn answered(
    state: &AppState,
    message: &'static str,
    provider: Provider,
) -> ApiResult<Json<Envelope<Changed>>> {
    let provider = ProviderView::one(state, provider).await?;
    Ok(answers::done(message, Changed { provider }))
}

// `PUT /api/admin/providers/{id}/verify`.
#[derive(utoipa::ToSchema)]
#[schema(as = ProviderVerification, example = json!({"isVerified": false, "rejectionReason": "Vos documents ne sont pas conformes aux exigences de la plateforme"}))]
pub struct Verify {
    #[schema(rename = "isVerified")]
    verified: bool,
    /// Obligatoire pour un rejet (5 à 500 caractères) ; envoyé au prestataire.
    #[schema(rename = "rejectionReason", min_length = 5, max_length = 500)]
    rejection_reason: Option<String>,
}

impl TryFrom<&Map<String, Value>> for Verify {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let verified = fields.required_with("isVerified", boolean);
        let rejection_reason = match verified {
            Some(false) => required_reason(&mut fields, "rejectionReason"),
            _ => None,
        };
        let Some(verified) = verified else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(Verify {
            verified,
            rejection_reason,
        })
    }
}

#[utoipa::path(
    put,
    path = "/api/admin/providers/{id}/verify",
    tag = "Prestataires (admin)",
    operation_id = "adminVerifyProvider",
    summary = "Valider/Rejeter un prestataire",
    description = "Valide (`isVerified: true` : statut `approved`, badge « Vérifié ») ou rejette (`isVerified: false`, motif obligatoire de 5 à 500 caractères, gardé dans `verificationNotes`) un prestataire. L'action est inscrite au journal d'audit.",
    request_body = Verify,
    responses(
        (status = 200, description = "Prestataire validé ou rejeté.", body = Envelope<Changed>),
        (status = 404, description = "Prestataire inconnu.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
        (status = 409, description = "Changé entre-temps.", body = crate::openapi::schemas::Error),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
    Command(verify, _): Command<Verify>,
) -> ApiResult<Json<Envelope<Changed>>> {
    let (action, message) = match verify.verified {
        true => ("provider.verify", "Prestataire vérifié"),
        false => ("provider.reject", "Prestataire rejeté"),
    };
    let why = verify.rejection_reason.clone();
    let provider = changed(
        &state,
        (&caller, &ip),
        id,
        (action, why.as_deref()),
        |p, admin| {
            p.is_verified = verify.verified;
            let status = if verify.verified {
                Verification::Approved
            } else {
                Verification::Rejected
            };
            p.verification_status = status.as_str().to_owned();
            if verify.verified {
                p.verified_at = Some(web::time::now());
                p.verified_by = Some(admin.to_owned());
            } else {
                p.verification_notes = verify.rejection_reason;
            }
        },
    )
    .await?;
    let business = provider.business_name.as_str();
    let mail = match &why {
        Some(reason) if !provider.is_verified => Mail::ProviderRejected { business, reason },
        _ => Mail::ProviderVerified { business },
    };
    mails::send_to_account(&state, &provider.user_id, mail).await;
    answered(&state, message, provider).await
}

/// The longest featuring given at once, in days.
const MAX_FEATURED_DAYS: i64 = 365;

// `PUT /api/admin/providers/{id}/feature`.
#[derive(utoipa::ToSchema)]
#[schema(as = ProviderFeaturing, example = json!({"isFeatured": true, "duration": 7}))]
pub struct Feature {
    #[schema(rename = "isFeatured")]
    featured: bool,
    /// Durée en jours (1 à 365) : `featuredUntil` en est calculé ; sans elle, jusqu'à ce qu'on la retire.
    #[schema(minimum = 1, maximum = 365)]
    duration: Option<i64>,
}

impl TryFrom<&Map<String, Value>> for Feature {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let featured = fields.required_with("isFeatured", boolean);
        let duration = fields.optional_with("duration", |v| {
            v.as_i64()
                .filter(|d| (1..=MAX_FEATURED_DAYS).contains(d))
                .ok_or_else(|| {
                    format!("duration doit être un nombre de jours de 1 à {MAX_FEATURED_DAYS}")
                        .into()
                })
        });
        let Some(featured) = featured else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(Feature { featured, duration })
    }
}

#[utoipa::path(
    put,
    path = "/api/admin/providers/{id}/feature",
    tag = "Prestataires (admin)",
    operation_id = "adminFeatureProvider",
    summary = "Mettre en avant",
    description = "Met un prestataire en avant (il apparaît en tête des résultats publics), pour `duration` jours (`featuredUntil` calculé ; la tâche de chaque nuit à 00:30, heure de Douala, retire les mises en avant échues) ou sans fin ; `isFeatured: false` la retire. L'action est inscrite au journal d'audit.",
    request_body = Feature,
    responses(
        (status = 200, description = "Mise en avant changée.", body = Envelope<Changed>),
        (status = 404, description = "Prestataire inconnu.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
        (status = 409, description = "Changé entre-temps.", body = crate::openapi::schemas::Error),
    )
)]
pub async fn feature(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
    Command(feature, _): Command<Feature>,
) -> ApiResult<Json<Envelope<Changed>>> {
    let (action, message) = match feature.featured {
        true => ("provider.feature", "Prestataire mis en avant"),
        false => ("provider.unfeature", "Mise en avant retirée"),
    };
    let until = feature
        .duration
        .filter(|_| feature.featured)
        .map(|days| web::time::format(chrono::Utc::now() + chrono::Duration::days(days)));
    let provider = changed(&state, (&caller, &ip), id, (action, None), |p, _| {
        p.is_featured = feature.featured;
        p.featured_until = until;
    })
    .await?;
    if provider.is_featured {
        let mail = Mail::Featured {
            business: &provider.business_name,
            until: provider.featured_until.as_deref(),
        };
        mails::send_to_account(&state, &provider.user_id, mail).await;
    }
    answered(&state, message, provider).await
}

// `PUT /api/admin/providers/{id}/status`.
#[derive(utoipa::ToSchema)]
#[schema(as = ProviderStatus, example = json!({"isActive": false, "reason": "Non-respect des conditions d'utilisation de la plateforme"}))]
pub struct Status {
    #[schema(rename = "isActive")]
    active: bool,
    /// Obligatoire pour une désactivation (5 à 500 caractères) ; envoyé au prestataire.
    #[schema(min_length = 5, max_length = 500)]
    reason: Option<String>,
}

impl TryFrom<&Map<String, Value>> for Status {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let active = fields.required_with("isActive", boolean);
        let reason = match active {
            Some(false) => required_reason(&mut fields, "reason"),
            _ => fields.optional_with("reason", reason(5, 500, "reason")),
        };
        let Some(active) = active else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(Status { active, reason })
    }
}

#[utoipa::path(
    put,
    path = "/api/admin/providers/{id}/status",
    tag = "Prestataires (admin)",
    operation_id = "adminSetProviderStatus",
    summary = "Activer/Désactiver un prestataire",
    description = "Indépendamment du compte : un prestataire désactivé n'apparaît plus dans les résultats publics, mais son compte peut toujours se connecter. Le motif est obligatoire pour une désactivation (5 à 500 caractères). L'action est inscrite au journal d'audit.",
    request_body = Status,
    responses(
        (status = 200, description = "Statut changé.", body = Envelope<Changed>, example = json!({"success": true, "message": "Prestataire désactivé", "data": {"provider": {"id": "8c43c085-0088-4037-94f1-e30d841b01c5", "businessName": "Salon Marie Coiffure", "isActive": false}}})),
        (status = 404, description = "Prestataire inconnu.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
        (status = 409, description = "Changé entre-temps.", body = crate::openapi::schemas::Error),
    )
)]
pub async fn set_status(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
    Command(status, _): Command<Status>,
) -> ApiResult<Json<Envelope<Changed>>> {
    let (action, message) = match status.active {
        true => ("provider.activate", "Prestataire activé"),
        false => ("provider.deactivate", "Prestataire désactivé"),
    };
    let why = status.reason.as_deref();
    let provider = changed(&state, (&caller, &ip), id, (action, why), |p, _| {
        p.is_active = status.active;
    })
    .await?;
    answered(&state, message, provider).await
}
