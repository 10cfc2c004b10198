//! `marketplace-admin.md` §4: the providers as an admin manages them.

use super::applications::applicant;
use super::*;

/// A provider made by an approved application of `email`: its id.
pub async fn approved(app: &ProductApp, admin: &str, email: &str) -> String {
    let (_, _, application) = applicant(app, email).await;
    let path = format!(
        "/api/admin/provider-applications/{}/review",
        application["id"].as_str().unwrap()
    );
    let reply = app
        .put(&path, Some(admin), json!({"decision": "approved"}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["provider"]["id"].as_str().unwrap().to_owned()
}

fn ids(reply: &api_tests::Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

both!(
    a_new_provider_waits_in_the_admins_lists,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let id = approved(&app, &admin, "marie@example.com").await;
        let pending = app.get("/api/admin/providers/pending", Some(&admin)).await;
        assert_eq!(ids(&pending), std::slice::from_ref(&id));
        assert_eq!(pending.body["data"]["pagination"]["total"], 1);
        let provider = &pending.body["data"]["providers"][0];
        assert_eq!(provider["businessName"], "Salon Marie Coiffure");
        assert_eq!(provider["isVerified"], false);
        assert_eq!(provider["isActive"], true);
        assert_eq!(provider["verificationStatus"], "under_review");
        assert_eq!(provider["user"]["email"], "marie@example.com");
        assert_eq!(provider["user"]["phone"], "+237 6 99 00 11 22");
        assert_eq!(provider["documents"][0]["type"], "cni");
        assert!(provider["documents"][0]["url"].is_string());
        let review = app
            .get("/api/admin/providers/under-review", Some(&admin))
            .await;
        assert_eq!(ids(&review), [id]);
        let featured = app.get("/api/admin/providers/featured", Some(&admin)).await;
        assert!(ids(&featured).is_empty());
    }
);

both!(
    an_admin_verifies_or_rejects_with_a_reason,
    |app: ProductApp| async move {
        let (admin, admin_id) = admin(&app).await;
        let id = approved(&app, &admin, "marie@example.com").await;
        let path = format!("/api/admin/providers/{id}/verify");
        let bare = app
            .put(&path, Some(&admin), json!({"isVerified": false}))
            .await;
        assert_eq!(bare.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            bare.body["errors"],
            json!({"rejectionReason": ["rejectionReason est obligatoire (5 à 500 caractères)"]})
        );
        let rejected = app
            .put(
                &path,
                Some(&admin),
                json!({"isVerified": false, "rejectionReason": "Documents non conformes"}),
            )
            .await;
        assert_eq!(rejected.status, StatusCode::OK, "{:?}", rejected.body);
        assert_eq!(rejected.body["message"], "Prestataire rejeté");
        let provider = &rejected.body["data"]["provider"];
        assert_eq!(provider["verificationStatus"], "rejected");
        assert_eq!(provider["verificationNotes"], "Documents non conformes");
        let verified = app
            .put(&path, Some(&admin), json!({"isVerified": true}))
            .await;
        assert_eq!(verified.body["message"], "Prestataire vérifié");
        let provider = &verified.body["data"]["provider"];
        assert_eq!(provider["isVerified"], true);
        assert_eq!(provider["verificationStatus"], "approved");
        assert_eq!(provider["verifiedBy"], admin_id.as_str());
        let pending = app.get("/api/admin/providers/pending", Some(&admin)).await;
        assert!(ids(&pending).is_empty());
        assert_eq!(pending.body["data"]["pagination"]["total"], 0);
        let unknown = format!("/api/admin/providers/{}/verify", uuid::Uuid::new_v4());
        let missing = app
            .put(&unknown, Some(&admin), json!({"isVerified": true}))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            missing.body,
            json!({"success": false, "message": "Prestataire non trouvé"})
        );
        let audit = app
            .get("/api/admin/audit-logs?entityType=Provider", Some(&admin))
            .await;
        let actions: Vec<&str> = audit.body["data"]["logs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["provider.verify", "provider.reject"]);
    }
);

both!(
    featured_providers_are_listed_by_the_end_of_their_featuring,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let month = approved(&app, &admin, "marie@example.com").await;
        let week = approved(&app, &admin, "fatou@example.com").await;
        let open = approved(&app, &admin, "awa@example.com").await;
        for (id, body) in [
            (&month, json!({"isFeatured": true, "duration": 30})),
            (&open, json!({"isFeatured": true})),
            (&week, json!({"isFeatured": true, "duration": 7})),
        ] {
            let path = format!("/api/admin/providers/{id}/feature");
            let reply = app.put(&path, Some(&admin), body).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            assert_eq!(reply.body["message"], "Prestataire mis en avant");
        }
        let featured = app.get("/api/admin/providers/featured", Some(&admin)).await;
        assert_eq!(ids(&featured), [week.clone(), month.clone(), open.clone()]);
        let until = featured.body["data"]["providers"][0]["featuredUntil"]
            .as_str()
            .unwrap();
        let until = chrono::DateTime::parse_from_rfc3339(until).unwrap();
        let days = (until.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
        assert!((7 * 24 - 1..=7 * 24).contains(&days), "{days} hours");
        assert_eq!(
            featured.body["data"]["providers"][2]["featuredUntil"],
            Value::Null
        );

        let path = format!("/api/admin/providers/{week}/feature");
        let off = app
            .put(&path, Some(&admin), json!({"isFeatured": false}))
            .await;
        assert_eq!(off.body["data"]["provider"]["featuredUntil"], Value::Null);
        let featured = app.get("/api/admin/providers/featured", Some(&admin)).await;
        assert_eq!(ids(&featured), [month, open]);
        assert_eq!(featured.body["data"]["pagination"]["total"], 2);
        let bad = app
            .put(
                &path,
                Some(&admin),
                json!({"isFeatured": true, "duration": 0}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
);

both!(
    a_provider_is_hidden_with_a_reason,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let id = approved(&app, &admin, "marie@example.com").await;
        let path = format!("/api/admin/providers/{id}/status");
        let bare = app
            .put(&path, Some(&admin), json!({"isActive": false}))
            .await;
        assert_eq!(bare.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            bare.body["errors"],
            json!({"reason": ["reason est obligatoire (5 à 500 caractères)"]})
        );
        let reason = "Non-respect des conditions d'utilisation de la plateforme";
        let off = app
            .put(
                &path,
                Some(&admin),
                json!({"isActive": false, "reason": reason}),
            )
            .await;
        assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
        assert_eq!(off.body["message"], "Prestataire désactivé");
        let provider = &off.body["data"]["provider"];
        assert_eq!(provider["isActive"], false);
        assert_eq!(provider["user"]["email"], "marie@example.com");
        // The account still signs in.
        assert_eq!(
            login(&app, "marie@example.com", PASSWORD).await.status,
            StatusCode::OK
        );
        let audit = app
            .get("/api/admin/audit-logs?entityType=Provider", Some(&admin))
            .await;
        assert_eq!(audit.body["data"]["logs"][0]["reason"], reason);
        let on = app
            .put(&path, Some(&admin), json!({"isActive": true}))
            .await;
        assert_eq!(on.body["message"], "Prestataire activé");
    }
);

both!(
    documents_are_reviewed_one_by_one,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let id = approved(&app, &admin, "marie@example.com").await;
        let path = format!("/api/admin/providers/{id}/review-documents");
        let outside = app
            .put(
                &path,
                Some(&admin),
                json!({"decision": "approved", "approvedDocuments": [0, 5]}),
            )
            .await;
        assert_eq!(outside.status, StatusCode::BAD_REQUEST);
        let both_ways = app
            .put(&path, Some(&admin), json!({"decision": "approved", "approvedDocuments": [0], "rejectedDocuments": [{"index": 0, "reason": "Flou"}]}))
            .await;
        assert_eq!(both_ways.status, StatusCode::BAD_REQUEST);
        let reply = app
            .put(
                &path,
                Some(&admin),
                json!({"decision": "approved", "notes": "CNI valide", "approvedDocuments": [0], "rejectedDocuments": [{"index": 1, "reason": "Document expiré"}]}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let provider = &reply.body["data"]["provider"];
        assert_eq!(provider["isVerified"], true);
        assert_eq!(provider["verificationStatus"], "approved");
        assert_eq!(provider["verificationNotes"], "CNI valide");
        assert_eq!(provider["documents"][0]["status"], "approved");
        assert_eq!(provider["documents"][1]["status"], "rejected");
        assert_eq!(
            provider["documents"][1]["rejectionReason"],
            "Document expiré"
        );
        let review = app
            .get("/api/admin/providers/under-review", Some(&admin))
            .await;
        assert!(ids(&review).is_empty());
        assert_eq!(review.body["data"]["pagination"]["total"], 0);
    }
);
