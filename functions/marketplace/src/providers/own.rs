//! A provider's own profile: reading it in full with its subscription, editing what it says
//! of its business, and sending again a document the admin rejected.

use super::view::ProviderView;
use super::{Provider, SAVED, Subscription, Verification};
use crate::AppState;
use crate::answers::{self, Envelope};
use crate::applications::documents::{self, DocumentReview, RULES};
use crate::applications::form::Business;
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use web::auth::AuthUser;
use web::extract::PathText;
use web::route;
use web::routes::{Access, Endpoint};
use web::upload::{LAMBDA_MAX_UPLOAD_BYTES, Multipart};
use web::validate::Choice;
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(mine, Access::Roles(Role::PROVIDER)),
        route!(edit, Access::Roles(Role::PROVIDER)).body_limit(LAMBDA_MAX_UPLOAD_BYTES),
        route!(resend, Access::Roles(Role::PROVIDER)).body_limit(LAMBDA_MAX_UPLOAD_BYTES),
    ]
}

/// The form field of a document sent again.
const DOCUMENT_FIELD: &str = "document";

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = OwnProfile)]
struct Profile {
    provider: ProviderView,
    /// L'abonnement : l'essai de 30 jours, puis les mois payés.
    subscription: Option<Subscription>,
}

async fn profile(state: &AppState, provider: Provider) -> ApiResult<Json<Envelope<Profile>>> {
    let key = super::subscription_key(&provider.id);
    let subscription = state
        .store
        .get(&key)
        .await?
        .map(web::item::parse)
        .transpose()?;
    let provider = ProviderView::one(state, provider).await?;
    Ok(answers::ok(Profile {
        provider,
        subscription,
    }))
}

fn changed_meanwhile(e: store::StoreError) -> ApiError {
    if e.failed(SAVED) {
        ApiError::conflict("Le profil a changé entre-temps")
    } else {
        e.into()
    }
}

#[utoipa::path(
    get,
    path = "/api/providers/my-profile",
    tag = "Prestataires",
    operation_id = "myProviderProfile",
    summary = "Mon profil prestataire",
    description = "Le profil du prestataire de l'appelant en entier (ses documents derrière des liens valables 10 minutes, leur revue, sa vérification, sa mise en avant et son boost) et son abonnement.",
    responses(
        (status = 200, description = "Le profil.", body = Envelope<Profile>),
        (status = 404, description = "L'appelant n'a pas de profil prestataire.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Profil prestataire non trouvé"})),
    )
)]
async fn mine(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Envelope<Profile>>> {
    let provider = super::of_caller(&state.store, &caller).await?;
    profile(&state, provider).await
}

#[utoipa::path(
    put,
    path = "/api/providers/my-profile",
    tag = "Prestataires",
    operation_id = "editProviderProfile",
    summary = "Modifier mon profil prestataire",
    description = "Le formulaire de la candidature de nouveau (sans documents) : ce que le prestataire dit de son activité. Les listes publiques suivent dans la même transaction (activités, ville, mots du nom).",
    request_body(content = inline(crate::applications::form::Described), content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Profil modifié.", body = Envelope<Profile>),
        (status = 404, description = "L'appelant n'a pas de profil prestataire.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Profil prestataire non trouvé"})),
        (status = 409, description = "Changé entre-temps.", body = crate::openapi::schemas::Error),
        (status = 415, description = "Le corps n'est pas un formulaire multipart.", body = crate::openapi::schemas::Error),
    )
)]
async fn edit(
    State(state): State<AppState>,
    caller: AuthUser,
    form: Multipart,
) -> ApiResult<Json<Envelope<Profile>>> {
    let form = form.read(&[]).await?;
    let business = Business::try_from(&form)?;
    let was = super::of_caller(&state.store, &caller).await?;
    let mut provider = was.clone();
    provider.business_name = business.business_name;
    provider.description = business.description;
    provider.location = business.location;
    provider.address = business.address;
    provider.whatsapp = business.whatsapp;
    provider.facebook = business.facebook;
    provider.instagram = business.instagram;
    provider.activities = business.activities;
    provider.latitude = business.latitude;
    provider.longitude = business.longitude;
    provider.updated_at = web::time::now();
    state
        .store
        .transact_named(provider.saved(&was)?)
        .await
        .map_err(changed_meanwhile)?;
    let mut answer = profile(&state, provider).await?;
    answer.0.message = Some("Profil modifié");
    Ok(answer)
}

#[utoipa::path(
    put,
    path = "/api/providers/my-documents/{index}",
    tag = "Prestataires",
    operation_id = "resendProviderDocument",
    summary = "Renvoyer un document rejeté",
    description = "Remplace le document rejeté à cette position (0 pour le premier) par un nouveau fichier du même type (JPEG, PNG, WebP ou PDF selon son contenu, 3 Mo) : il attend de nouveau la revue de l'admin, le prestataire repasse `under_review`, et l'ancien fichier est supprimé.",
    params(("index" = u32, Path, description = "La position du document (0 pour le premier).", example = 0)),
    request_body(content = inline(Resent), content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Document renvoyé.", body = Envelope<Profile>),
        (status = 404, description = "Pas de profil prestataire, ou pas de document à cette position.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Document non trouvé"})),
        (status = 409, description = "Le document n'est pas rejeté, ou le profil a changé entre-temps.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Seul un document rejeté peut être renvoyé"})),
        (status = 415, description = "Le corps n'est pas un formulaire multipart.", body = crate::openapi::schemas::Error),
    )
)]
async fn resend(
    State(state): State<AppState>,
    caller: AuthUser,
    PathText(index): PathText,
    form: Multipart,
) -> ApiResult<Json<Envelope<Profile>>> {
    let index: usize = index.parse().map_err(|_| {
        ApiError::field(
            "index",
            "index doit être la position d'un document (0, 1, ...)",
        )
    })?;
    let form = form.read(&[(DOCUMENT_FIELD, RULES)]).await?;
    let file = form
        .file(DOCUMENT_FIELD)
        .ok_or_else(|| ApiError::field(DOCUMENT_FIELD, "document est obligatoire"))?;
    let was = super::of_caller(&state.store, &caller).await?;
    let old = was
        .documents
        .get(index)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Document non trouvé"))?;
    if old.status != DocumentReview::Rejected.as_str() {
        return Err(ApiError::conflict(
            "Seul un document rejeté peut être renvoyé",
        ));
    }
    let kind = documents::Kind::parse(&old.kind).unwrap_or(documents::Kind::Photo);
    let now = web::time::now();
    let folder = format!("providers/{}", was.id);
    let new = documents::put(&state, &folder, file, kind, &now).await?;
    let mut provider = was.clone();
    if let Some(slot) = provider.documents.get_mut(index) {
        *slot = new.clone();
    }
    provider.verification_status = Verification::UnderReview.as_str().to_owned();
    provider.updated_at = now;
    let saved = match provider.saved(&was) {
        Ok(ops) => state
            .store
            .transact_named(ops)
            .await
            .map_err(changed_meanwhile),
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => documents::removed(&state, &[old]).await,
        Err(e) => {
            documents::removed(&state, &[new]).await;
            return Err(e);
        }
    }
    let mut answer = profile(&state, provider).await?;
    answer.0.message = Some("Document renvoyé");
    Ok(answer)
}

// The form of `PUT /api/providers/my-documents/{index}`.
#[derive(utoipa::ToSchema)]
#[schema(as = ResentDocument)]
#[allow(dead_code)] // described, never built: the form is read as it came
struct Resent {
    /// Le nouveau fichier : JPEG, PNG, WebP ou PDF (selon son contenu), 3 Mo au plus.
    #[schema(format = Binary)]
    document: String,
}
