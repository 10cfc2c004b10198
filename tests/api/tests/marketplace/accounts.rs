//! Accounts: registration, sign-in (each one a security event), rotation, sign-out, the
//! caller's own account, and a deactivated account shut out at once.

use super::*;
use store::{Index, Query};

both!(
    a_client_registers_and_is_signed_in,
    |app: ProductApp| async move {
        let reply = app
            .post(
                "/api/auth/register",
                None,
                registration("Marie.Ndiaye@Example.com", "Marie", "Ndiaye"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        assert_eq!(reply.body["success"], true);
        assert_eq!(reply.body["message"], "Inscription réussie");
        let data = &reply.body["data"];
        let user = &data["user"];
        assert_eq!(user["email"], "marie.ndiaye@example.com");
        assert_eq!(user["firstName"], "Marie");
        assert_eq!(user["lastName"], "Ndiaye");
        assert_eq!(user["role"], "client");
        assert_eq!(user["country"], "Cameroun");
        assert_eq!(user["gender"], "female");
        assert_eq!(user["phoneNumber"], "+237 6 99 00 11 22");
        assert_eq!(user["isActive"], true);
        assert_eq!(user["isEmailVerified"], false);
        assert_eq!(user["lastLogin"], Value::Null);
        assert!(user.get("passwordHash").is_none() && user.get("password").is_none());
        uuid::Uuid::parse_str(user["id"].as_str().unwrap()).unwrap();

        let token = data["token"].as_str().unwrap();
        let me = app.get("/api/auth/me", Some(token)).await;
        assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
        assert_eq!(me.body, json!({"success": true, "data": user}));

        // The same email, however written, is taken.
        let again = app
            .post(
                "/api/auth/register",
                None,
                registration("MARIE.ndiaye@example.com", "Autre", "Personne"),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(
            again.body,
            json!({"success": false, "message": "Cet email est déjà utilisé"})
        );
    }
);

both!(
    a_registration_names_every_refused_field,
    |app: ProductApp| async move {
        let reply = app
            .post(
                "/api/auth/register",
                None,
                json!({"email": "pas-un-email", "password": "1234567", "lastName": "", "gender": "autre"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);
        assert_eq!(reply.body["success"], false);
        assert_eq!(reply.body["message"], "Données invalides");
        let errors = reply.body["errors"].as_object().unwrap();
        for field in ["email", "password", "firstName", "lastName", "gender"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        assert!(
            errors["password"]
                .to_string()
                .contains("au moins 8 caractères"),
            "{errors:?}"
        );
        // Nothing was stored: the email is still free.
        register(&app, "pas-un-email@example.com", "Jean", "Fokou").await;
    }
);

both!(
    every_sign_in_is_a_security_event,
    |app: ProductApp| async move {
        register(&app, "fatou@example.com", "Fatou", "Onana").await;
        let wrong = login(&app, "fatou@example.com", "pas le bon mot de passe").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            wrong.body,
            json!({"success": false, "message": "Email ou mot de passe incorrect"})
        );
        let unknown = login(&app, "personne@example.com", PASSWORD).await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        assert_eq!(unknown.body, wrong.body);

        let admitted = app
            .post_with(
                "/api/auth/login",
                None,
                &[("user-agent", "MarketplaceApp/2.1 (Android 14)")],
                json!({"email": "Fatou@Example.com", "password": PASSWORD}),
            )
            .await;
        assert_eq!(admitted.status, StatusCode::OK, "{:?}", admitted.body);
        assert_eq!(admitted.body["success"], true);
        let data = &admitted.body["data"];
        assert_eq!(data["user"]["email"], "fatou@example.com");
        let me = app.get("/api/auth/me", data["token"].as_str()).await;
        assert!(me.body["data"]["lastLogin"].is_string(), "{:?}", me.body);

        let month = chrono::Utc::now().format("%Y-%m").to_string();
        let events = app
            .deps
            .store
            .query(Query::partition(Index::Table, format!("SECURITY#{month}")))
            .await
            .unwrap()
            .items;
        let summary: Vec<(String, String, bool, String)> = events
            .iter()
            .map(|e| {
                (
                    e["eventType"].as_str().unwrap().to_owned(),
                    e["email"].as_str().unwrap().to_owned(),
                    e["success"].as_bool().unwrap(),
                    e["riskLevel"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "login_failed".into(),
                    "fatou@example.com".into(),
                    false,
                    "medium".into()
                ),
                (
                    "login_failed".into(),
                    "personne@example.com".into(),
                    false,
                    "medium".into()
                ),
                (
                    "login_success".into(),
                    "fatou@example.com".into(),
                    true,
                    "low".into()
                ),
            ]
        );
        for event in &events {
            assert_eq!(event["ipAddress"], "127.0.0.1");
        }
        assert_eq!(events[2]["userAgent"], "MarketplaceApp/2.1 (Android 14)");
        assert_eq!(events[2]["userId"], data["user"]["id"]);
        assert_eq!(events[0]["userId"], Value::Null);
    }
);

both!(
    tokens_rotate_and_a_sign_out_ends_them,
    |app: ProductApp| async move {
        let data = register(&app, "jean@example.com", "Jean", "Fokou").await;
        let refresh = data["refreshToken"].as_str().unwrap();
        let renewed = app
            .post("/api/auth/refresh", None, json!({"refreshToken": refresh}))
            .await;
        assert_eq!(renewed.status, StatusCode::OK, "{:?}", renewed.body);
        let token = renewed.body["data"]["token"].as_str().unwrap().to_owned();
        assert!(renewed.body["data"]["refreshToken"].is_string());
        assert_eq!(
            app.get("/api/auth/me", Some(&token)).await.status,
            StatusCode::OK
        );

        let missing = app.post("/api/auth/refresh", None, json!({})).await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            missing.body,
            json!({"success": false, "message": "Refresh token requis"})
        );

        let out = app.post("/api/auth/logout", Some(&token), json!({})).await;
        assert_eq!(out.status, StatusCode::OK);
        assert_eq!(
            out.body,
            json!({"success": true, "message": "Déconnexion réussie"})
        );
        let after = app.get("/api/auth/me", Some(&token)).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED);
        assert_eq!(after.body["success"], false);
    }
);

both!(
    a_deactivated_account_is_shut_out_at_once,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let client = register(&app, "awa@example.com", "Awa", "Bello").await;
        let (id, token) = (
            client["user"]["id"].as_str().unwrap(),
            client["token"].as_str().unwrap(),
        );
        let path = format!("/api/admin/users/{id}/status");
        let off = app
            .put(&path, Some(&admin), json!({"isActive": false}))
            .await;
        assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
        assert_eq!(
            app.get("/api/auth/me", Some(token)).await.status,
            StatusCode::UNAUTHORIZED
        );
        let refused = login(&app, "awa@example.com", PASSWORD).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(
            refused.body,
            json!({"success": false, "message": "Compte désactivé"})
        );
        let refresh = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": client["refreshToken"]}),
            )
            .await;
        assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);

        let on = app
            .put(&path, Some(&admin), json!({"isActive": true}))
            .await;
        assert_eq!(on.status, StatusCode::OK);
        assert_eq!(
            login(&app, "awa@example.com", PASSWORD).await.status,
            StatusCode::OK
        );
    }
);
