//! Contact requests: a member writes to a provider, which lists them and marks them read; the
//! provider's count and the dashboard follow.

use super::*;

both!(
    a_provider_reads_its_contact_requests,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let id = super::providers::approved(&app, &admin, "salon@example.com").await;
        let verify = format!("/api/admin/providers/{id}/verify");
        app.put(&verify, Some(&admin), json!({"isVerified": true}))
            .await;
        let jean = register(&app, "jean@example.com", "Jean", "Fokou").await;
        let jean = jean["token"].as_str().unwrap().to_owned();
        let path = format!("/api/providers/{id}/contact");
        let sent = app
            .post(
                &path,
                Some(&jean),
                json!({"message": "Êtes-vous disponible samedi matin ?"}),
            )
            .await;
        assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
        assert_eq!(sent.body["message"], "Demande envoyée");
        let contact = &sent.body["data"]["contact"];
        assert_eq!(contact["senderName"], "Jean Fokou");
        assert_eq!(contact["phoneNumber"], "+237 6 99 00 11 22");
        assert_eq!(contact["status"], "unread");
        let short = app.post(&path, Some(&jean), json!({"message": "Hé"})).await;
        assert_eq!(short.status, StatusCode::BAD_REQUEST);

        let provider = login(&app, "salon@example.com", PASSWORD).await;
        let provider = provider.body["data"]["token"].as_str().unwrap().to_owned();
        let mine = app.get("/api/providers/my-contacts", Some(&provider)).await;
        assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
        assert_eq!(mine.body["data"]["contacts"][0]["id"], contact["id"]);
        assert_eq!(mine.body["data"]["pagination"]["total"], 1);
        let stats = app.get("/api/admin/stats", Some(&admin)).await;
        assert_eq!(
            stats.body["data"]["contacts"],
            json!({"total": 1, "pending": 1})
        );

        let read = format!(
            "/api/providers/my-contacts/{}/read",
            contact["id"].as_str().unwrap()
        );
        let done = app.put(&read, Some(&provider), json!({})).await;
        assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
        assert_eq!(done.body["data"]["contact"]["status"], "read");
        let again = app.put(&read, Some(&provider), json!({})).await;
        assert_eq!(again.status, StatusCode::OK);
        let stats = app.get("/api/admin/stats", Some(&admin)).await;
        assert_eq!(
            stats.body["data"]["contacts"],
            json!({"total": 1, "pending": 0})
        );
        let page = app.get(&format!("/api/providers/{id}"), None).await;
        assert_eq!(page.body["data"]["provider"]["id"], id.as_str());

        // Another provider does not see it.
        let other = super::providers::approved(&app, &admin, "autre@example.com").await;
        assert!(!other.is_empty());
        let other = login(&app, "autre@example.com", PASSWORD).await;
        let other = other.body["data"]["token"].as_str().unwrap().to_owned();
        let theirs = app.put(&read, Some(&other), json!({})).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        let list = app.get("/api/providers/my-contacts", Some(&other)).await;
        assert_eq!(list.body["data"]["contacts"], json!([]));
        let client = app.get("/api/providers/my-contacts", Some(&jean)).await;
        assert_eq!(client.status, StatusCode::FORBIDDEN);
    }
);
