use super::Provider;
use crate::AppState;
use crate::applications::documents::{self, DocumentView};
use crate::users::{self, User};
use serde::Serialize;
use web::ApiResult;

// A provider's account, as the document nests it in a provider (`phone`, not `phoneNumber`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ProviderAccount)]
pub struct AccountView {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[schema(example = json!("+237 6XX XXX XXX"))]
    pub phone: Option<String>,
    pub country: Option<String>,
    pub gender: Option<String>,
    pub is_email_verified: bool,
    pub is_active: bool,
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub last_login: Option<String>,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub updated_at: String,
}

impl From<&User> for AccountView {
    fn from(user: &User) -> Self {
        AccountView {
            id: user.id.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            email: user.email.clone(),
            phone: user.phone_number.clone(),
            country: user.country.clone(),
            gender: user.gender.clone(),
            is_email_verified: user.is_email_verified,
            is_active: user.is_active,
            last_login: user.last_login.clone(),
            created_at: user.created_at.clone(),
            updated_at: user.updated_at.clone(),
        }
    }
}

// A provider in full, as the admin reads it: every field, its documents behind links valid
// 10 minutes, and its account.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Provider)]
pub struct ProviderView {
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
    pub photos: Vec<String>,
    #[schema(example = json!(["coiffure", "maquillage", "manucure"]))]
    pub activities: Vec<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub is_verified: bool,
    pub is_featured: bool,
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub featured_until: Option<String>,
    /// Fin du boost payé (en tête, juste après les prestataires mis en avant).
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub boosted_until: Option<String>,
    pub is_active: bool,
    pub views_count: u64,
    pub contacts_count: u64,
    #[schema(example = json!(4.5))]
    pub average_rating: f64,
    pub total_reviews: u64,
    pub documents: Vec<DocumentView>,
    #[schema(value_type = super::Verification)]
    pub verification_status: String,
    pub verification_notes: Option<String>,
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub verified_at: Option<String>,
    pub verified_by: Option<String>,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub updated_at: String,
    /// Son compte (`null` s'il a disparu).
    pub user: Option<AccountView>,
}

impl ProviderView {
    /// `providers` in full, their accounts read at once.
    pub async fn all(state: &AppState, providers: Vec<Provider>) -> ApiResult<Vec<ProviderView>> {
        Self::all_with(state, providers, Vec::new()).await
    }

    /// The providers in full, with the accounts among `known` (read beforehand, beside the
    /// providers themselves); only the accounts missing from it are read.
    pub async fn all_with(
        state: &AppState,
        providers: Vec<Provider>,
        known: Vec<User>,
    ) -> ApiResult<Vec<ProviderView>> {
        let mut known: std::collections::HashMap<String, User> =
            known.into_iter().map(|u| (u.id.clone(), u)).collect();
        let missing: Vec<_> = providers
            .iter()
            .filter(|p| !known.contains_key(&p.user_id))
            .map(|p| users::key(&p.user_id))
            .collect();
        let read: Vec<Option<User>> = match missing.is_empty() {
            true => Vec::new(),
            false => web::item::get_many(&state.store, &missing).await?,
        };
        known.extend(read.into_iter().flatten().map(|u| (u.id.clone(), u)));
        let accounts: Vec<Option<User>> = providers
            .iter()
            .map(|p| known.get(&p.user_id).cloned())
            .collect();
        let documents = providers
            .iter()
            .map(|p| documents::shown(state, &p.documents));
        let documents = futures_util::future::try_join_all(documents).await?;
        Ok(providers
            .into_iter()
            .zip(accounts)
            .zip(documents)
            .map(|((p, account), documents)| ProviderView {
                id: p.id,
                user_id: p.user_id,
                business_name: p.business_name,
                description: p.description,
                location: p.location,
                address: p.address,
                whatsapp: p.whatsapp,
                facebook: p.facebook,
                instagram: p.instagram,
                photos: p.photos,
                activities: p.activities,
                latitude: p.latitude,
                longitude: p.longitude,
                is_verified: p.is_verified,
                is_featured: p.is_featured,
                featured_until: p.featured_until,
                boosted_until: p.boosted_until,
                is_active: p.is_active,
                views_count: p.views_count,
                contacts_count: p.contacts_count,
                average_rating: p.average_rating,
                total_reviews: p.total_reviews,
                documents,
                verification_status: p.verification_status,
                verification_notes: p.verification_notes,
                verified_at: p.verified_at,
                verified_by: p.verified_by,
                created_at: p.created_at,
                updated_at: p.updated_at,
                user: account.as_ref().map(AccountView::from),
            })
            .collect())
    }

    /// One provider in full.
    pub async fn one(state: &AppState, provider: Provider) -> ApiResult<ProviderView> {
        let mut all = Self::all(state, vec![provider]).await?;
        all.pop()
            .ok_or_else(|| web::ApiError::internal("a provider without its view"))
    }
}
