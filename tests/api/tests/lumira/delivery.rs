//! Delivery: the approved reading typeset into a PDF (fonts embedded, text searchable, the
//! mandala drawn), stored privately and reached through a short-lived signed link, the
//! client emailed, the sanctuaire showing it; content that cannot be typeset refused.

use super::checkout::checkout;
use super::staff::admin_token;
use super::*;
use serde_json::{Value, json};

const MANDALA: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40" fill="none" stroke="#6b5b95" stroke-width="4"/><circle cx="50" cy="50" r="12" fill="#d4af37"/></svg>"##;

/// A free order of `email`, submitted with names, written with `content` and approved.
async fn approved(app: &ProductApp, email: &str, content: Value) -> (String, String) {
    let created = checkout(app, "initie_simple", email).await;
    let intent = created["orderId"].as_str().unwrap();
    let form =
        json!({"email": email, "firstName": "Hélène", "lastName": "Ørsted-Núñez"}).to_string();
    let submitted = app
        .post_multipart(
            &format!("/api/orders/by-payment-intent/{intent}/client-submit"),
            &[("formData", &form)],
            &[],
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{:?}", submitted.body);
    let id = submitted.body["order"]["_id"].as_str().unwrap().to_owned();
    let token = admin_token(app).await;
    for (what, body) in [
        ("status", json!({"status": "processing"})),
        ("content", json!({"generatedContent": content})),
        ("expert-review", json!({"status": "approved"})),
    ] {
        let reply = app
            .patch(&format!("/api/orders/{id}/{what}"), Some(&token), body)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{what}: {:?}", reply.body);
    }
    (id, token)
}

both!(
    a_delivered_reading_is_a_real_pdf_with_the_clients_name,
    |app: ProductApp| async move {
        let content = json!({
            "reading": "Votre profil astral indique une année de renouveau.",
            "ritual": "Allumez une bougie blanche à l'aube.",
            "mandalaSvg": MANDALA,
        });
        let (id, token) = approved(&app, "helene@example.com", content).await;
        let delivered = app
            .patch(
                &format!("/api/orders/{id}/delivered"),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(delivered.status, StatusCode::OK, "{:?}", delivered.body);
        assert_eq!(delivered.body["status"], "completed");
        assert_eq!(delivered.body["deliveryMethod"], "email");
        let url = delivered.body["generatedContent"]["pdfUrl"]
            .as_str()
            .unwrap()
            .to_owned();

        let (status, pdf) = api_tests::download(&url).await;
        assert_eq!(status, 200);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        for expected in [
            "Hélène Ørsted-Núñez",
            "année de renouveau",
            "Votre rituel",
            "Lecture Initiatique Simple",
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text}");
        }
        // The link is signed: tampered, it opens nothing.
        let (tampered, _) = api_tests::download(&url.replace("signature=", "signature=0")).await;
        assert!(tampered >= 400, "{tampered}");

        // The client was told, with the way to their sanctuaire, not the file itself.
        let mails = app.outbox.emails();
        let mail = mails
            .iter()
            .find(|m| m.email.to == "helene@example.com")
            .unwrap();
        assert!(
            mail.email.subject.contains("est prête"),
            "{}",
            mail.email.subject
        );
        assert!(
            mail.email.text.contains("/sanctuaire"),
            "{}",
            mail.email.text
        );
        assert!(!mail.email.text.contains(&url));

        // Each read of the order gets a fresh link to the same PDF.
        let whole = app.get(&format!("/api/orders/{id}"), Some(&token)).await;
        let again = whole.body["generatedContent"]["pdfUrl"].as_str().unwrap();
        assert_eq!(api_tests::download(again).await.1, pdf);
    }
);

both!(
    content_that_cannot_be_typeset_is_refused_and_nothing_delivered,
    |app: ProductApp| async move {
        let content = json!({"reading": "Une lecture.", "mandalaSvg": "<svg><not closed"});
        let (id, token) = approved(&app, "broken@example.com", content).await;
        let reply = app
            .patch(
                &format!("/api/orders/{id}/delivered"),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);
        assert_eq!(reply.body["error"], "The reading could not be typeset");
        let whole = app.get(&format!("/api/orders/{id}"), Some(&token)).await;
        assert_eq!(whole.body["status"], "awaiting_validation");
        assert!(whole.body["generatedContent"].get("pdfUrl").is_none());
        assert!(app.outbox.emails().is_empty());
    }
);
