use super::Application;
use super::documents::{self, DocumentView};
use crate::AppState;
use serde::Serialize;
use web::ApiResult;

// An application as its applicant and the admins see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ProviderApplication)]
pub struct ApplicationView {
    pub id: String,
    pub user_id: String,
    #[schema(example = json!("Salon Marie Coiffure"))]
    pub business_name: String,
    pub description: String,
    #[schema(example = json!("Yaoundé, Centre-ville"))]
    pub location: String,
    pub address: Option<String>,
    pub whatsapp: Option<String>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    #[schema(example = json!(["coiffure", "maquillage"]))]
    pub activities: Vec<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub documents: Vec<DocumentView>,
    #[schema(value_type = super::Status)]
    pub status: String,
    pub admin_notes: Option<String>,
    pub rejection_reason: Option<String>,
    /// Ce que l'admin demande de changer (`revisions_requested`).
    pub requested_changes: Option<String>,
    pub reviewed_by: Option<String>,
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub reviewed_at: Option<String>,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub updated_at: String,
}

impl ApplicationView {
    /// `application`, its documents behind links that expire.
    pub async fn of(state: &AppState, application: Application) -> ApiResult<Self> {
        let documents = documents::shown(state, &application.documents).await?;
        Ok(ApplicationView {
            id: application.id,
            user_id: application.user_id,
            business_name: application.business_name,
            description: application.description,
            location: application.location,
            address: application.address,
            whatsapp: application.whatsapp,
            facebook: application.facebook,
            instagram: application.instagram,
            activities: application.activities,
            latitude: application.latitude,
            longitude: application.longitude,
            documents,
            status: application.status,
            admin_notes: application.admin_notes,
            rejection_reason: application.rejection_reason,
            requested_changes: application.requested_changes,
            reviewed_by: application.reviewed_by,
            reviewed_at: application.reviewed_at,
            created_at: application.created_at,
            updated_at: application.updated_at,
        })
    }
}
