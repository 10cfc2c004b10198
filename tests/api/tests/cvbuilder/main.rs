//! Black-box tests of the CV Builder API (`cvbuilder.md`), over HTTP, on both stores.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: failing loudly is the point

mod accounts;
mod export;
mod json_resume;
mod linkedin;
mod payments;
mod resumes;
mod templates;
mod webhook;

use api_tests::{Backend, ProductApp, Reply};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn cvbuilder(backend: Backend) -> ProductApp {
    ProductApp::spawn(&cvbuilder::CvBuilder, backend).await
}

macro_rules! both {
    ($name:ident, $scenario:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                ($scenario)(cvbuilder(Backend::Embedded).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn dynamodb() {
                ($scenario)(cvbuilder(Backend::DynamoDb).await).await;
            }
        }
    };
}
pub(crate) use both;

/// A new account: `name` as its username, `<name>@example.com` and a good password.
async fn register(app: &ProductApp, name: &str) -> Reply {
    let reply = app
        .post(
            "/api/auth/register/",
            None,
            json!({"username": name, "email": format!("{name}@example.com"),
                   "password": "SecurePass123!", "password2": "SecurePass123!",
                   "first_name": "Ana", "last_name": "Lima"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply
}

/// Logs `name` (registered by [`register`]) in: its access and refresh tokens.
async fn log_in(app: &ProductApp, name: &str) -> (String, String) {
    let reply = app
        .post(
            "/api/auth/login/",
            None,
            json!({"email": format!("{name}@example.com"), "password": "SecurePass123!"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let text = |k: &str| reply.body[k].as_str().unwrap().to_string();
    (text("access"), text("refresh"))
}

/// A signed-in user, new.
async fn user(app: &ProductApp, name: &str) -> String {
    register(app, name).await;
    log_in(app, name).await.0
}

/// The anonymous session key a reply's `Set-Cookie` gives.
fn session_cookie(reply: &Reply) -> Option<String> {
    let cookie = reply.headers.get("set-cookie")?.to_str().ok()?;
    let value = cookie.strip_prefix("sessionid=")?.split(';').next()?;
    Some(value.to_string())
}

/// A request carrying an anonymous session by cookie, as a browser would.
async fn with_session(
    app: &ProductApp,
    method: Method,
    path: &str,
    session: &str,
    body: Option<Value>,
) -> Reply {
    let cookie = format!("sessionid={session}");
    app.request_with(method, path, None, &[("cookie", &cookie)], body)
        .await
}

/// A résumé with every section, its name in two scripts.
fn full(template: i64) -> Value {
    json!({
        "template": template,
        "full_name": "Hélène Ørsted-Lévy 李华",
        "email": "helene@example.com",
        "phone": "+33699887766",
        "address": "45 Avenue des Champs-Élysées, 75008 Paris",
        "website": "https://helene.example.com",
        "title": "Chef de Projet Digital",
        "summary": "Sept ans d'expérience dans la transformation numérique.",
        "experience_data": [{
            "company": "Digital Agency", "position": "Chef de Projet Senior",
            "location": "Paris, France", "start_date": "2020-03-01", "end_date": null,
            "is_current": true, "description": "Gestion de projets web complexes.", "order": 0
        }],
        "education_data": [{
            "institution": "ESSEC Business School", "degree": "MBA",
            "field_of_study": "Marketing Digital", "location": "Cergy, France",
            "start_date": "2015-09-01", "end_date": "2017-06-30", "is_current": false,
            "grade": "Distinction", "description": null, "order": 0
        }],
        "skills_data": [{"name": "Agile/Scrum", "level": "advanced", "category": "Méthodologie", "order": 0}],
        "languages_data": [{"language": "Français", "level": "Natif"}],
        "certifications_data": [{"name": "PMP Certification", "issuer": "PMI", "date": "2019-11-20"}],
        "projects_data": [{"name": "Refonte e-commerce", "description": "Deux millions d'euros.", "url": null}],
        "custom_sections": [{"title": "Bénévolat", "content": "Mentorat de jeunes diplômées."}]
    })
}
