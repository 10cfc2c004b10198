//! `marketplace-admin.md` §1: the API's traffic as it counts itself, request by request,
//! before each answer leaves.

use super::*;

both!(
    every_answered_request_is_counted_by_route_and_hour,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await; // one POST /api/auth/login
        for _ in 0..3 {
            assert_eq!(app.get("/api/providers", None).await.status, StatusCode::OK);
        }
        let absent = format!("/api/providers/{}", uuid::Uuid::new_v4());
        assert_eq!(app.get(&absent, None).await.status, StatusCode::NOT_FOUND);

        let reply = app.get("/api/admin/analytics", Some(&admin)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let body = &reply.body;
        assert_eq!(body["stats"]["totalRequests"], 5, "{body}");
        assert_eq!(body["stats"]["errorRate"], 0.2);
        assert!(body["stats"]["avgResponseTime"].is_u64());
        assert_eq!(body["days"], 30);
        let endpoints: Vec<(&str, u64)> = body["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["endpoint"].as_str().unwrap(),
                    e["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            endpoints,
            [
                ("GET /api/providers", 3),
                ("GET /api/providers/{id}", 1),
                ("POST /api/auth/login", 1)
            ]
        );
        assert_eq!(body["endpoints"][1]["errorRate"], 1.0);

        let today = web::time::now()[..10].to_owned();
        let hourly = app
            .get(
                &format!("/api/admin/analytics/hourly?date={today}"),
                Some(&admin),
            )
            .await;
        assert_eq!(hourly.status, StatusCode::OK, "{:?}", hourly.body);
        assert_eq!(hourly.body["date"], today.as_str());
        let hours = hourly.body["hours"].as_array().unwrap();
        assert_eq!(hours.len(), 24);
        let counted: u64 = hours.iter().map(|h| h["requests"].as_u64().unwrap()).sum();
        assert_eq!(counted, 6, "the five, and the overview read before");
        assert_eq!(hourly.body["stats"]["totalRequests"], 6);
        let quiet = app
            .get("/api/admin/analytics/hourly?date=2020-01-15", Some(&admin))
            .await;
        assert_eq!(quiet.body["stats"]["totalRequests"], 0);

        for bad in [
            "/api/admin/analytics?days=0",
            "/api/admin/analytics/hourly?date=2026-13-01",
        ] {
            let refused = app.get(bad, Some(&admin)).await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(refused.body["success"], false);
        }
    }
);
