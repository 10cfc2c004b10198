use super::User;
use serde::Serialize;

// An account as clients and admins see it: everything given at registration, never the
// password's hash.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = User)]
pub struct UserView {
    #[schema(example = json!("8c43c085-0088-4037-94f1-e30d841b01c5"), pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    pub id: String,
    #[schema(example = json!("Fatou"))]
    pub first_name: String,
    #[schema(example = json!("Onana"))]
    pub last_name: String,
    #[schema(example = json!("fatou.onana104@example.com"), format = Email)]
    pub email: String,
    #[schema(value_type = crate::role::Role)]
    pub role: String,
    #[schema(example = json!("+237 6XX XXX XXX"))]
    pub phone_number: Option<String>,
    #[schema(example = json!("Cameroun"))]
    pub country: Option<String>,
    #[schema(value_type = Option<crate::openapi::schemas::Gender>)]
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

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        UserView {
            id: user.id.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            email: user.email.clone(),
            role: user.role.clone(),
            phone_number: user.phone_number.clone(),
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
