//! `POST /api/resumes/{id}/export_pdf/`: a real PDF of every section, in the template's
//! design, watermarked exactly when `cvbuilder.md` 3.6 says, behind a private link.

use super::*;
use store::Update;

/// A PDF's text without its spaces: extractors put them between glyphs where they please
/// (between two fonts, between letters set apart).
fn text_of(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).unwrap();
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether the PDF's text (see [`text_of`]) shows `words`.
fn shows(text: &str, words: &str) -> bool {
    let words: String = words.chars().filter(|c| !c.is_whitespace()).collect();
    text.contains(&words)
}

/// Exports résumé `id` as `token`'s owner: the answer's body, and the PDF's text.
async fn export(app: &ProductApp, id: i64, token: Option<&str>) -> (Value, String) {
    let reply = app
        .post(&format!("/api/resumes/{id}/export_pdf/"), token, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let url = reply.body["pdf_url"].as_str().unwrap();
    let (status, pdf) = api_tests::download(url).await;
    assert_eq!(status, 200, "{url}");
    assert!(pdf.starts_with(b"%PDF-"));
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("/FontFile"), "fonts embedded");
    // The software that made it is the product, never text a client typed.
    assert!(
        raw.contains("/Creator(CV Builder)"),
        "the product as creator"
    );
    (reply.body, text_of(&pdf))
}

fn watermark_shown(text: &str) -> bool {
    shows(text, cvbuilder::export::document::WATERMARK)
}

both!(
    an_export_is_a_searchable_pdf_of_every_section,
    |app: ProductApp| async move {
        let token = user(&app, "helene").await;
        let created = app.post("/api/resumes/", Some(&token), full(1)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.body["id"].as_i64().unwrap();
        let (body, text) = export(&app, id, Some(&token)).await;
        assert_eq!(body["has_watermark"], false, "a free design");
        let url = body["pdf_url"].as_str().unwrap();
        assert!(url.contains("helene_orsted_levy_cv_"), "{url}");
        assert!(!url.contains("_watermarked"), "{url}");
        for expected in [
            "Hélène Ørsted-Lévy 李华",
            "Chef de Projet Digital",
            "PROFIL",
            "EXPÉRIENCE",
            "Chef de Projet Senior",
            "mars 2020 – aujourd'hui",
            "FORMATION",
            "MBA, Marketing Digital",
            "COMPÉTENCES",
            "Agile/Scrum",
            "LANGUES",
            "Français — Natif",
            "PMP Certification — PMI (nov. 2019)",
            "Refonte e-commerce",
            "BÉNÉVOLAT",
            "Mentorat de jeunes diplômées.",
        ] {
            assert!(shows(&text, expected), "{expected:?} not in {text}");
        }
        assert!(!watermark_shown(&text), "{text}");
        // The link is signed: tampered, it opens nothing.
        let tampered = if url.contains("signature=") {
            url.replace("signature=", "signature=0")
        } else {
            url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
        };
        assert!(api_tests::download(&tampered).await.0 >= 400);
    }
);

both!(
    each_template_prints_in_its_own_design,
    |app: ProductApp| async move {
        let token = user(&app, "designs").await;
        let mut texts = Vec::new();
        for template in [1, 2, 3] {
            let created = app
                .post("/api/resumes/", Some(&token), full(template))
                .await;
            let id = created.body["id"].as_i64().unwrap();
            texts.push(export(&app, id, Some(&token)).await.1);
        }
        // Modern Professional and Executive Elite head their sections in capitals, Creative
        // Designer with a dot and its skills in stars.
        assert!(shows(&texts[0], "EXPÉRIENCE") && shows(&texts[2], "EXPÉRIENCE"));
        assert!(!shows(&texts[1], "EXPÉRIENCE"), "{}", texts[1]);
        assert!(shows(&texts[1], "● Expérience"), "{}", texts[1]);
        assert!(shows(&texts[1], "Agile/Scrum ★★★"), "{}", texts[1]);
        assert!(shows(&texts[0], "Agile/Scrum avancé"), "{}", texts[0]);
    }
);

/// Marks résumé `id` paid for on its own, as a `single` checkout's webhook does.
async fn paid(app: &ProductApp, id: i64) {
    let key = store::Key::new(format!("RESUME#{}", web::counters::padded(id)), "RESUME");
    let update = Update::new()
        .set("is_paid", true)
        .set("payment_type", "single");
    app.deps.store.update(&key, update, None).await.unwrap();
}

/// Gives `user` a subscription ending at `end`.
async fn subscription(app: &ProductApp, user: i64, end: &str) {
    let update = Update::new()
        .set("is_premium", true)
        .set("subscription_type", "monthly")
        .set("subscription_end_date", end);
    cvbuilder::users::change(&app.deps.store, user, update)
        .await
        .unwrap();
}

both!(
    the_watermark_is_there_exactly_when_the_document_says,
    |app: ProductApp| async move {
        let registered = register(&app, "matrix").await;
        let user_id = registered.body["user"]["id"].as_i64().unwrap();
        let token = log_in(&app, "matrix").await.0;
        let new = |template: i64| {
            let (app, token) = (&app, token.clone());
            async move {
                let created = app
                    .post("/api/resumes/", Some(&token), full(template))
                    .await;
                created.body["id"].as_i64().unwrap()
            }
        };
        let (free, premium, bought) = (new(1).await, new(3).await, new(2).await);
        paid(&app, bought).await;
        // (résumé, subscription, watermark expected)
        let ended = "2000-01-01T00:00:00Z";
        let running = "2999-01-01T00:00:00Z";
        let cases = [
            (free, None, false),
            (premium, None, true),
            (bought, None, false),
            (premium, Some(running), false),
            (premium, Some(ended), true),
            (free, Some(ended), false),
        ];
        let mut failures = Vec::new();
        for (id, end, expected) in cases {
            if let Some(end) = end {
                subscription(&app, user_id, end).await;
            }
            let detail = app.get(&format!("/api/resumes/{id}/"), Some(&token)).await;
            let (body, text) = export(&app, id, Some(&token)).await;
            let url = body["pdf_url"].as_str().unwrap();
            let seen = (
                body["has_watermark"].as_bool().unwrap(),
                watermark_shown(&text),
                url.contains("_watermarked"),
                !detail.body["can_export_without_watermark"]
                    .as_bool()
                    .unwrap(),
            );
            if seen != (expected, expected, expected, expected) {
                failures.push(format!(
                    "résumé {id}, subscription {end:?}: expected {expected}, got (answer, PDF, name, flag) {seen:?}"
                ));
            }
        }
        api_tests::report(failures);
    }
);

both!(
    an_anonymous_export_of_a_premium_design_is_watermarked,
    |app: ProductApp| async move {
        let created = app.post("/api/resumes/", None, full(2)).await;
        let session = session_cookie(&created).unwrap();
        let id = created.body["id"].as_i64().unwrap();
        let path = format!("/api/resumes/{id}/export_pdf/");
        let reply = with_session(&app, Method::POST, &path, &session, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body["has_watermark"], true);
        let (_, pdf) = api_tests::download(reply.body["pdf_url"].as_str().unwrap()).await;
        let text = text_of(&pdf);
        assert!(watermark_shown(&text), "{text}");
        assert!(shows(&text, "● Expérience"), "{text}");
    }
);

both!(
    nobody_exports_a_resume_that_is_not_theirs,
    |app: ProductApp| async move {
        let owner = user(&app, "owner").await;
        let created = app.post("/api/resumes/", Some(&owner), full(1)).await;
        let id = created.body["id"].as_i64().unwrap();
        let path = format!("/api/resumes/{id}/export_pdf/");
        let stranger = user(&app, "stranger").await;
        let anonymous = app.post("/api/resumes/", None, full(1)).await;
        let session = session_cookie(&anonymous).unwrap();
        let not_found = json!({"detail": "Not found."});
        for reply in [
            app.post(&path, Some(&stranger), json!({})).await,
            app.post(&path, None, json!({})).await,
            with_session(&app, Method::POST, &path, &session, Some(json!({}))).await,
            app.post("/api/resumes/999999/export_pdf/", Some(&owner), json!({}))
                .await,
        ] {
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
            assert_eq!(reply.body, not_found);
        }
        // A body that is not JSON is refused, in Django REST Framework's words.
        let garbled = app.raw(Method::POST, &path, Some(&owner), "{nope").await;
        assert_eq!(garbled.status, StatusCode::BAD_REQUEST);
        assert!(garbled.body["detail"].is_string(), "{}", garbled.body);
    }
);

both!(
    the_benchmarks_resume_is_created_and_exported_whole,
    |app: ProductApp| async move {
        // The warm benchmark writes this body and the export function's cold start exports
        // it: it must make the render benchmark's two watermarked pages.
        let token = user(&app, "bench").await;
        let body: Value =
            serde_json::from_str(&cvbuilder::export::create_request().unwrap()).unwrap();
        let created = app.post("/api/resumes/", Some(&token), body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["experiences"].as_array().unwrap().len(), 5);
        let id = created.body["id"].as_i64().unwrap();
        let (reply, text) = export(&app, id, Some(&token)).await;
        assert_eq!(reply["has_watermark"], true, "a premium design, unpaid");
        assert!(shows(&text, "Marie Dubois-Lefèvre · 2 / 2"), "{text}");
        assert!(!shows(&text, "/ 3"), "{text}");
        assert!(shows(&text, "Assistante chef de projet"), "{text}");
        assert!(shows(&text, "● Engagement associatif"), "{text}");
    }
);
