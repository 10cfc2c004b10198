//! A provider's own profile: read in full with its subscription, edited with the public lists
//! following, and a rejected document sent again.

use super::applications::{JPEG, business};
use super::*;
use reqwest::Method;

async fn provider(app: &ProductApp) -> (String, String, String) {
    let (admin, _) = admin(app).await;
    let id = super::providers::approved(app, &admin, "salon@example.com").await;
    let signed = login(app, "salon@example.com", PASSWORD).await;
    let token = signed.body["data"]["token"].as_str().unwrap().to_owned();
    (admin, token, id)
}

fn names(reply: &api_tests::Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["businessName"].as_str().unwrap().to_owned())
        .collect()
}

both!(
    a_provider_reads_and_edits_its_profile,
    |app: ProductApp| async move {
        let (admin, token, id) = provider(&app).await;
        let mine = app.get("/api/providers/my-profile", Some(&token)).await;
        assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
        assert_eq!(mine.body["data"]["provider"]["id"], id.as_str());
        assert_eq!(
            mine.body["data"]["provider"]["verificationStatus"],
            "under_review"
        );
        assert_eq!(mine.body["data"]["subscription"]["plan"], "trial");
        let client = register(&app, "fatou@example.com", "Fatou", "Kamga").await;
        let client = client["token"].as_str().unwrap();
        let refused = app.get("/api/providers/my-profile", Some(client)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let verify = format!("/api/admin/providers/{id}/verify");
        app.put(&verify, Some(&admin), json!({"isVerified": true}))
            .await;
        assert_eq!(
            names(&app.get("/api/providers?search=marie", None).await),
            ["Salon Marie Coiffure"]
        );
        let mut fields = business();
        fields.retain(|(name, _)| *name != "documentTypes");
        fields[0] = ("businessName", "Salon Awa Tresses");
        fields[7] = ("activities", r#"["tresses"]"#);
        let edited = app
            .multipart(
                Method::PUT,
                "/api/providers/my-profile",
                Some(&token),
                &fields,
                &[],
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
        assert_eq!(edited.body["message"], "Profil modifié");
        assert_eq!(
            edited.body["data"]["provider"]["activities"],
            json!(["tresses"])
        );
        // The public lists follow: the old name and activity find nothing.
        assert!(names(&app.get("/api/providers?search=marie", None).await).is_empty());
        assert_eq!(
            names(&app.get("/api/providers?search=awa", None).await),
            ["Salon Awa Tresses"]
        );
        assert!(names(&app.get("/api/providers?activity=coiffure", None).await).is_empty());
        assert_eq!(
            names(&app.get("/api/providers?activity=tresses", None).await).len(),
            1
        );

        let blank = app
            .multipart(
                Method::PUT,
                "/api/providers/my-profile",
                Some(&token),
                &[("businessName", "X")],
                &[],
            )
            .await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST);
        assert!(
            blank.body["errors"]["description"].is_array(),
            "{:?}",
            blank.body
        );
    }
);

both!(
    a_provider_sends_a_rejected_document_again,
    |app: ProductApp| async move {
        let (admin, token, id) = provider(&app).await;
        let review = format!("/api/admin/providers/{id}/review-documents");
        let reviewed = app
            .put(
                &review,
                Some(&admin),
                json!({"decision": "approved", "approvedDocuments": [0], "rejectedDocuments": [{"index": 1, "reason": "Document expiré"}]}),
            )
            .await;
        assert_eq!(reviewed.status, StatusCode::OK, "{:?}", reviewed.body);
        let old_link = reviewed.body["data"]["provider"]["documents"][1]["url"]
            .as_str()
            .unwrap()
            .to_owned();
        let file = [("document", "licence.jpg", "image/jpeg", JPEG)];

        let approved = app
            .multipart(
                Method::PUT,
                "/api/providers/my-documents/0",
                Some(&token),
                &[],
                &file,
            )
            .await;
        assert_eq!(approved.status, StatusCode::CONFLICT);
        assert_eq!(
            approved.body["message"],
            "Seul un document rejeté peut être renvoyé"
        );
        let outside = app
            .multipart(
                Method::PUT,
                "/api/providers/my-documents/7",
                Some(&token),
                &[],
                &file,
            )
            .await;
        assert_eq!(outside.status, StatusCode::NOT_FOUND);
        let not_a_position = app
            .multipart(
                Method::PUT,
                "/api/providers/my-documents/x",
                Some(&token),
                &[],
                &file,
            )
            .await;
        assert_eq!(not_a_position.status, StatusCode::BAD_REQUEST);

        let resent = app
            .multipart(
                Method::PUT,
                "/api/providers/my-documents/1",
                Some(&token),
                &[],
                &file,
            )
            .await;
        assert_eq!(resent.status, StatusCode::OK, "{:?}", resent.body);
        let provider = &resent.body["data"]["provider"];
        assert_eq!(provider["verificationStatus"], "under_review");
        let document = &provider["documents"][1];
        assert_eq!(
            (document["type"].as_str(), document["status"].as_str()),
            (Some("business_license"), Some("pending"))
        );
        assert_eq!(document["rejectionReason"], Value::Null);
        let (status, bytes) = api_tests::download(document["url"].as_str().unwrap()).await;
        assert_eq!((status, bytes.as_slice()), (200, JPEG));
        let (status, _) = api_tests::download(&old_link).await;
        assert_eq!(status, 404, "the rejected file is removed");
        let waiting = app
            .get("/api/admin/providers/under-review", Some(&admin))
            .await;
        assert_eq!(waiting.body["data"]["providers"][0]["id"], id.as_str());
    }
);
