//! `marketplace-admin.md` §10: banners made, changed and removed by admins with their images,
//! and the public list of those showing now.

use super::*;
use reqwest::Method;

pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00banner";
const WEBP: &[u8] = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00banner-two";

/// Creates a banner with `fields` and a PNG image; the answer's banner.
async fn banner(app: &ProductApp, admin: &str, fields: &[(&str, &str)]) -> Value {
    let reply = app
        .post_multipart_as(
            "/api/banners",
            Some(admin),
            fields,
            &[("bannerImage", "promo.png", "image/png", PNG)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["data"]["banner"].clone()
}

fn titles(reply: &api_tests::Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]["banners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["title"].as_str().unwrap().to_owned())
        .collect()
}

both!(
    the_site_shows_active_banners_within_their_dates,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let tabaski = banner(
            &app,
            &admin,
            &[
                ("title", "Promo de la Tabaski"),
                ("description", "-20 % chez nos coiffeurs"),
                ("linkUrl", "https://marketplace.example.com/promo"),
                ("type", "sidebar"),
                ("order", "2"),
                ("startDate", "2020-01-01"),
            ],
        )
        .await;
        assert_eq!(tabaski["type"], "sidebar");
        assert_eq!(tabaski["order"], 2);
        assert_eq!(tabaski["isActive"], true);
        assert_eq!(tabaski["startDate"], "2020-01-01T00:00:00.000Z");
        assert!(tabaski.get("imageKey").is_none(), "{tabaski}");
        let (status, bytes) = api_tests::download(tabaski["imageUrl"].as_str().unwrap()).await;
        assert_eq!((status, bytes.as_slice()), (200, PNG));
        banner(&app, &admin, &[("title", "Bienvenue"), ("order", "1")]).await;
        banner(
            &app,
            &admin,
            &[("title", "Échue"), ("endDate", "2021-12-31")],
        )
        .await;
        banner(
            &app,
            &admin,
            &[("title", "À venir"), ("startDate", "2999-01-01")],
        )
        .await;
        banner(&app, &admin, &[("title", "Éteinte"), ("isActive", "false")]).await;

        let public = app.get("/api/banners", None).await;
        assert_eq!(titles(&public), ["Bienvenue", "Promo de la Tabaski"]);
        let sidebar = app.get("/api/banners?type=sidebar", None).await;
        assert_eq!(titles(&sidebar), ["Promo de la Tabaski"]);
        let bad = app.get("/api/banners?type=bottom", None).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.body["success"], false);

        let every = app.get("/api/banners/admin", Some(&admin)).await;
        assert_eq!(titles(&every).len(), 5);
        let client = register(&app, "fatou@example.com", "Fatou", "Kamga").await;
        let client = client["token"].as_str().unwrap();
        let forbidden = app.get("/api/banners/admin", Some(client)).await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
        let anonymous = app
            .post_multipart_as("/api/banners", None, &[("title", "X")], &[])
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
);

both!(
    a_banner_form_is_checked_before_anything_is_kept,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let no_image = app
            .post_multipart_as(
                "/api/banners",
                Some(&admin),
                &[("title", "Sans image")],
                &[],
            )
            .await;
        assert_eq!(no_image.status, StatusCode::BAD_REQUEST);
        assert!(
            no_image.body["errors"]["bannerImage"].is_array(),
            "{:?}",
            no_image.body
        );
        let bad = app
            .post_multipart_as(
                "/api/banners",
                Some(&admin),
                &[
                    ("type", "bottom"),
                    ("order", "-1"),
                    ("isActive", "oui"),
                    ("linkUrl", "javascript:alert(1)"),
                    ("startDate", "demain"),
                ],
                &[("bannerImage", "promo.png", "image/png", PNG)],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let errors = bad.body["errors"].as_object().unwrap();
        for field in ["title", "type", "order", "isActive", "linkUrl", "startDate"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        let backwards = app
            .post_multipart_as(
                "/api/banners",
                Some(&admin),
                &[
                    ("title", "À l'envers"),
                    ("startDate", "2026-06-30"),
                    ("endDate", "2026-06-01"),
                ],
                &[("bannerImage", "promo.png", "image/png", PNG)],
            )
            .await;
        assert_eq!(backwards.status, StatusCode::BAD_REQUEST);
        assert!(backwards.body["errors"]["endDate"].is_array());
        let pdf = app
            .post_multipart_as(
                "/api/banners",
                Some(&admin),
                &[("title", "Un PDF")],
                &[(
                    "bannerImage",
                    "promo.png",
                    "image/png",
                    super::applications::PDF,
                )],
            )
            .await;
        assert!(pdf.status.is_client_error(), "{:?}", pdf.status);
        assert_eq!(pdf.body["success"], false);
        let every = app.get("/api/banners/admin", Some(&admin)).await;
        assert!(titles(&every).is_empty());
    }
);

both!(
    an_admin_changes_and_removes_a_banner_and_its_images_go,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let first = banner(
            &app,
            &admin,
            &[("title", "Promo"), ("description", "Texte"), ("order", "3")],
        )
        .await;
        let path = format!("/api/banners/{}", first["id"].as_str().unwrap());
        let old_image = first["imageUrl"].as_str().unwrap().to_owned();

        let changed = app
            .multipart(
                Method::PUT,
                &path,
                Some(&admin),
                &[
                    ("title", "Promo de Noël"),
                    ("description", ""),
                    ("type", "popup"),
                ],
                &[("bannerImage", "noel.webp", "image/webp", WEBP)],
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
        let banner = &changed.body["data"]["banner"];
        assert_eq!(banner["title"], "Promo de Noël");
        assert_eq!(banner["description"], Value::Null);
        assert_eq!(banner["type"], "popup");
        assert_eq!(banner["order"], 3, "a field not sent stays");
        let (status, bytes) = api_tests::download(banner["imageUrl"].as_str().unwrap()).await;
        assert_eq!((status, bytes.as_slice()), (200, WEBP));
        let (status, _) = api_tests::download(&old_image).await;
        assert_eq!(status, 404, "the old image is removed from the bucket");

        let blank_title = app
            .multipart(Method::PUT, &path, Some(&admin), &[("title", " ")], &[])
            .await;
        assert_eq!(blank_title.status, StatusCode::BAD_REQUEST);

        let log = app
            .get("/api/admin/audit-logs?entityType=Banner", Some(&admin))
            .await;
        let actions: Vec<&str> = log.body["data"]["logs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["banner.update", "banner.create"]);

        let removed = app.delete(&path, Some(&admin)).await;
        assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
        assert_eq!(
            removed.body,
            json!({"success": true, "message": "Bannière supprimée"})
        );
        let (status, _) = api_tests::download(banner["imageUrl"].as_str().unwrap()).await;
        assert_eq!(status, 404);
        assert!(titles(&app.get("/api/banners/admin", Some(&admin)).await).is_empty());
        let again = app.delete(&path, Some(&admin)).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert_eq!(again.body["message"], "Bannière non trouvée");
    }
);
