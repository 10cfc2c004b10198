//! `/api/auth/`: registering, logging in, refreshing, the profile and the password.

use super::*;

both!(
    registering_answers_the_documented_user,
    |app: ProductApp| async move {
        let reply = app
            .post(
                "/api/auth/register/",
                None,
                json!({"username": "john_doe", "email": "john.doe@example.com",
                   "password": "SecurePass123!", "password2": "SecurePass123!",
                   "first_name": "John", "last_name": "Doe", "phone": "+33612345678"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        assert_eq!(reply.body["message"], "User registered successfully");
        let user = &reply.body["user"];
        let mut shown = user.clone();
        assert!(user["id"].as_i64().unwrap() > 0);
        assert!(user["created_at"].as_str().unwrap().ends_with('Z'));
        shown["id"] = json!(0);
        shown["created_at"] = json!("T");
        assert_eq!(
            shown,
            json!({"id": 0, "username": "john_doe", "email": "john.doe@example.com",
               "first_name": "John", "last_name": "Doe", "phone": "+33612345678",
               "is_premium": false, "subscription_type": null,
               "subscription_end_date": null, "created_at": "T"})
        );
        // No password, in any form, in the answer.
        assert!(!reply.body.to_string().contains("argon2"));
    }
);

both!(
    every_failing_field_is_named_at_once,
    |app: ProductApp| async move {
        register(&app, "taken").await;
        let reply = app
            .post(
                "/api/auth/register/",
                None,
                json!({"username": "taken", "email": "taken@example.com",
                   "password": "SecurePass123!", "password2": "Other123!"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            reply.body,
            json!({"username": ["This username is already taken."],
               "email": ["This email is already registered."],
               "password2": ["Passwords must match."]})
        );
        let reply = app
        .post(
            "/api/auth/register/",
            None,
            json!({"username": "no spaces", "email": "nope", "password": "1234", "password2": "1234"}),
        )
        .await;
        assert_eq!(
            reply.body,
            json!({"username": ["Enter a valid username. This value may contain only unaccented English letters, numbers, and @/./+/-/_ characters."],
               "email": ["Enter a valid email address."],
               "password": ["This password is too short. It must contain at least 8 characters.",
                            "This password is too common.",
                            "This password is entirely numeric."]})
        );
        // What Django's default validators refuse, each in its words.
        for (password, problem) in [
            ("password", "This password is too common."),
            ("aaaaaaaa", "This password is too common."),
            ("Password1", "This password is too common."),
            (
                "weak.user@example.com",
                "The password is too similar to the email address.",
            ),
            ("weakuser1", "The password is too similar to the username."),
        ] {
            let reply = app
                .post(
                    "/api/auth/register/",
                    None,
                    json!({"username": "weakuser", "email": "weak.user@example.com",
                           "password": password, "password2": password}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{password}");
            assert_eq!(reply.body, json!({"password": [problem]}), "{password}");
        }
        let reply = app.post("/api/auth/register/", None, json!({})).await;
        let required = json!(["This field is required."]);
        assert_eq!(
            reply.body,
            json!({"username": required, "email": required, "password": required, "password2": required})
        );
    }
);

both!(
    login_refresh_and_the_profile,
    |app: ProductApp| async move {
        register(&app, "ana").await;
        let wrong = app
            .post(
                "/api/auth/login/",
                None,
                json!({"email": "ana@example.com", "password": "nope-nope"}),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            wrong.body,
            json!({"detail": "No active account found with the given credentials"})
        );
        let unknown = app
            .post(
                "/api/auth/login/",
                None,
                json!({"email": "who@example.com", "password": "SecurePass123!"}),
            )
            .await;
        assert_eq!(unknown.body, wrong.body);
        let (access, refresh) = log_in(&app, "ana").await;
        let profile = app.get("/api/auth/profile/", Some(&access)).await;
        assert_eq!(profile.status, StatusCode::OK);
        assert_eq!(profile.body["username"], "ana");
        let renewed = app
            .post("/api/auth/refresh/", None, json!({"refresh": refresh}))
            .await;
        assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
        assert_eq!(
            renewed.body.as_object().unwrap().len(),
            1,
            "only `access`, as documented"
        );
        let again = app
            .get(
                "/api/auth/profile/",
                Some(renewed.body["access"].as_str().unwrap()),
            )
            .await;
        assert_eq!(again.body["id"], profile.body["id"]);
        // SimpleJWT's refresh keeps the token: a client may use it again.
        let twice = app
            .post("/api/auth/refresh/", None, json!({"refresh": refresh}))
            .await;
        assert_eq!(twice.status, StatusCode::OK);
        let forged = app
            .post("/api/auth/refresh/", None, json!({"refresh": access}))
            .await;
        assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
        assert_eq!(forged.body["code"], "token_not_valid");
        let missing = app.post("/api/auth/refresh/", None, json!({})).await;
        assert_eq!(
            missing.body,
            json!({"refresh": ["This field is required."]})
        );
        let anonymous = app.get("/api/auth/profile/", None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            anonymous.body,
            json!({"detail": "Authentication credentials were not provided."})
        );
    }
);

both!(
    a_profile_patch_changes_only_what_may_change,
    |app: ProductApp| async move {
        let token = user(&app, "jean").await;
        let reply = app
        .patch(
            "/api/auth/profile/",
            Some(&token),
            json!({"first_name": "Jean", "phone": "+33687654321", "is_premium": true, "username": "boss"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body["first_name"], "Jean");
        assert_eq!(reply.body["last_name"], "Lima");
        assert_eq!(reply.body["phone"], "+33687654321");
        assert_eq!(reply.body["is_premium"], false, "read-only");
        assert_eq!(reply.body["username"], "jean", "read-only");
        let stored = app.get("/api/auth/profile/", Some(&token)).await;
        assert_eq!(stored.body, reply.body);
        let bad = app
            .patch(
                "/api/auth/profile/",
                Some(&token),
                json!({"first_name": 7, "phone": "x".repeat(21)}),
            )
            .await;
        assert_eq!(
            bad.body,
            json!({"first_name": ["Not a valid string."],
               "phone": ["Ensure this field has no more than 20 characters."]})
        );
    }
);

both!(
    changing_the_password_ends_the_other_sessions,
    |app: ProductApp| async move {
        register(&app, "maria").await;
        let (access, _) = log_in(&app, "maria").await;
        let (_, other_refresh) = log_in(&app, "maria").await;
        let wrong = app
        .post("/api/auth/change-password/", Some(&access),
              json!({"old_password": "nope", "new_password": "NewSecurePass456!", "new_password2": "Other456!"}))
        .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            wrong.body,
            json!({"old_password": ["Wrong password."], "new_password2": ["New passwords must match."]})
        );
        let done = app
            .post(
                "/api/auth/change-password/",
                Some(&access),
                json!({"old_password": "SecurePass123!", "new_password": "NewSecurePass456!",
                     "new_password2": "NewSecurePass456!"}),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(
            done.body,
            json!({"message": "Password changed successfully"})
        );
        // The other device's refresh token is dead; this one's session lives on.
        let other = app
            .post(
                "/api/auth/refresh/",
                None,
                json!({"refresh": other_refresh}),
            )
            .await;
        assert_eq!(other.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.get("/api/auth/profile/", Some(&access)).await.status,
            StatusCode::OK
        );
        let old = app
            .post(
                "/api/auth/login/",
                None,
                json!({"email": "maria@example.com", "password": "SecurePass123!"}),
            )
            .await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED);
        let new = app
            .post(
                "/api/auth/login/",
                None,
                json!({"email": "maria@example.com", "password": "NewSecurePass456!"}),
            )
            .await;
        assert_eq!(new.status, StatusCode::OK);
    }
);

both!(
    names_refuse_control_characters,
    |app: ProductApp| async move {
        let reply = app
            .post(
                "/api/auth/register/",
                None,
                json!({"username": "ctrl", "email": "ctrl@example.com",
                       "password": "a fine passphrase", "password2": "a fine passphrase",
                       "first_name": "Ann\u{0}", "last_name": "Lee\u{7}"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            reply.body,
            json!({"first_name": ["Null characters are not allowed."],
                   "last_name": ["Enter a name without control characters."]})
        );
        let resume = app
            .post(
                "/api/resumes/",
                None,
                json!({"template": 1, "full_name": "Marie\u{202e}eiraM", "email": "m@example.com"}),
            )
            .await;
        assert_eq!(resume.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            resume.body,
            json!({"full_name": ["Enter a name without control characters."]})
        );
    }
);
