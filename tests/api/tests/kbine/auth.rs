use api_tests::{TestApp, both};
use reqwest::StatusCode;
use serde_json::json;

both!(
    login_creates_account_once_and_normalises_formats,
    |app: TestApp| async move {
        let first = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "0701020304"}),
            )
            .await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(first.body["user"]["phoneNumber"], "0701020304");
        assert_eq!(first.body["user"]["role"], "client");
        assert!(first.body["token"].as_str().unwrap().len() > 20);
        assert!(first.body["refreshToken"].as_str().unwrap().len() > 20);
        let id = first.body["user"]["id"].as_i64().unwrap();
        for format in [
            "07 01 02 03 04",
            "+225 07 01 02 03 04",
            "00225 07 01 02 03 04",
        ] {
            let again = app
                .post("/api/auth/login", None, json!({"phoneNumber": format}))
                .await;
            assert_eq!(again.status, StatusCode::OK, "{format}");
            assert_eq!(again.body["user"]["id"], id, "{format} is the same account");
            assert_eq!(again.body["user"]["phoneNumber"], "0701020304");
        }
    }
);

both!(
    login_refuses_bad_numbers_with_documented_messages,
    |app: TestApp| async move {
        let cases = [
            ("07010203", "Le numéro doit contenir exactement 10 chiffres"),
            (
                "07 01 02 03 04 05",
                "Le numéro doit contenir exactement 10 chiffres",
            ),
            (
                "07O1020304",
                "Le numéro doit contenir exactement 10 chiffres",
            ),
            (
                "0901020304",
                "Préfixe invalide. Les préfixes valides sont: 01, 05, 07",
            ),
            (
                "+225 09 01 02 03 04",
                "Préfixe invalide. Les préfixes valides sont: 01, 05, 07",
            ),
        ];
        for (phone, details) in cases {
            let reply = app
                .post("/api/auth/login", None, json!({"phoneNumber": phone}))
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{phone}");
            assert_eq!(
                reply.body,
                json!({"error": "Numéro de téléphone invalide", "details": details}),
                "{phone}"
            );
        }
        let missing = app.post("/api/auth/login", None, json!({})).await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert_eq!(missing.body["error"], "Numéro de téléphone invalide");
        let malformed = app
            .raw(
                reqwest::Method::POST,
                "/api/auth/login",
                None,
                "{\"phoneNumber\": ",
            )
            .await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(malformed.body["error"], "Données invalides");
        // Nothing was created by the refused attempts.
        let admin = app.admin().await;
        let users = app.get("/api/users", Some(&admin.token)).await;
        assert_eq!(users.body["pagination"]["total"], 1);
    }
);

/// No grace for a replaced refresh token: every reuse is a late one.
fn no_refresh_grace() -> api_tests::KbineConfig {
    let mut config = api_tests::test_config();
    config.sessions.refresh_reuse_grace_secs = -1;
    config
}

both!(
    refresh_rotates_and_old_token_no_longer_works,
    config = no_refresh_grace(),
    |app: TestApp| async move {
        let session = app.login("0501020304").await;
        let refreshed = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": session.refresh_token}),
            )
            .await;
        assert_eq!(refreshed.status, StatusCode::OK);
        assert_eq!(
            refreshed.body["user"],
            json!({"id": session.id, "phoneNumber": "0501020304", "role": "client"})
        );
        let new_refresh = refreshed.body["refreshToken"].as_str().unwrap().to_string();
        assert_ne!(new_refresh, session.refresh_token);
        let new_token = refreshed.body["token"].as_str().unwrap();
        let profile = app.get("/api/users/profile", Some(new_token)).await;
        assert_eq!(profile.status, StatusCode::OK);

        // The used token is spent; presenting it again revokes the session (theft detection).
        let reused = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": session.refresh_token}),
            )
            .await;
        assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reused.body, json!({"error": "Session expirée ou invalide"}));
        let after_reuse = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": new_refresh}),
            )
            .await;
        assert_eq!(after_reuse.status, StatusCode::UNAUTHORIZED);
    }
);

both!(
    refresh_refuses_missing_and_forged_tokens,
    |app: TestApp| async move {
        let missing = app.post("/api/auth/refresh", None, json!({})).await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert_eq!(missing.body, json!({"error": "Refresh token requis"}));
        let empty_body = app
            .raw(reqwest::Method::POST, "/api/auth/refresh", None, "")
            .await;
        assert_eq!(empty_body.status, StatusCode::BAD_REQUEST);
        assert_eq!(empty_body.body, json!({"error": "Refresh token requis"}));
        let forged = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": "abc.def.ghi"}),
            )
            .await;
        assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
        assert_eq!(forged.body, json!({"error": "Session expirée ou invalide"}));
        // An access token is not a refresh token.
        let session = app.login("0101020304").await;
        let wrong_kind = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": session.token}),
            )
            .await;
        assert_eq!(wrong_kind.status, StatusCode::UNAUTHORIZED);
    }
);

both!(
    logout_revokes_the_refresh_token,
    |app: TestApp| async move {
        let session = app.login("0701020304").await;
        let other_device = app.login("0701020304").await;
        let no_token = app.post("/api/auth/logout", None, json!({})).await;
        assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
        let out = app
            .post(
                "/api/auth/logout",
                Some(&session.token),
                json!({"refreshToken": session.refresh_token}),
            )
            .await;
        assert_eq!(out.status, StatusCode::OK);
        assert_eq!(out.body, json!({"message": "Déconnexion réussie"}));
        // The access token of the ended session stops working at once.
        let stale = app.get("/api/users/profile", Some(&session.token)).await;
        assert_eq!(stale.status, StatusCode::UNAUTHORIZED);
        assert_eq!(stale.body, json!({"error": "Token invalide ou expiré"}));
        let other = app
            .get("/api/users/profile", Some(&other_device.token))
            .await;
        assert_eq!(
            other.status,
            StatusCode::OK,
            "the other device's session is still open"
        );
        let refused = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": session.refresh_token}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        // With a refresh token named, the other device's session lives on...
        let still = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": other_device.refresh_token}),
            )
            .await;
        assert_eq!(still.status, StatusCode::OK);
        // ...and a logout without one ends every session of the user.
        let token = still.body["token"].as_str().unwrap();
        let refresh = still.body["refreshToken"].as_str().unwrap();
        let all_out = app
            .call(reqwest::Method::POST, "/api/auth/logout", Some(token), None)
            .await;
        assert_eq!(all_out.status, StatusCode::OK);
        let gone = app
            .post("/api/auth/refresh", None, json!({"refreshToken": refresh}))
            .await;
        assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
        let other_stale = app
            .get("/api/users/profile", Some(&other_device.token))
            .await;
        assert_eq!(
            other_stale.status,
            StatusCode::UNAUTHORIZED,
            "every session ended"
        );
    }
);

// Regression (found by scripts/fuzz-openapi.sh): serde reads a JSON array as a struct's
// fields in order, so `["0701020304"]` used to log in.
both!(
    login_and_logout_refuse_bodies_that_are_not_objects,
    |app: TestApp| async move {
        let session = app.login("0701020304").await;
        for body in [r#"["0701020304"]"#, "[]", r#""0701020304""#, "42", "null"] {
            let login = app
                .raw(reqwest::Method::POST, "/api/auth/login", None, body)
                .await;
            assert_eq!(login.status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(
                login.body,
                json!({"error": "Données invalides",
                       "details": "Le corps de la requête doit être un objet JSON"}),
                "{body}"
            );
            let logout = app
                .raw(
                    reqwest::Method::POST,
                    "/api/auth/logout",
                    Some(&session.token),
                    body,
                )
                .await;
            assert_eq!(logout.status, StatusCode::BAD_REQUEST, "{body}");
        }
        // Still logged in: no logout went through.
        let profile = app.get("/api/users/profile", Some(&session.token)).await;
        assert_eq!(profile.status, StatusCode::OK);
    }
);

// Accounts created before the guard carried the role still log in with their role.
both!(
    login_reads_accounts_whose_guard_has_no_role,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let guard = store::Key::new(format!("PHONE#{}", admin.phone), "PHONE");
        app.store
            .update(&guard, store::Update::new().remove("role"), None)
            .await
            .unwrap();
        // Read from the user item, the role still asks for the password.
        let bare = app
            .post("/api/auth/login", None, json!({"phoneNumber": admin.phone}))
            .await;
        assert_eq!(bare.status, StatusCode::UNAUTHORIZED);
        let again = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": admin.phone, "password": api_tests::STAFF_PASSWORD}),
            )
            .await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.body["user"]["id"], admin.id);
        assert_eq!(again.body["user"]["role"], "admin");
    }
);

both!(
    a_password_that_is_not_a_string_is_refused,
    |app: TestApp| async move {
        for password in [json!(null), json!(12345678), json!(["x"])] {
            let reply = app
                .post(
                    "/api/auth/login",
                    None,
                    json!({"phoneNumber": "0701020304", "password": password}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{password}");
            assert_eq!(
                reply.body,
                json!({"error": "Mot de passe invalide",
                       "details": "Le mot de passe doit être une chaîne de caractères"})
            );
        }
        // Refused before anything is written: the number has no account yet.
        let first = app.login("0701020304").await;
        let profile = app.get("/api/users/profile", Some(&first.token)).await;
        assert_eq!(profile.body["id"], 1, "{:?}", profile.body);
    }
);

both!(
    a_refresh_retried_at_once_answers_the_same_pair,
    |app: TestApp| async move {
        // Two tabs, or a response lost on the way: the token just replaced comes back within
        // the grace and gets the pair its rotation gave, not a revoked session.
        let session = app.login("0501020304").await;
        let refresh = |token: String| {
            let app = &app;
            async move {
                app.post("/api/auth/refresh", None, json!({"refreshToken": token}))
                    .await
            }
        };
        let first = refresh(session.refresh_token.clone()).await;
        assert_eq!(first.status, StatusCode::OK);
        let retried = refresh(session.refresh_token.clone()).await;
        assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
        assert_eq!(retried.body["refreshToken"], first.body["refreshToken"]);
        let token = retried.body["token"].as_str().unwrap();
        let profile = app.get("/api/users/profile", Some(token)).await;
        assert_eq!(profile.status, StatusCode::OK);

        // Once the new token is used in turn, the first is two rotations old: a stolen copy.
        let new_refresh = first.body["refreshToken"].as_str().unwrap().to_string();
        let second = refresh(new_refresh).await;
        assert_eq!(second.status, StatusCode::OK);
        let stale = refresh(session.refresh_token.clone()).await;
        assert_eq!(stale.status, StatusCode::UNAUTHORIZED);
        assert_eq!(stale.body, json!({"error": "Session expirée ou invalide"}));
        let latest = second.body["refreshToken"].as_str().unwrap().to_string();
        let after_theft = refresh(latest).await;
        assert_eq!(
            after_theft.status,
            StatusCode::UNAUTHORIZED,
            "session revoked"
        );
    }
);
