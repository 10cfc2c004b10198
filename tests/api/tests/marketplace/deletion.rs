//! `marketplace-admin.md` §2, `DELETE /users/:id`: an account goes with everything it had,
//! the averages and counters following; its payments stay, anonymised; a deletion that
//! stops halfway is finished by the next run.

use super::payments::{buy, deliver, provider};
use super::*;
use web::product::Product;

/// Marie's provider (A, boosted by a paid boost, with a service), Awa's provider (B), and
/// Fatou, a client who reviewed, contacted and favoured both; Marie reviewed and favoured B.
/// Returns the admin's token and the ids of Marie's account, A and B, and Fatou's token.
async fn marketplace_with_history(app: &ProductApp) -> (String, String, String, String, String) {
    let (admin, marie, a) = provider(app, "marie@example.com").await;
    let (_, awa, b) = provider(app, "awa@example.com").await;
    let service = json!({"name": "Tresses africaines", "price": 15000});
    let added = app
        .post("/api/providers/my-services", Some(&marie), service)
        .await;
    assert_eq!(added.status, StatusCode::CREATED);
    let boost = buy(app, &marie, "boost").await["payment"].clone();
    deliver(
        app,
        "evt_boost_marie",
        "payment_intent.succeeded",
        &boost,
        None,
    )
    .await;
    let fatou = register(app, "fatou@example.com", "Fatou", "Kamga").await;
    let fatou = fatou["token"].as_str().unwrap().to_owned();
    for (who, provider, rating) in [(&fatou, &a, 5), (&fatou, &b, 3), (&marie, &b, 1)] {
        let review = json!({"rating": rating, "comment": "Un avis de plus de dix lettres"});
        let posted = app
            .post(
                &format!("/api/providers/{provider}/reviews"),
                Some(who),
                review,
            )
            .await;
        assert_eq!(posted.status, StatusCode::CREATED, "{:?}", posted.body);
        let favourite = app
            .post(
                &format!("/api/providers/{provider}/favorite"),
                Some(who),
                json!({}),
            )
            .await;
        assert!(favourite.status.is_success(), "{:?}", favourite.body);
    }
    for provider in [&a, &b] {
        let message = json!({"message": "Êtes-vous disponible samedi ?"});
        let sent = app
            .post(
                &format!("/api/providers/{provider}/contact"),
                Some(&fatou),
                message,
            )
            .await;
        assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    }
    let _ = awa;
    let me = app.get("/api/auth/me", Some(&marie)).await;
    let marie_id = me.body["data"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{:?}", me.body))
        .to_owned();
    (admin, marie_id, a, b, fatou)
}

/// What Marie's deletion must have left.
async fn everything_of_marie_is_gone(app: &ProductApp, admin: &str, a: &str, b: &str, fatou: &str) {
    assert_eq!(
        app.get(&format!("/api/providers/{a}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let public = app.get("/api/providers", None).await;
    let ids: Vec<&str> = public.body["data"]["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [b]);
    let rated = app.get(&format!("/api/providers/{b}"), None).await;
    assert_eq!(
        rated.body["data"]["provider"]["averageRating"], 3.0,
        "{:?}",
        rated.body
    );
    assert_eq!(rated.body["data"]["provider"]["totalReviews"], 1);
    let stats = app.get("/api/admin/stats", Some(admin)).await;
    let data = &stats.body["data"];
    assert_eq!(data["providers"]["total"], 1);
    assert_eq!(data["services"]["total"], 0);
    assert_eq!(
        data["reviews"],
        json!({"total": 1, "averageRating": "3.00"})
    );
    assert_eq!(data["contacts"], json!({"total": 1, "pending": 1}));
    assert_eq!(
        data["payments"]["totalAmount"], 2000,
        "payments stay for the totals"
    );
    let reviews = app.get("/api/admin/reviews", Some(admin)).await;
    assert_eq!(reviews.body["data"]["reviews"].as_array().unwrap().len(), 1);
    assert_eq!(
        reviews.body["data"]["pagination"]["total"], 1,
        "counters equal the data"
    );
    let payments = app.get("/api/admin/payments", Some(admin)).await;
    let kept = &payments.body["data"]["payments"][0];
    assert_eq!(
        kept["user"],
        json!({"id": "deleted", "firstName": "Compte", "lastName": "supprimé", "email": ""})
    );
    let favourites = app.get("/api/favorites", Some(fatou)).await;
    let kept: Vec<&str> = favourites.body["data"]["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(kept, [b]);
}

both!(
    an_account_goes_with_everything_it_had,
    |app: ProductApp| async move {
        let (admin, marie, a, b, fatou) = marketplace_with_history(&app).await;
        let signed = login(&app, "marie@example.com", PASSWORD).await;
        let token = signed.body["data"]["token"].as_str().unwrap().to_owned();

        let path = format!("/api/admin/users/{marie}");
        let deleted = app.delete(&path, Some(&admin)).await;
        assert_eq!(deleted.status, StatusCode::OK, "{:?}", deleted.body);
        assert_eq!(deleted.body["message"], "Utilisateur supprimé");
        let gone = &deleted.body["data"]["deletedUser"];
        assert_eq!(
            (gone["email"].as_str(), gone["role"].as_str()),
            (Some("marie@example.com"), Some("provider"))
        );
        assert_eq!(
            (
                gone["hadProvider"].as_bool(),
                gone["providerBusinessName"].as_str()
            ),
            (Some(true), Some("Salon Marie Coiffure"))
        );
        assert_eq!(
            app.get("/api/auth/me", Some(&token)).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            login(&app, "marie@example.com", PASSWORD).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.delete(&path, Some(&admin)).await.status,
            StatusCode::NOT_FOUND
        );
        everything_of_marie_is_gone(&app, &admin, &a, &b, &fatou).await;
        let key = store::Key::new(format!("DELETION#{marie}"), "DELETION");
        assert!(
            app.deps.store.get(&key).await.unwrap().is_none(),
            "finished"
        );
        let log = app
            .get("/api/admin/audit-logs?entityType=User", Some(&admin))
            .await;
        assert_eq!(log.body["data"]["logs"][0]["action"], "user.delete");
        // The same email may register again.
        register(&app, "marie@example.com", "Marie", "Ndiaye").await;
    }
);

both!(
    an_admin_deletes_neither_itself_nor_another_admin,
    |app: ProductApp| async move {
        let (admin, admin_id) = admin(&app).await;
        let (_, other) = super::admin(&app).await;
        let myself = app
            .delete(&format!("/api/admin/users/{admin_id}"), Some(&admin))
            .await;
        assert_eq!(myself.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            myself.body["message"],
            "Vous ne pouvez pas supprimer votre propre compte"
        );
        let peer = app
            .delete(&format!("/api/admin/users/{other}"), Some(&admin))
            .await;
        assert_eq!(peer.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            peer.body["message"],
            "Impossible de supprimer un administrateur"
        );
        let unknown = app
            .delete(
                &format!("/api/admin/users/{}", uuid::Uuid::new_v4()),
                Some(&admin),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deletion_stopped_halfway_is_finished_by_the_next_run() {
    let (app, faulty) =
        ProductApp::spawn_faulty(&marketplace::Marketplace, api_tests::Backend::Embedded).await;
    let (admin, marie, a, b, fatou) = marketplace_with_history(&app).await;
    // The account goes in its first transaction; the store then fails partway through the
    // rest (a crash, a timeout): the answer is given, the deletion stays pending.
    let ops_before_the_rest = 12;
    faulty.fail_after(ops_before_the_rest);
    let deleted = app
        .delete(&format!("/api/admin/users/{marie}"), Some(&admin))
        .await;
    faulty.heal();
    assert_eq!(deleted.status, StatusCode::OK, "{:?}", deleted.body);
    let key = store::Key::new(format!("DELETION#{marie}"), "DELETION");
    assert!(app.deps.store.get(&key).await.unwrap().is_some(), "pending");
    assert_eq!(
        app.get(&format!("/api/providers/{a}"), None).await.status,
        StatusCode::NOT_FOUND
    );

    let env = marketplace::Marketplace.test_env();
    let said = marketplace::Marketplace
        .run_job(&app.deps, &env, "finish_deletions")
        .await
        .unwrap();
    assert_eq!(
        said,
        "finish_deletions: 1 deletions finished, 0 left for the next run"
    );
    assert!(app.deps.store.get(&key).await.unwrap().is_none());
    everything_of_marie_is_gone(&app, &admin, &a, &b, &fatou).await;
}
