//! A résumé as the API shows it, with what its owner's subscription changes: `is_paid`,
//! `payment_type` and `can_export_without_watermark` (`cvbuilder.md` 3.6: the watermark is
//! added when the template is premium, the résumé was not paid for and the user has no
//! active subscription).

use super::Resume;
use super::entries::{Education, Experience, Skill};
use crate::templates;
use crate::users::User;
use serde::Serialize;
use serde_json::Value;

/// Whether `user` has a subscription that is running now.
pub fn subscribed(user: Option<&User>, now: &str) -> bool {
    user.is_some_and(|u| {
        u.is_premium
            && u.subscription_end_date
                .as_deref()
                .is_none_or(|end| end > now)
    })
}

/// Whether an export of `resume` carries the watermark.
pub fn watermarked(resume: &Resume, subscribed: bool) -> bool {
    let premium = templates::find(resume.template).is_none_or(|t| t.is_premium);
    premium && !resume.is_paid && !subscribed
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Resume)]
pub struct ResumeView {
    pub id: i64,
    /// The anonymous session it belongs to (`null` once a user's).
    #[schema(required = true)]
    pub session_id: Option<String>,
    #[schema(required = true)]
    pub user: Option<i64>,
    pub template: i64,
    pub full_name: String,
    pub email: String,
    #[schema(required = true)]
    pub phone: Option<String>,
    #[schema(required = true)]
    pub address: Option<String>,
    #[schema(required = true)]
    pub website: Option<String>,
    #[schema(required = true)]
    pub linkedin_url: Option<String>,
    #[schema(required = true)]
    pub github_url: Option<String>,
    #[schema(required = true)]
    pub photo: Option<String>,
    #[schema(required = true)]
    pub title: Option<String>,
    #[schema(required = true)]
    pub summary: Option<String>,
    #[schema(inline)]
    pub experiences: Vec<Experience>,
    #[schema(inline)]
    pub education: Vec<Education>,
    #[schema(inline)]
    pub skills: Vec<Skill>,
    #[schema(value_type = Vec<Object>)]
    pub languages_data: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub certifications_data: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub projects_data: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub custom_sections: Vec<Value>,
    pub is_paid: bool,
    #[schema(value_type = crate::openapi::schemas::ResumePaymentType, inline)]
    pub payment_type: String,
    pub can_export_without_watermark: bool,
    #[schema(format = DateTime, example = json!("2025-10-29T10:30:00Z"))]
    pub created_at: String,
    #[schema(format = DateTime, example = json!("2025-10-29T10:30:00Z"))]
    pub updated_at: String,
    #[schema(format = DateTime, example = json!("2025-10-29T10:30:00Z"))]
    pub last_accessed: String,
}

impl ResumeView {
    /// `resume` as its owner sees it; `subscribed` is the owner's subscription, now.
    pub fn new(resume: Resume, subscribed: bool) -> Self {
        let can_export_without_watermark = !watermarked(&resume, subscribed);
        let (is_paid, payment_type) = match (resume.is_paid, subscribed) {
            (true, _) => (true, resume.payment_type),
            (false, true) => (true, "subscription".into()),
            (false, false) => (false, "free".into()),
        };
        let mut experiences = resume.experiences;
        experiences.sort_by_key(|e| e.order);
        let mut education = resume.education;
        education.sort_by_key(|e| e.order);
        let mut skills = resume.skills;
        skills.sort_by_key(|s| s.order);
        ResumeView {
            id: resume.id,
            session_id: resume.session_id,
            user: resume.user,
            template: resume.template,
            full_name: resume.full_name,
            email: resume.email,
            phone: resume.phone,
            address: resume.address,
            website: resume.website,
            linkedin_url: resume.linkedin_url,
            github_url: resume.github_url,
            photo: resume.photo,
            title: resume.title,
            summary: resume.summary,
            experiences,
            education,
            skills,
            languages_data: resume.languages_data,
            certifications_data: resume.certifications_data,
            projects_data: resume.projects_data,
            custom_sections: resume.custom_sections,
            is_paid,
            payment_type,
            can_export_without_watermark,
            created_at: resume.created_at,
            updated_at: resume.updated_at,
            last_accessed: resume.last_accessed,
        }
    }
}
