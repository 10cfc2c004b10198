//! The public side: providers anyone finds (active and verified, featured first), by
//! activity, town and name, and one of them, whose views are counted.

use super::applications::applicant_as;
use super::*;

/// A provider of `email`, approved and verified by `admin`, with these form fields: its id.
async fn verified(app: &ProductApp, admin: &str, email: &str, fields: &[(&str, &str)]) -> String {
    let (_, _, application) = applicant_as(app, email, fields).await;
    let review = format!(
        "/api/admin/provider-applications/{}/review",
        application["id"].as_str().unwrap()
    );
    let reply = app
        .put(&review, Some(admin), json!({"decision": "approved"}))
        .await;
    let id = reply.body["provider"]["id"].as_str().unwrap().to_owned();
    let verify = format!("/api/admin/providers/{id}/verify");
    let reply = app
        .put(&verify, Some(admin), json!({"isVerified": true}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    id
}

fn form<'a>(name: &'a str, location: &'a str, activities: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("businessName", name),
        ("description", "Un service de qualité à Yaoundé et Douala"),
        ("location", location),
        ("activities", activities),
    ]
}

fn names(reply: &api_tests::Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["businessName"].as_str().unwrap().to_owned())
        .collect()
}

both!(
    the_public_finds_active_verified_providers_featured_first,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let salon = verified(
            &app,
            &admin,
            "a@example.com",
            &form("Salon Élégance", "Yaoundé, Bastos", r#"["coiffure"]"#),
        )
        .await;
        let traiteur = verified(
            &app,
            &admin,
            "b@example.com",
            &form(
                "Traiteur Fatou",
                "Douala, Akwa",
                r#"["traiteur", "Coiffure"]"#,
            ),
        )
        .await;
        let hidden = verified(
            &app,
            &admin,
            "c@example.com",
            &form("Salon Caché", "Yaoundé", r#"["coiffure"]"#),
        )
        .await;
        let (_, _, _) = applicant_as(
            &app,
            "d@example.com",
            &form("Salon Pas Vérifié", "Yaoundé", r#"["coiffure"]"#),
        )
        .await;
        let path = format!("/api/admin/providers/{traiteur}/feature");
        app.put(
            &path,
            Some(&admin),
            json!({"isFeatured": true, "duration": 7}),
        )
        .await;
        let path = format!("/api/admin/providers/{hidden}/status");
        app.put(
            &path,
            Some(&admin),
            json!({"isActive": false, "reason": "Hors des règles"}),
        )
        .await;

        let all = app.get("/api/providers", None).await;
        assert_eq!(names(&all), ["Traiteur Fatou", "Salon Élégance"]);
        assert_eq!(all.body["data"]["pagination"]["total"], 2);
        let card = &all.body["data"]["providers"][1];
        assert_eq!(card["id"], salon.as_str());
        assert!(card.get("documents").is_none() && card.get("verificationNotes").is_none());
        assert_eq!(
            names(&app.get("/api/providers?activity=COIFFURE", None).await),
            ["Traiteur Fatou", "Salon Élégance"]
        );
        assert_eq!(
            names(&app.get("/api/providers?activity=traiteur", None).await),
            ["Traiteur Fatou"]
        );
        assert_eq!(
            names(&app.get("/api/providers?location=yaounde", None).await),
            ["Salon Élégance"]
        );
        assert_eq!(
            names(&app.get("/api/providers?search=ELE", None).await),
            ["Salon Élégance"]
        );
        assert_eq!(
            names(&app.get("/api/providers?search=sal", None).await),
            ["Salon Élégance"]
        );
        assert_eq!(
            names(
                &app.get(
                    "/api/providers?search=traiteur&location=douala&activity=coiffure",
                    None
                )
                .await
            ),
            ["Traiteur Fatou"]
        );
        assert!(names(&app.get("/api/providers?activity=plomberie", None).await).is_empty());
        let second = app.get("/api/providers?limit=1&page=2", None).await;
        assert_eq!(names(&second), ["Salon Élégance"]);
        assert_eq!(
            second.body["data"]["pagination"],
            json!({"page": 2, "limit": 1, "total": 2, "totalPages": 2})
        );
        // Unfeatured, it goes back in its place: the newest first.
        let path = format!("/api/admin/providers/{traiteur}/feature");
        app.put(&path, Some(&admin), json!({"isFeatured": false}))
            .await;
        assert_eq!(
            names(&app.get("/api/providers", None).await),
            ["Traiteur Fatou", "Salon Élégance"]
        );
        let path = format!("/api/admin/providers/{traiteur}/status");
        app.put(
            &path,
            Some(&admin),
            json!({"isActive": false, "reason": "Hors des règles"}),
        )
        .await;
        let left = app.get("/api/providers?activity=coiffure", None).await;
        assert_eq!(names(&left), ["Salon Élégance"]);
        assert_eq!(left.body["data"]["pagination"]["total"], 1);
    }
);

both!(
    a_providers_page_counts_its_views,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let id = verified(
            &app,
            &admin,
            "a@example.com",
            &form("Salon Élégance", "Yaoundé", r#"["coiffure"]"#),
        )
        .await;
        let path = format!("/api/providers/{id}");
        let first = app.get(&path, None).await;
        assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
        assert_eq!(first.body["data"]["provider"]["viewsCount"], 1);
        // An admin's change meanwhile keeps the count.
        let feature = format!("/api/admin/providers/{id}/feature");
        app.put(&feature, Some(&admin), json!({"isFeatured": true}))
            .await;
        let second = app.get(&path, None).await;
        assert_eq!(second.body["data"]["provider"]["viewsCount"], 2);
        assert_eq!(second.body["data"]["provider"]["isFeatured"], true);

        let (_, _, _) = applicant_as(
            &app,
            "b@example.com",
            &form("Pas Vérifié", "Douala", r#"["coiffure"]"#),
        )
        .await;
        let unknown = format!("/api/providers/{}", uuid::Uuid::new_v4());
        let missing = app.get(&unknown, None).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            missing.body,
            json!({"success": false, "message": "Prestataire non trouvé"})
        );
    }
);
