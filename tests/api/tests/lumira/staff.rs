//! Staff accounts: made by the admin command, signed in by email and password on both
//! logins, tokens that open what their role may, refresh with rotation, logout, and the login
//! rate limit.

use super::*;
use serde_json::{Value, json};
use web::product::Product;

pub const PASSWORD: &str = "a long enough password";

/// Makes the account `login` with `role` as the admin command does.
pub async fn staff_account(app: &ProductApp, login: &str, role: &str) -> String {
    lumira::Lumira
        .admin_create(&app.deps.store, login, role, Some(PASSWORD))
        .await
        .unwrap()
}

/// Signs `email` in on `path`; returns the reply's body.
pub async fn sign_in(app: &ProductApp, path: &str, email: &str) -> Value {
    sign_in_with(app, path, email, PASSWORD).await
}

/// [`sign_in`] with another password.
pub async fn sign_in_with(app: &ProductApp, path: &str, email: &str, password: &str) -> Value {
    let reply = app
        .post(path, None, json!({"email": email, "password": password}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

/// A signed-in admin's access token.
pub async fn admin_token(app: &ProductApp) -> String {
    // Made once: a password set again would end the sessions signed in before.
    let made = lumira::accounts::find_by_email(&app.deps.store, "ada@lumira.test")
        .await
        .unwrap();
    if made.is_none() {
        staff_account(app, "Ada Admin <ada@lumira.test>", "admin").await;
    }
    let body = sign_in(app, "/api/auth/login", "ada@lumira.test").await;
    body["token"].as_str().unwrap().to_owned()
}

both!(
    staff_sign_in_with_their_email_and_password,
    |app: ProductApp| async move {
        let made = staff_account(&app, "Ada Admin <Ada@Lumira.test>", "admin").await;
        assert!(
            made.contains("ada@lumira.test") && made.contains("admin"),
            "{made}"
        );
        staff_account(&app, "Jean Dupont <jean@lumira.test>", "expert").await;

        let admin = sign_in(&app, "/api/auth/login", "ADA@lumira.test ").await;
        assert_eq!(admin["success"], true);
        assert_eq!(admin["user"]["email"], "ada@lumira.test");
        assert_eq!(admin["user"]["name"], "Ada Admin");
        assert_eq!(admin["user"]["role"], "admin");
        assert!(admin["refreshToken"].is_string());
        let expert = sign_in(&app, "/api/expert/login", "jean@lumira.test").await;
        assert_eq!(expert["expert"]["name"], "Jean Dupont");
        assert_eq!(expert["expert"]["role"], "expert");
        assert!(expert.get("user").is_none());

        // The role decides what a token opens.
        let admin_token = admin["token"].as_str().unwrap();
        let expert_token = expert["token"].as_str().unwrap();
        assert_eq!(
            app.get("/api/users", Some(admin_token)).await.status,
            StatusCode::OK
        );
        let refused = app.get("/api/users", Some(expert_token)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.body, json!({"error": "Insufficient permissions"}));

        // Wrong password and unknown email: the same 401.
        for (email, password) in [
            ("ada@lumira.test", "not the password"),
            ("nobody@lumira.test", PASSWORD),
        ] {
            let reply = app
                .post(
                    "/api/auth/login",
                    None,
                    json!({"email": email, "password": password}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{email}");
            assert_eq!(reply.body, json!({"error": "Invalid email or password"}));
        }
        for body in [
            json!({}),
            json!({"email": "ada@lumira.test"}),
            json!({"email": "not an email", "password": PASSWORD}),
            json!({"email": "ada@lumira.test", "password": 12}),
        ] {
            let reply = app.post("/api/auth/login", None, body.clone()).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(reply.body["error"], "Email and password are required");
        }
    }
);

both!(
    refresh_rotates_and_logout_ends_the_session,
    |app: ProductApp| async move {
        staff_account(&app, "ada@lumira.test", "admin").await;
        let first = sign_in(&app, "/api/auth/login", "ada@lumira.test").await;
        let refresh = |token: &str| {
            app.post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": token.to_owned()}),
            )
        };
        let second = refresh(first["refreshToken"].as_str().unwrap()).await;
        assert_eq!(second.status, StatusCode::OK, "{:?}", second.body);
        assert_eq!(second.body["user"]["email"], "ada@lumira.test");
        assert_ne!(second.body["refreshToken"], first["refreshToken"]);
        let token = second.body["token"].as_str().unwrap();
        assert_eq!(
            app.get("/api/orders", Some(token)).await.status,
            StatusCode::OK
        );

        let bad = refresh("not-a-token").await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
        assert_eq!(bad.body, json!({"error": "Session expired or invalid"}));
        let missing = app.post("/api/auth/refresh", None, json!({})).await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);

        let out = app.post("/api/auth/logout", Some(token), json!({})).await;
        assert_eq!(out.status, StatusCode::OK, "{:?}", out.body);
        assert_eq!(out.body["success"], true);
        // The session is over: its access token and its refresh token stop working at once.
        let after = app.get("/api/orders", Some(token)).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED);
        let late = refresh(second.body["refreshToken"].as_str().unwrap()).await;
        assert_eq!(late.status, StatusCode::UNAUTHORIZED);
    }
);

both!(
    the_admin_command_makes_only_sound_staff_accounts,
    |app: ProductApp| async move {
        let store = &app.deps.store;
        let create = |login: &'static str, role: &'static str, password: Option<&'static str>| {
            lumira::Lumira.admin_create(store, login, role, password)
        };
        assert!(create("new@lumira.test", "expert", None).await.is_err());
        assert!(
            create("new@lumira.test", "expert", Some("short"))
                .await
                .is_err()
        );
        assert!(
            create("new@lumira.test", "client", Some(PASSWORD))
                .await
                .is_err()
        );
        assert!(
            create("new@lumira.test", "owner", Some(PASSWORD))
                .await
                .is_err()
        );
        assert!(
            create("not an email", "expert", Some(PASSWORD))
                .await
                .is_err()
        );
        // Made once; a second call changes the role and keeps the account.
        let first = create("new@lumira.test", "expert", Some(PASSWORD))
            .await
            .unwrap();
        let second = create("new@lumira.test", "admin", None).await.unwrap();
        let id = |line: &str| line.split_whitespace().nth(2).unwrap().to_owned();
        assert_eq!(id(&first), id(&second));
        assert!(second.ends_with("now has role admin"), "{second}");
        let body = sign_in(&app, "/api/auth/login", "new@lumira.test").await;
        assert_eq!(body["user"]["role"], "admin");
    }
);

both!(
    an_account_made_before_the_sign_in_copy_still_signs_in_and_gets_it,
    |app: ProductApp| async move {
        let store = &app.deps.store;
        staff_account(&app, "Jean Dupont <jean@lumira.test>", "expert").await;
        // The login item as accounts were first written: only the account it names.
        let key = store::Key::new("STAFFLOGIN#jean@lumira.test", "LOGIN");
        let copy = store.get(&key).await.unwrap().unwrap();
        assert_eq!(copy["role"], "expert", "{copy:?}");
        let mut bare = key.to_item();
        bare.insert("accountId".into(), copy["accountId"].clone());
        store.put(bare, None).await.unwrap();

        let body = sign_in(&app, "/api/expert/login", "jean@lumira.test").await;
        assert_eq!(body["expert"]["name"], "Jean Dupont");

        // The admin command gives it a new role and password, and the copy with them.
        let new_password = "another long enough password";
        lumira::Lumira
            .admin_create(store, "jean@lumira.test", "admin", Some(new_password))
            .await
            .unwrap();
        let copy = store.get(&key).await.unwrap().unwrap();
        assert_eq!(copy["role"], "admin");
        assert_eq!(copy["name"], "Jean Dupont");
        let body = sign_in_with(&app, "/api/auth/login", "jean@lumira.test", new_password).await;
        assert_eq!(body["user"]["role"], "admin");
        let old = app
            .post(
                "/api/auth/login",
                None,
                json!({"email": "jean@lumira.test", "password": PASSWORD}),
            )
            .await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED, "{:?}", old.body);
        assert_eq!(old.body, json!({"error": "Invalid email or password"}));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_are_rate_limited_per_ip() {
    let app = ProductApp::spawn_with(&lumira::Lumira, Backend::Embedded, |env| {
        env.with("LOGIN_RATE_LIMIT_MAX", "3")
    })
    .await;
    staff_account(&app, "ada@lumira.test", "admin").await;
    let attempt = || {
        app.post(
            "/api/expert/login",
            None,
            json!({"email": "ada@lumira.test", "password": "wrong password"}),
        )
    };
    for _ in 0..3 {
        assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    }
    let limited = attempt().await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        limited.body,
        json!({"error": "Too many login attempts, please try again later"})
    );
    // The other login counts against the same limit: one guess budget per IP.
    let other = app
        .post(
            "/api/auth/login",
            None,
            json!({"email": "ada@lumira.test", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{:?}",
        other.body
    );
}
