//! A provider's services: written by the provider, read by anyone, counted on the dashboard.

use super::*;

both!(
    a_provider_offers_its_services,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let id = super::providers::approved(&app, &admin, "salon@example.com").await;
        let provider = login(&app, "salon@example.com", PASSWORD).await;
        let provider = provider.body["data"]["token"].as_str().unwrap().to_owned();
        let tresses = json!({"name": "Tresses africaines", "price": 15000, "durationMinutes": 120});
        let added = app
            .post("/api/providers/my-services", Some(&provider), tresses)
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
        let service = added.body["data"]["service"].clone();
        assert_eq!(service["price"], 15000);
        assert_eq!(service["isActive"], true);
        let bad = app
            .post(
                "/api/providers/my-services",
                Some(&provider),
                json!({"name": "X", "price": 12.5}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let errors = bad.body["errors"].as_object().unwrap();
        assert!(
            errors.contains_key("name") && errors.contains_key("price"),
            "{errors:?}"
        );
        let second = json!({"name": "Manucure", "price": 5000, "isActive": false});
        app.post("/api/providers/my-services", Some(&provider), second)
            .await;

        // Unverified, its page is not public yet.
        let public = format!("/api/providers/{id}/services");
        assert_eq!(app.get(&public, None).await.status, StatusCode::NOT_FOUND);
        let verify = format!("/api/admin/providers/{id}/verify");
        app.put(&verify, Some(&admin), json!({"isVerified": true}))
            .await;
        let offered = app.get(&public, None).await;
        let names: Vec<&str> = offered.body["data"]["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Tresses africaines"]);
        let mine = app.get("/api/providers/my-services", Some(&provider)).await;
        assert_eq!(mine.body["data"]["services"].as_array().unwrap().len(), 2);
        let stats = app.get("/api/admin/stats", Some(&admin)).await;
        assert_eq!(stats.body["data"]["services"], json!({"total": 1}));

        let path = format!(
            "/api/providers/my-services/{}",
            service["id"].as_str().unwrap()
        );
        let off = json!({"name": "Tresses africaines", "price": 18000, "isActive": false});
        let changed = app.put(&path, Some(&provider), off).await;
        assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
        assert_eq!(changed.body["data"]["service"]["price"], 18000);
        let stats = app.get("/api/admin/stats", Some(&admin)).await;
        assert_eq!(stats.body["data"]["services"], json!({"total": 0}));
        let removed = app.delete(&path, Some(&provider)).await;
        assert_eq!(
            removed.body,
            json!({"success": true, "message": "Service supprimé"})
        );
        assert_eq!(
            app.delete(&path, Some(&provider)).await.status,
            StatusCode::NOT_FOUND
        );

        // Another provider cannot touch it; a client has no services.
        super::providers::approved(&app, &admin, "autre@example.com").await;
        let other = login(&app, "autre@example.com", PASSWORD).await;
        let other = other.body["data"]["token"].as_str().unwrap().to_owned();
        let mine = app.get("/api/providers/my-services", Some(&provider)).await;
        let left = mine.body["data"]["services"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let theirs = format!("/api/providers/my-services/{left}");
        assert_eq!(
            app.delete(&theirs, Some(&other)).await.status,
            StatusCode::NOT_FOUND
        );
        let client = register(&app, "jean@example.com", "Jean", "Fokou").await;
        let client = app
            .get("/api/providers/my-services", client["token"].as_str())
            .await;
        assert_eq!(client.status, StatusCode::FORBIDDEN);
    }
);
