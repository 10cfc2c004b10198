//! The review of a provider's documents, one by one, and its verification with them.

use super::actions::{Changed, answered, changed, reason};
use crate::AppState;
use crate::answers::Envelope;
use crate::applications::documents::DocumentReview;
use crate::providers::{self, Verification};
use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value};
use std::borrow::Cow;
use uuid::Uuid;
use web::auth::AuthUser;
use web::extract::{ClientIp, Command, PathId};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

// A document refused, by its place in the provider's list.
#[derive(utoipa::ToSchema)]
#[schema(as = RejectedDocument)]
pub struct Rejected {
    #[schema(minimum = 0)]
    index: usize,
    #[schema(min_length = 3, max_length = 500, example = json!("Document expiré"))]
    reason: String,
}

// `PUT /api/admin/providers/{id}/review-documents`.
#[derive(utoipa::ToSchema)]
#[schema(as = DocumentsReview, example = json!({"decision": "approved", "notes": "Commentaire admin", "approvedDocuments": [0, 1], "rejectedDocuments": [{"index": 2, "reason": "Document expiré"}]}))]
pub struct ReviewDocuments {
    decision: Verification,
    #[schema(max_length = 1000)]
    notes: Option<String>,
    /// Index des documents approuvés.
    #[schema(rename = "approvedDocuments")]
    approved: Vec<usize>,
    #[schema(rename = "rejectedDocuments")]
    rejected: Vec<Rejected>,
}

fn indexes(value: &Value) -> Result<Vec<usize>, Cow<'static, str>> {
    value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|i| i.as_u64().and_then(|i| usize::try_from(i).ok()))
                .collect()
        })
        .ok_or_else(|| "doit être un tableau d'index (entiers ≥ 0)".into())
}

fn rejections(value: &Value) -> Result<Vec<Rejected>, Cow<'static, str>> {
    let message = || -> Cow<'static, str> {
        "doit être un tableau de {index, reason} (motif de 3 à 500 caractères)".into()
    };
    let items = value.as_array().ok_or_else(message)?;
    items
        .iter()
        .map(|item| {
            let index = item
                .get("index")
                .and_then(Value::as_u64)
                .and_then(|i| usize::try_from(i).ok());
            let reason = item.get("reason").and_then(Value::as_str).map(str::trim);
            match (index, reason) {
                (Some(index), Some(reason)) if (3..=500).contains(&reason.chars().count()) => {
                    Ok(Rejected {
                        index,
                        reason: reason.to_owned(),
                    })
                }
                _ => Err(message()),
            }
        })
        .collect()
}

impl TryFrom<&Map<String, Value>> for ReviewDocuments {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let decision = fields.required_choice::<Verification>("decision");
        let notes = fields.optional_with("notes", reason(1, 1000, "notes"));
        let approved = fields
            .optional_with("approvedDocuments", indexes)
            .unwrap_or_default();
        let rejected = fields
            .optional_with("rejectedDocuments", rejections)
            .unwrap_or_default();
        if rejected.iter().any(|r| approved.contains(&r.index)) {
            fields.refuse(
                "rejectedDocuments",
                "un document ne peut être approuvé et rejeté à la fois",
            );
        }
        let Some(decision) = decision else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(ReviewDocuments {
            decision,
            notes,
            approved,
            rejected,
        })
    }
}

#[utoipa::path(
    put,
    path = "/api/admin/providers/{id}/review-documents",
    tag = "Prestataires (admin)",
    operation_id = "adminReviewProviderDocuments",
    summary = "Réviser les documents",
    description = "Marque chaque document approuvé ou rejeté (par son index dans la liste du prestataire, avec le motif du rejet) et donne le statut de vérification global : `approved` certifie le prestataire (`isVerified: true`), `rejected` le lui retire, `under_review` le laisse en revue. Un index hors de la liste répond 400. L'action est inscrite au journal d'audit.",
    request_body = ReviewDocuments,
    responses(
        (status = 200, description = "Documents revus.", body = Envelope<Changed>),
        (status = 404, description = "Prestataire inconnu.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
        (status = 409, description = "Changé entre-temps.", body = crate::openapi::schemas::Error),
    )
)]
pub async fn review_documents(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(ip): ClientIp,
    PathId(id): PathId<Uuid>,
    Command(review, _): Command<ReviewDocuments>,
) -> ApiResult<Json<Envelope<Changed>>> {
    let known = providers::find(&state.store, &id.to_string())
        .await?
        .ok_or_else(|| ApiError::not_found("Prestataire non trouvé"))?
        .documents
        .len();
    let mut named = review
        .approved
        .iter()
        .chain(review.rejected.iter().map(|r| &r.index));
    if named.any(|i| *i >= known) {
        return Err(ApiError::field(
            "approvedDocuments",
            format!("le prestataire a {known} document(s) : un index va de 0 à {known} exclu"),
        ));
    }
    let action = ("provider.review_documents", review.notes.as_deref());
    let provider = changed(&state, (&caller, &ip), id, action, |p, admin| {
        for i in &review.approved {
            if let Some(doc) = p.documents.get_mut(*i) {
                doc.status = DocumentReview::Approved.as_str().to_owned();
                doc.rejection_reason = None;
            }
        }
        for rejected in &review.rejected {
            if let Some(doc) = p.documents.get_mut(rejected.index) {
                doc.status = DocumentReview::Rejected.as_str().to_owned();
                doc.rejection_reason = Some(rejected.reason.clone());
            }
        }
        p.verification_status = review.decision.as_str().to_owned();
        if review.notes.is_some() {
            p.verification_notes = review.notes.clone();
        }
        match review.decision {
            Verification::Approved => {
                p.is_verified = true;
                p.verified_at = Some(web::time::now());
                p.verified_by = Some(admin.to_owned());
            }
            Verification::Rejected => p.is_verified = false,
            Verification::UnderReview => {}
        }
    })
    .await?;
    answered(&state, "Documents revus", provider).await
}
