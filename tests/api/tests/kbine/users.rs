use api_tests::{TestApp, both};
use reqwest::StatusCode;
use serde_json::json;

both!(profile_shows_the_caller, |app: TestApp| async move {
    let session = app.login("0701020304").await;
    let reply = app.get("/api/users/profile", Some(&session.token)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["id"], session.id);
    assert_eq!(reply.body["phone_number"], "0701020304");
    assert_eq!(reply.body["role"], "client");
    let created = reply.body["created_at"].as_str().unwrap();
    assert_eq!(created.len(), "2025-01-15T10:30:00.000Z".len(), "{created}");
    assert!(created.ends_with('Z') && created.contains('.'));
    assert!(reply.body["updated_at"].is_string());
    let missing = app.get("/api/users/profile", None).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.body, json!({"error": "Token d'accès requis"}));
});

both!(
    admin_lists_users_with_role_filter_and_pages,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let staff = app.staff().await;
        for i in 0..5 {
            app.login(&format!("07000001{i:02}")).await;
        }
        let all = app.get("/api/users?limit=3", Some(&admin.token)).await;
        assert_eq!(all.status, StatusCode::OK);
        assert_eq!(
            all.body["pagination"],
            json!({"page": 1, "limit": 3, "total": 7, "totalPages": 3})
        );
        assert_eq!(all.body["users"].as_array().unwrap().len(), 3);
        let first = &all.body["users"][0];
        assert!(
            first["id"].is_i64()
                && first["phone_number"].is_string()
                && first["created_at"].is_string()
        );
        assert!(first.get("updated_at").is_none());

        let mut seen = Vec::new();
        for page in 1..=3 {
            let reply = app
                .get(
                    &format!("/api/users?limit=3&page={page}"),
                    Some(&admin.token),
                )
                .await;
            seen.extend(
                reply.body["users"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u["id"].as_i64().unwrap()),
            );
        }
        seen.sort();
        assert_eq!(
            seen,
            (1..=7).collect::<Vec<_>>(),
            "every user once across pages"
        );

        let clients = app.get("/api/users?role=client", Some(&admin.token)).await;
        assert_eq!(clients.body["pagination"]["total"], 5);
        assert!(
            clients.body["users"]
                .as_array()
                .unwrap()
                .iter()
                .all(|u| u["role"] == "client")
        );
        let staff_list = app.get("/api/users?role=staff", Some(&admin.token)).await;
        assert_eq!(staff_list.body["users"][0]["id"], staff.id);
        assert_eq!(staff_list.body["pagination"]["total"], 1);

        let bad_role = app.get("/api/users?role=boss", Some(&admin.token)).await;
        assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
        let bad_page = app.get("/api/users?page=zero", Some(&admin.token)).await;
        assert_eq!(bad_page.status, StatusCode::BAD_REQUEST);
        let as_staff = app.get("/api/users", Some(&staff.token)).await;
        assert_eq!(as_staff.status, StatusCode::FORBIDDEN);
        assert_eq!(as_staff.body, json!({"error": "Accès non autorisé"}));
        assert_eq!(
            app.get("/api/users", None).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
);

both!(
    promoted_user_gets_the_new_role_at_next_login,
    |app: TestApp| async move {
        let before = app.login("0101010101").await;
        assert_eq!(
            app.get("/api/users", Some(&before.token)).await.status,
            StatusCode::FORBIDDEN
        );
        let after = app.user_with_role("0101010101", "admin").await;
        assert_eq!(after.id, before.id);
        let reply = app.get("/api/users?role=admin", Some(&after.token)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body["pagination"]["total"], 1);
        let clients = app.get("/api/users?role=client", Some(&after.token)).await;
        assert_eq!(
            clients.body["pagination"]["total"], 0,
            "role totals follow promotions"
        );
    }
);

// Regression (found by scripts/fuzz-openapi.sh): the document promises any positive integer
// for `limit` (capped at 100) and pages up to 100000; a limit past 2^32 used to be refused,
// and whether a page was refused depended on the limit.
both!(
    pagination_caps_any_limit_and_bounds_the_page,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let huge = app
            .get("/api/users?limit=99999999999999999999", Some(&admin.token))
            .await;
        assert_eq!(huge.status, StatusCode::OK);
        assert_eq!(huge.body["pagination"]["limit"], 100);
        let deepest = app
            .get("/api/users?page=100000&limit=100", Some(&admin.token))
            .await;
        assert_eq!(deepest.status, StatusCode::OK);
        assert_eq!(deepest.body["users"], json!([]));
        for query in ["page=100001&limit=1", "page=99999999999999999999"] {
            let reply = app
                .get(&format!("/api/users?{query}"), Some(&admin.token))
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
            assert_eq!(
                reply.body,
                json!({"error": "Paramètres de pagination invalides",
                       "details": "page trop grande"}),
                "{query}"
            );
        }
    }
);

both!(
    a_role_change_takes_effect_at_once,
    |app: TestApp| async move {
        // An admin demoted by the admin command: the token it holds is refused at once,
        // not when it expires, and its next login is a client's.
        let admin = app.admin().await;
        let list = app.get("/api/users", Some(&admin.token)).await;
        assert_eq!(list.status, StatusCode::OK);
        app.change_role("0700000001", "client").await;
        let refused = app.get("/api/users", Some(&admin.token)).await;
        assert_eq!(
            refused.status,
            StatusCode::UNAUTHORIZED,
            "{:?}",
            refused.body
        );
        let renewed = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": admin.refresh_token}),
            )
            .await;
        assert_eq!(renewed.status, StatusCode::UNAUTHORIZED);
        let again = app.login("0700000001").await;
        let profile = app.get("/api/users/profile", Some(&again.token)).await;
        assert_eq!(profile.body["role"], "client");
        let walled = app.get("/api/users", Some(&again.token)).await;
        assert_eq!(walled.status, StatusCode::FORBIDDEN);

        // A promotion ends the old sessions too; the new role comes with the next login.
        app.change_role("0700000001", "staff").await;
        let stale = app.get("/api/users/profile", Some(&again.token)).await;
        assert_eq!(stale.status, StatusCode::UNAUTHORIZED);
        let promoted = app
            .login_with_password("0700000001", api_tests::STAFF_PASSWORD)
            .await;
        let orders = app.get("/api/orders", Some(&promoted.token)).await;
        assert_eq!(orders.status, StatusCode::OK);
        // Giving the role it already has changes nothing: the session stays open.
        app.change_role("0700000001", "staff").await;
        let kept = app.get("/api/users/profile", Some(&promoted.token)).await;
        assert_eq!(kept.status, StatusCode::OK);
        assert_eq!(kept.body["role"], "staff");
    }
);
