//! The local server's demo data: the designs ship with the code; this adds the demo account
//! and its two résumés (the document's John Doe), once.

use crate::resumes::{self, Resume};
use crate::role::Role;
use crate::users::{self, NewUser, User};
use serde_json::{Value, json};
use store::DynStore;
use web::ApiResult;

pub const DEMO_EMAIL: &str = "john.doe@cvbuilder.local";

/// The demo account (Django staff, so it doubles as the local server's admin), made if absent.
pub async fn demo_account(store: &DynStore, password: &str) -> ApiResult<(User, bool)> {
    if let Some(user) = users::find_by_email(store, DEMO_EMAIL).await? {
        return Ok((user, false));
    }
    let user = users::create(
        store,
        NewUser {
            username: "john_doe".into(),
            email: DEMO_EMAIL.into(),
            password: password.into(),
            first_name: "John".into(),
            last_name: "Doe".into(),
            phone: Some("+33612345678".into()),
            role: Role::Admin,
        },
    )
    .await?;
    Ok((user, true))
}

/// John Doe's résumés, on a free and on a premium design.
pub async fn demo_resumes(store: &DynStore, user: &User) -> ApiResult<()> {
    for (template, title) in [(1, "Développeur Full Stack"), (2, "Lead Developer")] {
        let body = json!({
            "template": template,
            "full_name": "John Doe",
            "email": "john.doe@example.com",
            "phone": "+33612345678",
            "address": "123 Rue de la Paix, 75001 Paris",
            "website": "https://johndoe.com",
            "linkedin_url": "https://linkedin.com/in/johndoe",
            "github_url": "https://github.com/johndoe",
            "title": title,
            "summary": "Développeur passionné avec 5 ans d'expérience en React et Django",
            "experience_data": [
                {"company": "Tech Corp", "position": "Senior Developer", "location": "Paris, France",
                 "start_date": "2020-01-15", "end_date": null, "is_current": true,
                 "description": "Développement d'applications web modernes", "order": 0},
                {"company": "StartupXYZ", "position": "Junior Developer", "location": "Lyon, France",
                 "start_date": "2018-06-01", "end_date": "2019-12-31", "is_current": false,
                 "description": "Développement frontend avec React", "order": 1}
            ],
            "education_data": [
                {"institution": "Université Paris-Saclay", "degree": "Master",
                 "field_of_study": "Informatique", "location": "Paris, France",
                 "start_date": "2016-09-01", "end_date": "2018-06-30", "is_current": false,
                 "grade": "Mention Bien", "description": "Spécialisation en développement web", "order": 0}
            ],
            "skills_data": [
                {"name": "React", "level": "expert", "category": "Frontend", "order": 0},
                {"name": "Django", "level": "advanced", "category": "Backend", "order": 1},
                {"name": "PostgreSQL", "level": "intermediate", "category": "Database", "order": 2}
            ],
            "languages_data": [{"language": "Français", "level": "Natif"}, {"language": "Anglais", "level": "Courant"}],
            "certifications_data": [{"name": "AWS Certified Developer", "issuer": "Amazon Web Services", "date": "2024-03-15"}],
            "projects_data": [{"name": "Portfolio Personnel", "description": "Site web personnel avec React et Node.js", "url": "https://github.com/johndoe/portfolio"}],
            "custom_sections": [{"title": "Bénévolat", "content": "Membre actif de l'association Code for Good"}]
        });
        let Value::Object(body) = body else {
            continue;
        };
        let changes = resumes::Changes::read(&body, true)?;
        let now = web::time::format_seconds(chrono::Utc::now());
        let mut resume: Resume = resumes::Changes::blank(&now);
        resume.user = Some(user.id);
        changes.apply(store, &mut resume).await?;
        resume.id = web::counters::next_id(store, "resume").await?;
        resumes::insert(store, &resume).await?;
    }
    Ok(())
}
