//! Request bodies as the document describes them. Their handlers read them field by field,
//! in Django REST Framework's words (`crate::forms`); these types only name and describe
//! them.
#![allow(dead_code)] // described, never built

use super::schemas::SkillLevel;

#[derive(utoipa::ToSchema)]
pub struct RegisterRequest {
    #[schema(example = json!("john_doe"), min_length = 1, max_length = 150, pattern = "^[A-Za-z0-9_.@+-]+$")]
    username: String,
    #[schema(format = Email, example = json!("john.doe@example.com"), max_length = 254)]
    email: String,
    #[schema(format = Password, example = json!("SecurePass123!"), min_length = 1)]
    password: String,
    #[schema(format = Password, example = json!("SecurePass123!"), min_length = 1)]
    password2: String,
    #[schema(example = json!("John"), max_length = 150)]
    first_name: Option<String>,
    #[schema(example = json!("Doe"), max_length = 150)]
    last_name: Option<String>,
    #[schema(example = json!("+33612345678"), max_length = 20)]
    phone: Option<String>,
}

#[derive(utoipa::ToSchema)]
pub struct ChangePasswordRequest {
    #[schema(format = Password, example = json!("SecurePass123!"), min_length = 1)]
    old_password: String,
    #[schema(format = Password, example = json!("NewSecurePass456!"), min_length = 1)]
    new_password: String,
    #[schema(format = Password, example = json!("NewSecurePass456!"), min_length = 1)]
    new_password2: String,
}

#[derive(utoipa::ToSchema)]
pub struct ExperienceInput {
    /// Keeps this entry's id (one of the résumé's).
    #[schema(nullable = false)]
    id: Option<i64>,
    #[schema(min_length = 1, max_length = 200)]
    company: String,
    #[schema(min_length = 1, max_length = 200)]
    position: String,
    #[schema(max_length = 200)]
    location: Option<String>,
    #[schema(format = Date, example = json!("2020-01-15"))]
    start_date: String,
    #[schema(format = Date, example = json!("2020-01-15"))]
    end_date: Option<String>,
    #[schema(default = json!(false), nullable = false)]
    is_current: Option<bool>,
    #[schema(max_length = 5000)]
    description: Option<String>,
    #[schema(default = json!(0), minimum = 0, maximum = 2147483647, nullable = false)]
    order: Option<i64>,
}

#[derive(utoipa::ToSchema)]
pub struct EducationInput {
    #[schema(nullable = false)]
    id: Option<i64>,
    #[schema(min_length = 1, max_length = 200)]
    institution: String,
    #[schema(min_length = 1, max_length = 200)]
    degree: String,
    #[schema(max_length = 200)]
    field_of_study: Option<String>,
    #[schema(max_length = 200)]
    location: Option<String>,
    #[schema(format = Date, example = json!("2020-01-15"))]
    start_date: String,
    #[schema(format = Date, example = json!("2020-01-15"))]
    end_date: Option<String>,
    #[schema(nullable = false)]
    is_current: Option<bool>,
    #[schema(max_length = 200)]
    grade: Option<String>,
    #[schema(max_length = 5000)]
    description: Option<String>,
    #[schema(default = json!(0), minimum = 0, maximum = 2147483647, nullable = false)]
    order: Option<i64>,
}

#[derive(utoipa::ToSchema)]
pub struct SkillInput {
    #[schema(nullable = false)]
    id: Option<i64>,
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    #[schema(inline, default = json!("intermediate"), nullable = false)]
    level: Option<SkillLevel>,
    #[schema(max_length = 200)]
    category: Option<String>,
    #[schema(default = json!(0), minimum = 0, maximum = 2147483647, nullable = false)]
    order: Option<i64>,
}

#[derive(utoipa::ToSchema)]
pub struct ResumeCreate {
    #[schema(schema_with = super::schemas::template_id)]
    template: i64,
    #[schema(example = json!("Marie Dubois"), min_length = 1, max_length = 200)]
    full_name: String,
    #[schema(format = Email, example = json!("marie.dubois@example.com"), max_length = 254)]
    email: String,
    #[schema(example = json!("+33699887766"), max_length = 20)]
    phone: Option<String>,
    #[schema(max_length = 200)]
    address: Option<String>,
    #[schema(example = json!("https://github.com/johndoe"), max_length = 200, pattern = "^(https?://([A-Za-z0-9.-]*[A-Za-z0-9-]\\.[A-Za-z0-9-]+|localhost)(:[0-9]+)?([/?#][!-~]*)?)?$")]
    website: Option<String>,
    #[schema(example = json!("https://github.com/johndoe"), max_length = 200, pattern = "^(https?://([A-Za-z0-9.-]*[A-Za-z0-9-]\\.[A-Za-z0-9-]+|localhost)(:[0-9]+)?([/?#][!-~]*)?)?$")]
    linkedin_url: Option<String>,
    #[schema(example = json!("https://github.com/johndoe"), max_length = 200, pattern = "^(https?://([A-Za-z0-9.-]*[A-Za-z0-9-]\\.[A-Za-z0-9-]+|localhost)(:[0-9]+)?([/?#][!-~]*)?)?$")]
    github_url: Option<String>,
    #[schema(example = json!("Chef de Projet Digital"), max_length = 200)]
    title: Option<String>,
    #[schema(max_length = 10000)]
    summary: Option<String>,
    /// Replaces the experiences; an entry equal to a current one (or naming its `id`) keeps its id.
    #[schema(inline, max_items = 50, nullable = false)]
    experience_data: Option<Vec<ExperienceInput>>,
    /// Replaces the education entries, ids kept as for experiences.
    #[schema(inline, max_items = 50, nullable = false)]
    education_data: Option<Vec<EducationInput>>,
    /// Replaces the skills, ids kept as for experiences.
    #[schema(inline, max_items = 50, nullable = false)]
    skills_data: Option<Vec<SkillInput>>,
    /// `{language, level}` objects.
    #[schema(value_type = Option<Vec<Object>>, example = json!([{"language": "Français", "level": "Natif"}]), max_items = 50, nullable = false)]
    languages_data: Option<Vec<serde_json::Value>>,
    /// `{name, issuer, date}` objects.
    #[schema(value_type = Option<Vec<Object>>, example = json!([{"name": "PMP Certification", "issuer": "PMI", "date": "2019-11-20"}]), max_items = 50, nullable = false)]
    certifications_data: Option<Vec<serde_json::Value>>,
    /// `{name, description, url}` objects.
    #[schema(value_type = Option<Vec<Object>>, example = json!([{"name": "Portfolio", "description": "Site web", "url": null}]), max_items = 50, nullable = false)]
    projects_data: Option<Vec<serde_json::Value>>,
    /// `{title, content}` objects.
    #[schema(value_type = Option<Vec<Object>>, example = json!([{"title": "Bénévolat", "content": "Code for Good"}]), max_items = 50, nullable = false)]
    custom_sections: Option<Vec<serde_json::Value>>,
}

#[derive(utoipa::ToSchema)]
#[schema(description = "Only the fields sent change (auto-save).")]
pub struct ResumePatch {
    #[schema(schema_with = super::schemas::template_id)]
    template: Option<i64>,
    #[schema(example = json!("Marie Dubois"), min_length = 1, max_length = 200, nullable = false)]
    full_name: Option<String>,
    #[schema(format = Email, example = json!("marie.dubois@example.com"), max_length = 254, nullable = false)]
    email: Option<String>,
    #[schema(example = json!("+33699887766"), max_length = 20)]
    phone: Option<String>,
    #[schema(max_length = 200)]
    address: Option<String>,
    #[schema(example = json!("https://github.com/johndoe"), max_length = 200, pattern = "^(https?://([A-Za-z0-9.-]*[A-Za-z0-9-]\\.[A-Za-z0-9-]+|localhost)(:[0-9]+)?([/?#][!-~]*)?)?$")]
    website: Option<String>,
    #[schema(example = json!("https://github.com/johndoe"), max_length = 200, pattern = "^(https?://([A-Za-z0-9.-]*[A-Za-z0-9-]\\.[A-Za-z0-9-]+|localhost)(:[0-9]+)?([/?#][!-~]*)?)?$")]
    linkedin_url: Option<String>,
    #[schema(example = json!("https://github.com/johndoe"), max_length = 200, pattern = "^(https?://([A-Za-z0-9.-]*[A-Za-z0-9-]\\.[A-Za-z0-9-]+|localhost)(:[0-9]+)?([/?#][!-~]*)?)?$")]
    github_url: Option<String>,
    #[schema(example = json!("Chef de Projet Digital"), max_length = 200)]
    title: Option<String>,
    #[schema(max_length = 10000)]
    summary: Option<String>,
    /// Replaces the experiences; an entry equal to a current one (or naming its `id`) keeps its id.
    #[schema(inline, max_items = 50, nullable = false)]
    experience_data: Option<Vec<ExperienceInput>>,
    /// Replaces the education entries, ids kept as for experiences.
    #[schema(inline, max_items = 50, nullable = false)]
    education_data: Option<Vec<EducationInput>>,
    /// Replaces the skills, ids kept as for experiences.
    #[schema(inline, max_items = 50, nullable = false)]
    skills_data: Option<Vec<SkillInput>>,
    /// `{language, level}` objects.
    #[schema(value_type = Option<Vec<Object>>, example = json!([{"language": "Français", "level": "Natif"}]), max_items = 50, nullable = false)]
    languages_data: Option<Vec<serde_json::Value>>,
    /// `{name, issuer, date}` objects.
    #[schema(value_type = Option<Vec<Object>>, example = json!([{"name": "PMP Certification", "issuer": "PMI", "date": "2019-11-20"}]), max_items = 50, nullable = false)]
    certifications_data: Option<Vec<serde_json::Value>>,
    /// `{name, description, url}` objects.
    #[schema(value_type = Option<Vec<Object>>, example = json!([{"name": "Portfolio", "description": "Site web", "url": null}]), max_items = 50, nullable = false)]
    projects_data: Option<Vec<serde_json::Value>>,
    /// `{title, content}` objects.
    #[schema(value_type = Option<Vec<Object>>, example = json!([{"title": "Bénévolat", "content": "Code for Good"}]), max_items = 50, nullable = false)]
    custom_sections: Option<Vec<serde_json::Value>>,
}

#[derive(utoipa::ToSchema)]
pub struct JsonResumeBasics {
    #[schema(nullable = false)]
    name: Option<String>,
    #[schema(nullable = false)]
    email: Option<String>,
}

#[derive(utoipa::ToSchema)]
#[schema(description = "A JSON Resume 1.0.0 document (https://jsonresume.org/schema).", example = json!({"basics": {"name": "John Doe", "email": "john.doe@example.com", "label": "Software Engineer"}, "work": [{"name": "Tech Company", "position": "Senior Engineer", "startDate": "2020-01"}], "skills": [{"name": "Cloud", "level": "Advanced", "keywords": ["AWS"]}]}))]
pub struct JsonResume {
    #[schema(inline, nullable = false)]
    basics: Option<JsonResumeBasics>,
    #[schema(value_type = Option<Vec<Object>>, nullable = false)]
    work: Option<Vec<serde_json::Value>>,
    #[schema(value_type = Option<Vec<Object>>, nullable = false)]
    education: Option<Vec<serde_json::Value>>,
    #[schema(value_type = Option<Vec<Object>>, nullable = false)]
    skills: Option<Vec<serde_json::Value>>,
}

#[derive(utoipa::ToSchema)]
pub struct LinkedInImport {
    /// A public profile's address: `https://www.linkedin.com/in/<name>`.
    #[schema(example = json!("https://www.linkedin.com/in/johndoe"))]
    linkedin_url: String,
}

#[derive(utoipa::ToSchema)]
pub enum CheckoutPaymentType {
    #[schema(rename = "single")]
    Single,
    #[schema(rename = "monthly")]
    Monthly,
    #[schema(rename = "yearly")]
    Yearly,
}

#[derive(utoipa::ToSchema)]
pub struct StripeEventData {
    #[schema(value_type = Option<Object>, nullable = false)]
    object: Option<serde_json::Value>,
}

#[derive(utoipa::ToSchema)]
pub struct StripeEvent {
    #[schema(example = json!("evt_1NqX"))]
    id: String,
    #[schema(rename = "type", example = json!("checkout.session.completed"))]
    kind: String,
    #[schema(inline)]
    data: StripeEventData,
}

#[derive(utoipa::ToSchema)]
#[schema(
    description = "Nothing to choose: `{}` or no body (other fields are ignored, as DRF does)."
)]
pub struct ExportRequest {}

// `POST /api/resumes/import_linkedin/` as a form: LinkedIn's data export.
#[derive(utoipa::ToSchema)]
pub struct LinkedInUpload {
    #[schema(example = json!("https://www.linkedin.com/in/johndoe"), nullable = false)]
    linkedin_url: Option<String>,
    /// LinkedIn's data export, as downloaded (zip, 4 MiB at most).
    #[schema(format = Binary, nullable = false)]
    archive: Option<String>,
    /// CSV files of the export, one part each.
    #[schema(value_type = Option<Vec<UploadedFile>>, inline, nullable = false)]
    files: Option<Vec<String>>,
}

// A file part of a form.
#[derive(utoipa::ToSchema)]
#[schema(format = Binary)]
pub struct UploadedFile(String);
