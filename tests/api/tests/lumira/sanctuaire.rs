//! The client sanctuaire: a one-time link by email by default, the document's token for an
//! email in token mode, a token that opens only the client's own delivered readings, and the
//! limits per IP and per email.

use super::backoffice::{delivered_order, paid_order};
use super::checkout::checkout;
use super::*;
use serde_json::{Value, json};

const SIGN_IN: &str = "/api/users/auth/sanctuaire";
const VERIFY: &str = "/api/users/auth/sanctuaire/verify";

async fn sign_in(app: &ProductApp, email: &str) -> api_tests::Reply {
    app.post(SIGN_IN, None, json!({"email": email})).await
}

/// The code of the last sign-in link emailed to `email`, if one was.
fn link_code(app: &ProductApp, email: &str) -> Option<String> {
    let sent = app.outbox.emails();
    let last = sent.iter().rev().find(|m| m.email.to == email)?;
    let text = &last.email.text;
    let start = text.find("?token=")? + "?token=".len();
    Some(
        text[start..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect(),
    )
}

/// A sanctuaire token for `email`, through its emailed link.
pub async fn enter(app: &ProductApp, email: &str) -> (String, Value) {
    let reply = sign_in(app, email).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let code = link_code(app, email).expect("a sign-in link");
    let verified = app.post(VERIFY, None, json!({"token": code})).await;
    assert_eq!(verified.status, StatusCode::OK, "{:?}", verified.body);
    let token = verified.body["token"].as_str().unwrap().to_owned();
    (token, verified.body)
}

both!(
    a_client_enters_by_an_emailed_link_used_once,
    |app: ProductApp| async move {
        let app = &app;
        paid_order(app, "mystique_intuitive", "john@example.com").await;
        checkout(app, "mystique_intuitive", "unpaid@example.com").await;

        // The same answer for a client, a client who has not paid and a stranger; only the
        // client is sent a link.
        for email in [
            "john@example.com",
            "unpaid@example.com",
            "nobody@example.com",
        ] {
            let reply = sign_in(app, email).await;
            assert_eq!(reply.status, StatusCode::OK, "{email}: {:?}", reply.body);
            assert_eq!(reply.body["success"], true);
            assert!(
                reply.body.get("token").is_none(),
                "{email}: {:?}",
                reply.body
            );
        }
        let sent: Vec<String> = app
            .outbox
            .emails()
            .iter()
            .map(|m| m.email.to.clone())
            .collect();
        assert_eq!(sent, ["john@example.com"]);
        let mail = &app.outbox.emails()[0].email;
        assert!(
            mail.text
                .contains("http://127.0.0.1:5173/sanctuaire?token="),
            "{}",
            mail.text
        );

        let code = link_code(app, "john@example.com").unwrap();
        let verified = app.post(VERIFY, None, json!({"token": code})).await;
        assert_eq!(verified.status, StatusCode::OK, "{:?}", verified.body);
        assert_eq!(verified.body["success"], true);
        assert_eq!(verified.body["user"]["email"], "john@example.com");
        assert_eq!(verified.body["user"]["level"], 2);
        let again = app.post(VERIFY, None, json!({"token": code})).await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            again.body,
            json!({"error": "Invalid or expired sign-in link"})
        );
        for body in [json!({}), json!({"token": 12})] {
            let reply = app.post(VERIFY, None, body).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        }
        let forged = app
            .post(VERIFY, None, json!({"token": "a".repeat(64)}))
            .await;
        assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
        let invalid = sign_in(app, "not an email").await;
        assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    }
);

both!(
    a_sanctuaire_token_reads_only_its_clients_delivered_readings,
    |app: ProductApp| async move {
        let app = &app;
        let mine = delivered_order(app, "mystique_intuitive", "john@example.com").await;
        paid_order(app, "profond_transformation", "john@example.com").await;
        delivered_order(app, "integrale_mandala", "jane@example.com").await;

        let (token, signed_in) = enter(app, "john@example.com").await;
        assert_eq!(signed_in["user"]["level"], 3);
        let reply = app.get("/api/users/orders/completed", Some(&token)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["total"], 1);
        let order = &reply.body["orders"][0];
        assert_eq!(order["id"], mine.as_str());
        assert_eq!(order["status"], "completed");
        assert_eq!(order["levelName"], "Intuitive");
        assert_eq!(
            order["generatedContent"]["reading"],
            "La lecture de john@example.com"
        );
        assert!(order["generatedContent"].get("ritual").is_none());
        assert_eq!(order["expertValidation"]["validationStatus"], "approved");
        assert!(order["deliveredAt"].is_string());
        assert_eq!(reply.body["user"]["id"], signed_in["user"]["id"]);
        assert!(!reply.body.to_string().contains("jane@example.com"));

        // The client's token opens nothing of the back office.
        for path in ["/api/users", "/api/orders", &format!("/api/orders/{mine}")] {
            let refused = app.get(path, Some(&token)).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documents_token_mode_answers_a_token_for_a_paying_email() {
    let app = ProductApp::spawn_with(&lumira::Lumira, Backend::Embedded, |env| {
        env.with("SANCTUAIRE_MODE", "token")
    })
    .await;
    paid_order(&app, "initie_simple", "john@example.com").await;
    let reply = sign_in(&app, "John@Example.com").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["success"], true);
    assert_eq!(reply.body["user"]["email"], "john@example.com");
    assert_eq!(reply.body["user"]["level"], 1);
    let token = reply.body["token"].as_str().unwrap();
    let completed = app.get("/api/users/orders/completed", Some(token)).await;
    assert_eq!(completed.status, StatusCode::OK);
    assert_eq!(completed.body["total"], 0);
    let stranger = sign_in(&app, "nobody@example.com").await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    assert_eq!(
        stranger.body,
        json!({"error": "No paid order for this email"})
    );
    assert!(app.outbox.emails().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_are_limited_per_email_and_per_ip() {
    let app = ProductApp::spawn_with(&lumira::Lumira, Backend::Embedded, |env| {
        env.with("SANCTUAIRE_EMAIL_RATE_LIMIT_MAX", "2")
            .with("SANCTUAIRE_RATE_LIMIT_MAX", "4")
    })
    .await;
    paid_order(&app, "initie_simple", "john@example.com").await;
    for _ in 0..2 {
        assert_eq!(
            sign_in(&app, "john@example.com").await.status,
            StatusCode::OK
        );
    }
    let limited = sign_in(&app, "JOHN@example.com").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        limited.body,
        json!({"error": "Too many sign-in attempts for this email, please try again later"})
    );
    assert_eq!(app.outbox.emails().len(), 2, "no link past the limit");
    // Another email from the same IP: one more, then the IP's limit.
    assert_eq!(
        sign_in(&app, "jane@example.com").await.status,
        StatusCode::OK
    );
    let by_ip = sign_in(&app, "someone@example.com").await;
    assert_eq!(by_ip.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        by_ip.body,
        json!({"error": "Too many sign-in attempts, please try again later"})
    );
}
