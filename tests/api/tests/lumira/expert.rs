//! The expert desk: the queue of readings awaiting validation, oldest first, open orders and
//! the caller's own only; taking an order; approving and rejecting with notes.

use super::backoffice::paid_order;
use super::staff::{admin_token, sign_in, staff_account};
use super::*;
use serde_json::{Value, json};

/// An order of `email` whose content awaits validation; its id.
async fn awaiting(app: &ProductApp, email: &str) -> String {
    let id = paid_order(app, "mystique_intuitive", email).await;
    let token = admin_token(app).await;
    for (what, body) in [
        ("status", json!({"status": "processing"})),
        (
            "content",
            json!({"generatedContent": {"reading": format!("Pour {email}")}}),
        ),
    ] {
        let reply = app
            .patch(&format!("/api/orders/{id}/{what}"), Some(&token), body)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{what}: {:?}", reply.body);
    }
    id
}

async fn expert(app: &ProductApp, login: &str, email: &str) -> (String, String) {
    staff_account(app, login, "expert").await;
    let body = sign_in(app, "/api/expert/login", email).await;
    (
        body["token"].as_str().unwrap().to_owned(),
        body["expert"]["id"].as_str().unwrap().to_owned(),
    )
}

fn queue_ids(reply: &api_tests::Reply) -> Vec<String> {
    reply.body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["_id"].as_str().unwrap().to_owned())
        .collect()
}

both!(
    experts_review_the_queue_oldest_first_and_see_only_theirs,
    |app: ProductApp| async move {
        let app = &app;
        let first = awaiting(app, "one@example.com").await;
        let second = awaiting(app, "two@example.com").await;
        paid_order(app, "initie_simple", "three@example.com").await;
        let (jean, jean_id) = expert(app, "Jean <jean@lumira.test>", "jean@lumira.test").await;
        let (marie, _) = expert(app, "Marie <marie@lumira.test>", "marie@lumira.test").await;

        let queue = app.get("/api/expert/orders/pending", Some(&jean)).await;
        assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
        assert_eq!(
            queue_ids(&queue),
            [first.clone(), second.clone()],
            "oldest first"
        );
        assert_eq!(
            queue.body["orders"][0]["generatedContent"]["reading"],
            "Pour one@example.com"
        );

        // Jean takes the first: it leaves Marie's queue, and Marie cannot open it.
        let taken = app
            .post(
                &format!("/api/expert/orders/{first}/take"),
                Some(&jean),
                json!({}),
            )
            .await;
        assert_eq!(taken.status, StatusCode::OK, "{:?}", taken.body);
        assert_eq!(taken.body["assignedExpert"], jean_id.as_str());
        let marie_queue = app.get("/api/expert/orders/pending", Some(&marie)).await;
        assert_eq!(queue_ids(&marie_queue), vec![second.clone()]);
        for (method, path) in [
            ("GET", format!("/api/expert/orders/{first}")),
            ("POST", format!("/api/expert/orders/{first}/take")),
        ] {
            let reply = if method == "GET" {
                app.get(&path, Some(&marie)).await
            } else {
                app.post(&path, Some(&marie), json!({})).await
            };
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}");
        }
        let stolen = app
            .post(
                "/api/expert/validate-content",
                Some(&marie),
                json!({"orderId": first, "action": "approve"}),
            )
            .await;
        assert_eq!(stolen.status, StatusCode::NOT_FOUND);
        assert_eq!(
            queue_ids(&app.get("/api/expert/orders/pending", Some(&jean)).await),
            [first.clone(), second.clone()]
        );
        let whole = app
            .get(&format!("/api/expert/orders/{first}"), Some(&jean))
            .await;
        assert_eq!(whole.status, StatusCode::OK);
        assert_eq!(whole.body["formData"], Value::Null);

        // A rejection needs notes and sends the reading back; an approval keeps it for delivery.
        let bare = app
            .post(
                "/api/expert/validate-content",
                Some(&jean),
                json!({"orderId": first, "action": "reject"}),
            )
            .await;
        assert_eq!(bare.status, StatusCode::BAD_REQUEST);
        let rejected = app
            .post(
                "/api/expert/validate-content",
                Some(&jean),
                json!({"orderId": first, "action": "reject", "validationNotes": "Plus de détails"}),
            )
            .await;
        assert_eq!(rejected.status, StatusCode::OK, "{:?}", rejected.body);
        assert_eq!(rejected.body["status"], "processing");
        assert_eq!(rejected.body["expertReview"]["expertId"], jean_id.as_str());
        assert_eq!(
            rejected.body["expertValidation"]["validationStatus"],
            "rejected"
        );
        assert_eq!(
            rejected.body["expertValidation"]["validationNotes"],
            "Plus de détails"
        );
        // No longer awaiting validation: out of every queue.
        assert_eq!(
            queue_ids(&app.get("/api/expert/orders/pending", Some(&jean)).await),
            vec![second.clone()]
        );

        // Marie approves the second, open one, which the same write gives her.
        let approved = app
            .post(
                "/api/expert/validate-content",
                Some(&marie),
                json!({"orderId": second, "action": "approve", "validationNotes": "Conforme"}),
            )
            .await;
        assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
        assert_eq!(
            approved.body["expertValidation"]["validationStatus"],
            "approved"
        );
        assert!(approved.body["assignedExpert"].is_string());
        // Approved, it waits for delivery, in no one's queue.
        for token in [&jean, &marie] {
            let queue = app.get("/api/expert/orders/pending", Some(token)).await;
            assert!(queue_ids(&queue).is_empty(), "{:?}", queue.body);
        }
        let token = admin_token(app).await;
        let delivered = app
            .patch(
                &format!("/api/orders/{second}/delivered"),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(delivered.status, StatusCode::OK, "{:?}", delivered.body);

        for body in [
            json!({"orderId": "nope", "action": "approve"}),
            json!({"orderId": second, "action": "maybe"}),
            json!({"orderId": second, "action": "approve", "validationNotes": 3}),
        ] {
            let reply = app
                .post("/api/expert/validate-content", Some(&jean), body.clone())
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        }
    }
);

/// Who was told of the reading of order `number`.
fn told_of(app: &ProductApp, number: &str) -> Vec<String> {
    let mut to: Vec<String> = app
        .outbox
        .emails()
        .into_iter()
        .filter(|m| m.email.subject.contains(number))
        .map(|m| m.email.to)
        .collect();
    to.sort();
    to
}

both!(
    experts_are_told_of_a_reading_to_validate_then_only_its_expert,
    |app: ProductApp| async move {
        let app = &app;
        let (jean, _) = expert(app, "Jean <jean@lumira.test>", "jean@lumira.test").await;
        expert(app, "Marie <marie@lumira.test>", "marie@lumira.test").await;
        let id = awaiting(app, "told@example.com").await;
        let token = admin_token(app).await;
        let order = app.get(&format!("/api/orders/{id}"), Some(&token)).await;
        let number = order.body["orderNumber"].as_str().unwrap().to_owned();

        // Open for review: every expert hears of it, and no admin does.
        assert_eq!(
            told_of(app, &number),
            ["jean@lumira.test", "marie@lumira.test"]
        );
        let mail = app
            .outbox
            .emails()
            .into_iter()
            .find(|m| m.email.to == "jean@lumira.test")
            .unwrap();
        assert!(
            mail.email.text.contains("Bonjour Jean"),
            "{}",
            mail.email.text
        );
        assert!(mail.email.text.contains("/expert"), "{}", mail.email.text);

        // Once Jean has taken it, a new version of the content is for Jean alone.
        let taken = app
            .post(
                &format!("/api/expert/orders/{id}/take"),
                Some(&jean),
                json!({}),
            )
            .await;
        assert_eq!(taken.status, StatusCode::OK, "{:?}", taken.body);
        let rewritten = app
            .patch(
                &format!("/api/orders/{id}/content"),
                Some(&token),
                json!({"generatedContent": {"reading": "Une version plus riche"}}),
            )
            .await;
        assert_eq!(rewritten.status, StatusCode::OK, "{:?}", rewritten.body);
        assert_eq!(
            told_of(app, &number),
            ["jean@lumira.test", "jean@lumira.test", "marie@lumira.test"]
        );
    }
);
