//! `marketplace-admin.md` §1: the dashboard, every figure from a counter kept by the writes,
//! and the latest members and providers in full.

use super::*;

both!(
    the_dashboard_counts_what_was_written,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let empty = app.get("/api/admin/stats", Some(&admin)).await;
        assert_eq!(empty.status, StatusCode::OK, "{:?}", empty.body);
        assert_eq!(
            empty.body["data"]["reviews"],
            json!({"total": 0, "averageRating": "0.00"})
        );
        assert_eq!(
            empty.body["data"]["users"],
            json!({"total": 1, "clients": 0, "providers": 0})
        );

        let first = super::providers::approved(&app, &admin, "marie@example.com").await;
        let second = super::providers::approved(&app, &admin, "fatou@example.com").await;
        register(&app, "jean@example.com", "Jean", "Fokou").await;
        let verify = format!("/api/admin/providers/{first}/verify");
        app.put(&verify, Some(&admin), json!({"isVerified": true}))
            .await;
        let feature = format!("/api/admin/providers/{second}/feature");
        app.put(&feature, Some(&admin), json!({"isFeatured": true}))
            .await;
        let jean = login(&app, "jean@example.com", PASSWORD).await;
        let jean = jean.body["data"]["token"].as_str().unwrap().to_owned();
        let path = format!("/api/providers/{first}/reviews");
        let posted = app
            .post(
                &path,
                Some(&jean),
                json!({"rating": 4, "comment": "Très bien"}),
            )
            .await;
        assert_eq!(posted.status, StatusCode::CREATED, "{:?}", posted.body);

        let reply = app.get("/api/admin/stats", Some(&admin)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let data = &reply.body["data"];
        assert_eq!(
            data["users"],
            json!({"total": 4, "clients": 1, "providers": 2})
        );
        assert_eq!(
            data["providers"],
            json!({"total": 2, "active": 1, "pending": 1, "featured": 1})
        );
        assert_eq!(
            data["reviews"],
            json!({"total": 1, "averageRating": "4.00"})
        );
        assert_eq!(data["services"], json!({"total": 0}));
        assert_eq!(data["contacts"], json!({"total": 0, "pending": 0}));
        assert_eq!(
            data["payments"],
            json!({"total": 0, "totalAmount": 0, "accepted": 0, "pending": 0, "refused": 0, "cancelled": 0})
        );
        let recent: Vec<&str> = data["recentUsers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap())
            .collect();
        assert_eq!(
            recent,
            ["jean@example.com", "fatou@example.com", "marie@example.com"]
        );
        let providers: Vec<&str> = data["recentProviders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(providers, [second.as_str(), first.as_str()]);
        assert_eq!(
            data["recentProviders"][1]["user"]["email"],
            "marie@example.com"
        );
        assert_eq!(data["recentProviders"][1]["averageRating"], 4.0);

        // The counters agree with the lists they total.
        let members = app.get("/api/admin/users", Some(&admin)).await;
        assert_eq!(members.body["data"]["pagination"]["total"], 3);
    }
);
