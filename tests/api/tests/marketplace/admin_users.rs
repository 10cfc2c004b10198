//! `marketplace-admin.md` §2: the admin's list of accounts, its search and filters, and an
//! account's status.

use super::*;

/// Registers the clients the list is read over, oldest first.
async fn clients(app: &ProductApp) {
    for (email, first, last) in [
        ("fatou.onana@example.com", "Fatou", "Onana"),
        ("jean.fokou@example.com", "Jean", "Fokou"),
        ("elodie.mbarga@example.com", "Élodie", "Mbarga"),
        ("marie.ndiaye@example.com", "Marie Claire", "Ndiaye"),
    ] {
        register(app, email, first, last).await;
    }
}

fn emails(reply: &api_tests::Reply) -> Vec<String> {
    reply.body["data"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect()
}

both!(
    the_list_leaves_admins_out_unless_asked,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        clients(&app).await;
        let all = app.get("/api/admin/users", Some(&admin)).await;
        assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
        assert_eq!(all.body["success"], true);
        assert_eq!(
            emails(&all),
            [
                "marie.ndiaye@example.com",
                "elodie.mbarga@example.com",
                "jean.fokou@example.com",
                "fatou.onana@example.com"
            ]
        );
        assert_eq!(
            all.body["data"]["pagination"],
            json!({"page": 1, "limit": 20, "total": 4, "totalPages": 1})
        );
        let first = &all.body["data"]["users"][0];
        assert!(first.get("passwordHash").is_none(), "{first:?}");

        let admins = app.get("/api/admin/users?role=admin", Some(&admin)).await;
        assert_eq!(emails(&admins).len(), 1);
        assert_eq!(admins.body["data"]["users"][0]["role"], "admin");
        let providers = app
            .get("/api/admin/users?role=provider", Some(&admin))
            .await;
        assert_eq!(emails(&providers), Vec::<String>::new());
        assert_eq!(providers.body["data"]["pagination"]["total"], 0);

        let page = app
            .get("/api/admin/users?page=2&limit=3", Some(&admin))
            .await;
        assert_eq!(emails(&page), ["fatou.onana@example.com"]);
        assert_eq!(
            page.body["data"]["pagination"],
            json!({"page": 2, "limit": 3, "total": 4, "totalPages": 2})
        );
        let capped = app.get("/api/admin/users?limit=1000", Some(&admin)).await;
        assert_eq!(capped.body["data"]["pagination"]["limit"], 100);

        let bad = app
            .get("/api/admin/users?role=superuser", Some(&admin))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            bad.body,
            json!({"success": false, "message": "Rôle invalide", "details": "Les rôles valides sont: client, provider, admin"})
        );
    }
);

both!(
    a_search_finds_the_start_of_a_name_or_an_email,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        clients(&app).await;
        let search = |text: &str| {
            let path = format!("/api/admin/users?search={text}");
            let app = &app;
            let admin = admin.clone();
            async move { app.get(&path, Some(&admin)).await }
        };
        // Case and accents do not matter; a first name of two words is found by each.
        assert_eq!(emails(&search("ELO").await), ["elodie.mbarga@example.com"]);
        assert_eq!(
            emails(&search("%C3%A9lodie").await),
            ["elodie.mbarga@example.com"]
        );
        assert_eq!(emails(&search("mbar").await), ["elodie.mbarga@example.com"]);
        assert_eq!(
            emails(&search("claire").await),
            ["marie.ndiaye@example.com"]
        );
        assert_eq!(emails(&search("jean.f").await), ["jean.fokou@example.com"]);
        // Found by two words (`fatou` and `fatou.onana@...`), listed once, in the order of
        // the words found.
        let found = search("f").await;
        assert_eq!(
            emails(&found),
            ["fatou.onana@example.com", "jean.fokou@example.com"]
        );
        assert_eq!(found.body["data"]["pagination"]["total"], 2);
        assert_eq!(emails(&search("zz").await), Vec::<String>::new());
        // Admins only when asked for.
        let me = app.get("/api/auth/me", Some(&admin)).await;
        let email = me.body["data"]["email"].as_str().unwrap().to_owned();
        assert_eq!(emails(&search(&email[..8]).await), Vec::<String>::new());
        let path = format!("/api/admin/users?role=admin&search={}", &email[..8]);
        assert_eq!(emails(&app.get(&path, Some(&admin)).await), [email]);
    }
);

both!(only_an_admin_reads_the_list, |app: ProductApp| async move {
    let client = register(&app, "awa@example.com", "Awa", "Bello").await;
    let forbidden = app.get("/api/admin/users", client["token"].as_str()).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(
        forbidden.body,
        json!({"success": false, "message": "Non autorisé"})
    );
    let anonymous = app.get("/api/admin/users", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.body["success"], false);
});

both!(
    an_admin_cannot_deactivate_themselves,
    |app: ProductApp| async move {
        let (admin, id) = admin(&app).await;
        let own = format!("/api/admin/users/{id}/status");
        let refused = app
            .put(&own, Some(&admin), json!({"isActive": false}))
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused.body,
            json!({"success": false, "message": "Vous ne pouvez pas vous désactiver vous-même"})
        );
        assert_eq!(
            app.get("/api/auth/me", Some(&admin)).await.status,
            StatusCode::OK
        );

        let unknown = format!("/api/admin/users/{}/status", uuid::Uuid::new_v4());
        let missing = app
            .put(&unknown, Some(&admin), json!({"isActive": false}))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            missing.body,
            json!({"success": false, "message": "Utilisateur non trouvé"})
        );
        let malformed = app
            .put(
                "/api/admin/users/42/status",
                Some(&admin),
                json!({"isActive": false}),
            )
            .await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(malformed.body["success"], false);
        let not_bool = app
            .put(&own, Some(&admin), json!({"isActive": "non"}))
            .await;
        assert_eq!(not_bool.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            not_bool.body["errors"],
            json!({"isActive": ["isActive doit être un booléen"]})
        );

        let client = register(&app, "awa@example.com", "Awa", "Bello").await;
        let path = format!(
            "/api/admin/users/{}/status",
            client["user"]["id"].as_str().unwrap()
        );
        let off = app
            .put(&path, Some(&admin), json!({"isActive": false}))
            .await;
        assert_eq!(off.body["message"], "Utilisateur désactivé");
        assert_eq!(off.body["data"]["user"]["isActive"], false);
        assert_eq!(off.body["data"]["user"]["email"], "awa@example.com");
    }
);
