//! An applicant's documents (CNI, business licence, photos): checked by their content, stored
//! privately under the marketplace's prefix, and shown through links that expire.

use crate::AppState;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use web::upload::{FileRules, Form, UploadedFile};
use web::validate::Choice;
use web::{ApiError, ApiResult};

web::choice! {
    pub enum Kind {
        Cni = "cni",
        BusinessLicense = "business_license",
        Photo = "photo",
    }
}

web::choice! {
    pub enum DocumentReview {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
}

/// The form field of the documents, and what each may be: JPEG, PNG, WebP or PDF by their
/// content, 3 MB each (a request stays under Lambda's 4 MB with its fields).
pub const FIELD: &str = "documents";
pub const RULES: FileRules = FileRules {
    types: &["image/jpeg", "image/png", "image/webp", "application/pdf"],
    max_bytes: 3 * 1024 * 1024,
};
/// The most documents one request brings.
pub const MAX_FILES: usize = 5;
/// How long a document's link works.
const LINK: Duration = Duration::from_secs(10 * 60);

/// A document as stored: where its bytes are, never a public URL.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    #[serde(rename = "type")]
    pub kind: String,
    pub key: String,
    pub content_type: String,
    pub uploaded_at: String,
    pub status: String,
    pub rejection_reason: Option<String>,
}

// A document as clients see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ProviderDocument)]
pub struct DocumentView {
    #[serde(rename = "type")]
    #[schema(rename = "type", value_type = Kind)]
    pub kind: String,
    /// Lien de lecture valable 10 minutes.
    #[schema(example = json!("https://files.example.com/marketplace/applications/...?X-Amz-Signature=..."))]
    pub url: String,
    #[schema(example = json!("image/jpeg"))]
    pub content_type: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub uploaded_at: String,
    #[schema(value_type = DocumentReview)]
    pub status: String,
    pub rejection_reason: Option<String>,
}

/// `documents`, each with a link that works for a few minutes.
pub async fn shown(state: &AppState, documents: &[Document]) -> ApiResult<Vec<DocumentView>> {
    let links = documents
        .iter()
        .map(|doc| state.blobs.presigned_get(&doc.key, LINK));
    let links = futures_util::future::try_join_all(links).await?;
    Ok(documents
        .iter()
        .zip(links)
        .map(|(doc, url)| DocumentView {
            kind: doc.kind.clone(),
            url,
            content_type: doc.content_type.clone(),
            uploaded_at: doc.uploaded_at.clone(),
            status: doc.status.clone(),
            rejection_reason: doc.rejection_reason.clone(),
        })
        .collect())
}

/// The kinds of the form's documents: `documentTypes` (a JSON array, one per file, in their
/// order), or else the first a CNI and the others photos.
pub fn kinds(form: &Form) -> ApiResult<Vec<Kind>> {
    let files = form.files.iter().filter(|f| f.field == FIELD).count();
    if files > MAX_FILES {
        return Err(ApiError::field(
            FIELD,
            format!("{MAX_FILES} documents au plus par envoi"),
        ));
    }
    let Some(text) = form.fields.get("documentTypes") else {
        return Ok((0..files)
            .map(|i| if i == 0 { Kind::Cni } else { Kind::Photo })
            .collect());
    };
    let invalid = || {
        ApiError::field(
            "documentTypes",
            format!(
                "documentTypes doit être un tableau JSON d'un type par document ({})",
                Kind::NAMES.join(", ")
            ),
        )
    };
    let names: Vec<String> = serde_json::from_str(text).map_err(|_| invalid())?;
    if names.len() != files {
        return Err(invalid());
    }
    names
        .iter()
        .map(|name| Kind::parse(name).ok_or_else(invalid))
        .collect()
}

/// Stores `file` in `folder` (`applications/<id>`, `providers/<id>`); the document it
/// becomes, pending review.
pub async fn put(
    state: &AppState,
    folder: &str,
    file: &UploadedFile,
    kind: Kind,
    now: &str,
) -> ApiResult<Document> {
    let key = format!(
        "{folder}/{}.{}",
        uuid::Uuid::new_v4().simple(),
        file.extension()
    );
    state
        .blobs
        .put(&key, file.bytes.clone(), file.content_type)
        .await?;
    Ok(Document {
        kind: kind.as_str().to_owned(),
        key,
        content_type: file.content_type.to_owned(),
        uploaded_at: now.to_owned(),
        status: DocumentReview::Pending.as_str().to_owned(),
        rejection_reason: None,
    })
}

/// Stores the form's documents for `application`. If one fails, those stored already are
/// removed.
pub async fn stored(
    state: &AppState,
    application: &str,
    form: &Form,
    kinds: &[Kind],
    now: &str,
) -> ApiResult<Vec<Document>> {
    let files = form.files.iter().filter(|f| f.field == FIELD);
    let mut documents = Vec::new();
    for (file, kind) in files.zip(kinds) {
        match put(
            state,
            &format!("applications/{application}"),
            file,
            *kind,
            now,
        )
        .await
        {
            Ok(document) => documents.push(document),
            Err(e) => {
                removed(state, &documents).await;
                return Err(e);
            }
        }
    }
    Ok(documents)
}

/// Removes `documents`' bytes (after a write that failed, or once replaced); a failure is
/// logged, never the caller's error.
pub async fn removed(state: &AppState, documents: &[Document]) {
    for document in documents {
        if let Err(e) = state.blobs.delete(&document.key).await {
            tracing::warn!(key = %document.key, error = %e, "a document was left behind");
        }
    }
}
