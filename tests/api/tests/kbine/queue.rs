//! The staff's work queue: pending orders oldest first, the orders assigned to me, and the
//! counts by status, each from one partition and counters.
use api_tests::{Session, TestApp, both};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn order(app: &TestApp, client: &Session) -> i64 {
    app.place_order(&client.token, 1, "0701020304", "wave")
        .await
}

/// The ids a list answers, and its total.
async fn listed(app: &TestApp, who: &Session, query: &str) -> (Vec<i64>, Value) {
    let reply = app
        .get(&format!("/api/orders{query}"), Some(&who.token))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
    let ids = reply.body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    (ids, reply.body["pagination"]["total"].clone())
}

async fn assign(app: &TestApp, admin: &Session, id: i64, to: &Session) {
    let reply = app
        .put(
            &format!("/api/orders/{id}/assign"),
            Some(&admin.token),
            json!({"staff_id": to.id}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

both!(
    staff_see_the_oldest_pending_first_and_their_own_orders,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let admin = app.admin().await;
        let (a, b, c) = (
            order(&app, &client).await,
            order(&app, &client).await,
            order(&app, &client).await,
        );
        let queue = listed(&app, &staff, "?status=pending&sort=oldest").await;
        assert_eq!(queue, (vec![a, b, c], json!(3)));
        assert_eq!(listed(&app, &staff, "?status=pending").await.0, [c, b, a]);
        assert_eq!(listed(&app, &staff, "?sort=newest&limit=1").await.0, [c]);
        assert_eq!(listed(&app, &client, "?sort=oldest").await.0, [a, b, c]);

        assign(&app, &admin, b, &staff).await;
        assign(&app, &admin, a, &staff).await;
        assert_eq!(
            listed(&app, &staff, "?assigned_to=me").await,
            (vec![b, a], json!(2))
        );
        assert_eq!(
            listed(&app, &staff, "?assigned_to=me&sort=oldest").await.0,
            [a, b]
        );
        assert_eq!(
            listed(&app, &admin, "?assigned_to=me").await,
            (vec![], json!(0))
        );
        assert_eq!(
            listed(&app, &staff, "?status=pending&sort=oldest").await.0,
            [c]
        );

        // A change shows in the assignee's list; a reassignment moves the order across.
        let started = app
            .put(
                &format!("/api/orders/{b}/status"),
                Some(&staff.token),
                json!({"status": "processing"}),
            )
            .await;
        assert_eq!(started.status, StatusCode::OK);
        let reply = app
            .get(
                "/api/orders?assigned_to=me&status=processing",
                Some(&staff.token),
            )
            .await;
        assert_eq!(reply.body["orders"][0]["id"], b);
        assert_eq!(reply.body["orders"][0]["status"], "processing");
        assert_eq!(reply.body["pagination"]["total"], 1);
        assert_eq!(
            listed(&app, &staff, "?assigned_to=me&status=assigned").await,
            (vec![a], json!(1))
        );
        assign(&app, &admin, a, &admin).await;
        assert_eq!(
            listed(&app, &staff, "?assigned_to=me").await,
            (vec![b], json!(1))
        );
        assert_eq!(
            listed(&app, &admin, "?assigned_to=me").await,
            (vec![a], json!(1))
        );
        // Back to pending, it is nobody's.
        let back = app
            .put(
                &format!("/api/orders/{a}/status"),
                Some(&admin.token),
                json!({"status": "pending"}),
            )
            .await;
        assert_eq!(back.status, StatusCode::OK);
        assert_eq!(
            listed(&app, &admin, "?assigned_to=me").await,
            (vec![], json!(0))
        );

        let counts = app.get("/api/orders/counts", Some(&staff.token)).await;
        assert_eq!(counts.status, StatusCode::OK, "{:?}", counts.body);
        assert_eq!(
            counts.body,
            json!({
                "total": 3,
                "by_status": {"pending": 2, "assigned": 0, "processing": 1, "completed": 0,
                              "cancelled": 0, "refunded": 0},
                "assigned_to_me": {
                    "total": 1,
                    "by_status": {"pending": 0, "assigned": 0, "processing": 1, "completed": 0,
                                  "cancelled": 0, "refunded": 0},
                },
            })
        );
    }
);

both!(
    the_queue_refuses_what_it_does_not_know,
    |app: TestApp| async move {
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let mine = app
            .get("/api/orders?assigned_to=me", Some(&client.token))
            .await;
        assert_eq!(mine.status, StatusCode::FORBIDDEN);
        assert_eq!(mine.body, json!({"error": "Accès non autorisé"}));
        let counts = app.get("/api/orders/counts", Some(&client.token)).await;
        assert_eq!(counts.status, StatusCode::FORBIDDEN);
        for (query, details) in [
            ("?assigned_to=5", "assigned_to n'accepte que me"),
            ("?sort=up", "sort doit être newest ou oldest"),
        ] {
            let reply = app
                .get(&format!("/api/orders{query}"), Some(&staff.token))
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
            assert_eq!(
                reply.body,
                json!({"error": "Paramètres de requête invalides", "details": details})
            );
        }
    }
);
