//! `/api/templates/`: the three documented designs.

use super::*;

both!(
    the_documented_designs_are_listed,
    |app: ProductApp| async move {
        let all = app.get("/api/templates/", None).await;
        assert_eq!(all.status, StatusCode::OK);
        let names: Vec<&str> = all
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Modern Professional",
                "Creative Designer",
                "Executive Elite"
            ]
        );
        assert_eq!(
            all.body[0],
            json!({"id": 1, "name": "Modern Professional",
               "description": "Un template moderne et épuré pour professionnels",
               "thumbnail": null, "is_premium": false, "is_active": true,
               "created_at": "2025-10-01T10:00:00Z"})
        );
        let free = app.get("/api/templates/free/", None).await;
        let ids = |r: &Reply| {
            r.body
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&free), [1]);
        let premium = app.get("/api/templates/premium/", None).await;
        assert_eq!(ids(&premium), [2, 3]);
        assert!(
            premium
                .body
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["is_premium"] == true)
        );
    }
);

both!(
    a_design_comes_with_its_html_and_its_own_css,
    |app: ProductApp| async move {
        let modern = app.get("/api/templates/1/", None).await;
        let elite = app.get("/api/templates/3/", None).await;
        assert_eq!(modern.status, StatusCode::OK);
        let html = modern.body["template_html"].as_str().unwrap();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("{{ resume.full_name }}"));
        let (a, b) = (
            modern.body["template_css"].as_str().unwrap(),
            elite.body["template_css"].as_str().unwrap(),
        );
        assert!(a.contains("@page") && b.contains("@page") && a != b);
        assert_eq!(elite.body["name"], "Executive Elite");
        for missing in [
            "/api/templates/9/",
            "/api/templates/abc/",
            "/api/templates/0/",
        ] {
            let reply = app.get(missing, None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
            assert_eq!(reply.body, json!({"detail": "Not found."}));
        }
    }
);
