//! A member's favourite providers.

use super::*;

both!(
    a_member_keeps_its_favourite_providers,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let first = super::providers::approved(&app, &admin, "a@example.com").await;
        let second = super::providers::approved(&app, &admin, "b@example.com").await;
        for id in [&first, &second] {
            let verify = format!("/api/admin/providers/{id}/verify");
            app.put(&verify, Some(&admin), json!({"isVerified": true}))
                .await;
        }
        let jean = register(&app, "jean@example.com", "Jean", "Fokou").await;
        let jean = jean["token"].as_str().unwrap().to_owned();
        for id in [&first, &second, &first] {
            let added = app
                .post(
                    &format!("/api/providers/{id}/favorite"),
                    Some(&jean),
                    json!({}),
                )
                .await;
            assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
        }
        let list = app.get("/api/favorites", Some(&jean)).await;
        assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
        let ids: Vec<&str> = list.body["data"]["providers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [second.as_str(), first.as_str()]);

        // Hidden by an admin, it leaves the list.
        let status = format!("/api/admin/providers/{second}/status");
        app.put(
            &status,
            Some(&admin),
            json!({"isActive": false, "reason": "Hors des règles"}),
        )
        .await;
        let list = app.get("/api/favorites", Some(&jean)).await;
        assert_eq!(list.body["data"]["providers"].as_array().unwrap().len(), 1);

        let path = format!("/api/providers/{first}/favorite");
        let removed = app.delete(&path, Some(&jean)).await;
        assert_eq!(
            removed.body,
            json!({"success": true, "message": "Retiré des favoris"})
        );
        let again = app.delete(&path, Some(&jean)).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        let hidden = app
            .post(
                &format!("/api/providers/{second}/favorite"),
                Some(&jean),
                json!({}),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    }
);
