//! Reviews: written once per client and provider, read by anyone, moderated by an admin; the
//! provider's average always counts its visible reviews, however many are written at once.

use super::*;

/// A verified provider's id.
async fn provider(app: &ProductApp, admin: &str) -> String {
    let id = super::providers::approved(app, admin, "salon@example.com").await;
    let verify = format!("/api/admin/providers/{id}/verify");
    let reply = app
        .put(&verify, Some(admin), json!({"isVerified": true}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    id
}

async fn review(app: &ProductApp, token: &str, provider: &str, rating: u8) -> api_tests::Reply {
    let path = format!("/api/providers/{provider}/reviews");
    app.post(
        &path,
        Some(token),
        json!({"rating": rating, "comment": "Très bon service"}),
    )
    .await
}

async fn ratings(app: &ProductApp, provider: &str) -> (f64, u64) {
    let reply = app.get(&format!("/api/providers/{provider}"), None).await;
    let provider = &reply.body["data"]["provider"];
    (
        provider["averageRating"].as_f64().unwrap(),
        provider["totalReviews"].as_u64().unwrap(),
    )
}

both!(
    clients_review_once_and_the_average_follows,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let id = provider(&app, &admin).await;
        let fatou = register(&app, "fatou@example.com", "Fatou", "Kamga").await;
        let jean = register(&app, "jean@example.com", "Jean", "Fokou").await;
        let first = review(&app, fatou["token"].as_str().unwrap(), &id, 5).await;
        assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
        assert_eq!(first.body["message"], "Avis publié");
        assert_eq!(first.body["data"]["review"]["author"], "Fatou K.");
        assert_eq!(first.body["data"]["review"]["rating"], 5);
        let second = review(&app, jean["token"].as_str().unwrap(), &id, 4).await;
        assert_eq!(second.status, StatusCode::CREATED);
        assert_eq!(ratings(&app, &id).await, (4.5, 2));

        let again = review(&app, fatou["token"].as_str().unwrap(), &id, 1).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(
            again.body,
            json!({"success": false, "message": "Vous avez déjà donné votre avis sur ce prestataire"})
        );
        let path = format!("/api/providers/{id}/reviews");
        let bad = app
            .post(
                &path,
                jean["token"].as_str(),
                json!({"rating": 6, "comment": ""}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let errors = bad.body["errors"].as_object().unwrap();
        assert!(
            errors.contains_key("rating") && errors.contains_key("comment"),
            "{errors:?}"
        );

        let list = app.get(&path, None).await;
        assert_eq!(list.status, StatusCode::OK);
        let authors: Vec<&str> = list.body["data"]["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["author"].as_str().unwrap())
            .collect();
        assert_eq!(authors, ["Jean F.", "Fatou K."]);
        assert_eq!(list.body["data"]["pagination"]["total"], 2);

        // Its own provider's account may not review it.
        let own = login(&app, "salon@example.com", PASSWORD).await;
        let own = review(&app, own.body["data"]["token"].as_str().unwrap(), &id, 5).await;
        assert_eq!(own.status, StatusCode::BAD_REQUEST);
        let unknown = review(
            &app,
            jean["token"].as_str().unwrap(),
            &uuid::Uuid::new_v4().to_string(),
            5,
        )
        .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
);

both!(
    a_hidden_review_is_kept_and_leaves_the_average,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let id = provider(&app, &admin).await;
        let fatou = register(&app, "fatou@example.com", "Fatou", "Kamga").await;
        let jean = register(&app, "jean@example.com", "Jean", "Fokou").await;
        let five = review(&app, fatou["token"].as_str().unwrap(), &id, 5).await;
        review(&app, jean["token"].as_str().unwrap(), &id, 3).await;
        let review_id = five.body["data"]["review"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/api/admin/reviews/{review_id}/visibility");
        let hidden = app
            .put(&path, Some(&admin), json!({"isVisible": false}))
            .await;
        assert_eq!(hidden.status, StatusCode::OK, "{:?}", hidden.body);
        assert_eq!(hidden.body["message"], "Avis masqué");
        assert_eq!(hidden.body["data"]["review"]["isVisible"], false);
        assert_eq!(
            hidden.body["data"]["review"]["providerName"],
            "Salon Marie Coiffure"
        );
        assert_eq!(ratings(&app, &id).await, (3.0, 1));
        let public = app.get(&format!("/api/providers/{id}/reviews"), None).await;
        assert_eq!(public.body["data"]["reviews"].as_array().unwrap().len(), 1);
        let masked = app
            .get("/api/admin/reviews?visible=false", Some(&admin))
            .await;
        assert_eq!(masked.body["data"]["reviews"][0]["id"], review_id.as_str());
        assert_eq!(masked.body["data"]["pagination"]["total"], 1);
        let all = app.get("/api/admin/reviews", Some(&admin)).await;
        assert_eq!(all.body["data"]["pagination"]["total"], 2);

        let shown = app
            .put(&path, Some(&admin), json!({"isVisible": true}))
            .await;
        assert_eq!(shown.body["message"], "Avis affiché");
        assert_eq!(ratings(&app, &id).await, (4.0, 2));
        let audit = app
            .get("/api/admin/audit-logs?entityType=Review", Some(&admin))
            .await;
        let actions: Vec<&str> = audit.body["data"]["logs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["review.show", "review.hide"]);
        let unknown = format!("/api/admin/reviews/{}/visibility", uuid::Uuid::new_v4());
        let missing = app
            .put(&unknown, Some(&admin), json!({"isVisible": true}))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            missing.body,
            json!({"success": false, "message": "Avis non trouvé"})
        );
    }
);

both!(
    reviews_written_at_once_lose_nothing,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let id = provider(&app, &admin).await;
        let mut tokens = Vec::new();
        for i in 0..8 {
            let client = register(&app, &format!("client{i}@example.com"), "Client", "Test").await;
            tokens.push(client["token"].as_str().unwrap().to_owned());
        }
        let ratings_given = [5, 4, 3, 5, 2, 4, 5, 1];
        let writes = tokens
            .iter()
            .zip(ratings_given)
            .map(|(token, rating)| review(&app, token, &id, rating));
        for reply in futures_util::future::join_all(writes).await {
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        }
        let sum: u64 = ratings_given.iter().map(|r| u64::from(*r)).sum();
        let expected = (sum as f64 / 8.0 * 100.0).round() / 100.0;
        assert_eq!(ratings(&app, &id).await, (expected, 8));
    }
);
