//! The back office: clients made by their checkouts, with the aggregates every order write
//! keeps on them; the order list's filters; one order whole; and the workflow's moves, each
//! recorded with who made it, up to delivery.

use super::checkout::{checkout, stripe_client};
use super::staff::{admin_token, sign_in, staff_account};
use super::*;
use payments::localstripe::CARD_OK;
use serde_json::{Value, json};

/// Checks out `product` for `email` and, if it is paid for, pays it (localstripe, then
/// confirm-payment); returns the order's `_id`.
pub async fn paid_order(app: &ProductApp, product: &str, email: &str) -> String {
    let created = checkout(app, product, email).await;
    let intent = created["orderId"].as_str().unwrap();
    if !created["clientSecret"].is_null() {
        assert_eq!(
            stripe_client().pay(intent, CARD_OK).await.unwrap(),
            "succeeded"
        );
        let confirmed = app
            .post(
                "/api/payments/confirm-payment",
                None,
                json!({"paymentIntentId": intent}),
            )
            .await;
        assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    }
    order_id_of(app, intent).await
}

/// An order of `product` for `email`, paid, written, approved and delivered by staff.
pub async fn delivered_order(app: &ProductApp, product: &str, email: &str) -> String {
    let id = paid_order(app, product, email).await;
    let token = admin_token(app).await;
    let content = json!({"reading": format!("La lecture de {email}"), "ritual": "Respirez."});
    for (what, body) in [
        ("status", json!({"status": "processing"})),
        ("content", json!({"generatedContent": content})),
        ("expert-review", json!({"status": "approved"})),
        ("delivered", json!({"deliveryMethod": "sanctuaire"})),
    ] {
        let reply = app
            .patch(&format!("/api/orders/{id}/{what}"), Some(&token), body)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{what}: {:?}", reply.body);
    }
    id
}

/// The `_id` of the order of payment intent `intent`, as the admin's list shows it.
async fn order_id_of(app: &ProductApp, intent: &str) -> String {
    let token = admin_token(app).await;
    let list = app.get("/api/orders?limit=100", Some(&token)).await;
    let orders = list.body["orders"].as_array().unwrap().clone();
    for order in orders {
        let id = order["_id"].as_str().unwrap();
        let whole = app.get(&format!("/api/orders/{id}"), Some(&token)).await;
        if whole.body["paymentIntentId"] == intent {
            return id.to_owned();
        }
    }
    panic!("no order for {intent}")
}

fn ids(list: &Value, field: &str) -> Vec<String> {
    list[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["_id"].as_str().unwrap().to_owned())
        .collect()
}

both!(
    clients_are_made_by_their_orders_and_keep_their_aggregates,
    |app: ProductApp| async move {
        let app = &app;
        let token = admin_token(app).await;
        let free = paid_order(app, "initie_simple", "john.doe@example.com").await;
        let paid = paid_order(app, "mystique_intuitive", "John.Doe@Example.com").await;
        // Ordered, never paid.
        checkout(app, "mystique_intuitive", "john.doe@example.com").await;
        checkout(app, "profond_transformation", "other@example.com").await;

        let list = app.get("/api/users", Some(&token)).await;
        assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
        let users = list.body["users"].as_array().unwrap();
        let emails: Vec<_> = users.iter().map(|u| u["email"].as_str().unwrap()).collect();
        assert_eq!(
            emails,
            ["other@example.com", "john.doe@example.com"],
            "newest first"
        );
        assert_eq!(users[1]["totalOrders"], 3);
        assert_eq!(users[1]["subscriptionStatus"], "inactive");
        assert_eq!(
            list.body["pagination"],
            json!({"current": 1, "total": 1, "count": 2, "limit": 20, "totalItems": 2})
        );
        let john = users[1]["_id"].as_str().unwrap().to_owned();

        let by_email = app
            .get("/api/users?email=JOHN.DOE@example.com", Some(&token))
            .await;
        assert_eq!(ids(&by_email.body, "users"), vec![john.clone()]);
        let none = app
            .get("/api/users?email=nobody@example.com", Some(&token))
            .await;
        assert_eq!(none.body["users"], json!([]));
        assert_eq!(none.body["pagination"]["totalItems"], 0);

        let patched = app
            .patch(
                &format!("/api/users/{john}"),
                Some(&token),
                json!({"firstName": " John ", "lastName": "Doe", "phone": "+33612345678",
                       "subscriptionStatus": "active", "ignored": true}),
            )
            .await;
        assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
        assert_eq!(patched.body["firstName"], "John");
        assert_eq!(patched.body["subscriptionStatus"], "active");
        assert_eq!(patched.body["totalOrders"], 3);
        let got = app.get(&format!("/api/users/{john}"), Some(&token)).await;
        assert_eq!(got.body, patched.body);
        let active = app.get("/api/users?status=active", Some(&token)).await;
        assert_eq!(ids(&active.body, "users"), vec![john.clone()]);
        assert_eq!(active.body["pagination"]["totalItems"], 1);
        let inactive = app.get("/api/users?status=inactive", Some(&token)).await;
        assert_eq!(inactive.body["pagination"]["totalItems"], 1);
        for (body, what) in [
            (json!({}), "nothing"),
            (json!({"subscriptionStatus": "gold"}), "status"),
            (json!({"firstName": 12}), "type"),
            (json!({"firstName": "x".repeat(101)}), "length"),
            (json!({"dateOfBirth": "someday"}), "date"),
        ] {
            let reply = app
                .patch(&format!("/api/users/{john}"), Some(&token), body)
                .await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{what}: {:?}",
                reply.body
            );
        }

        let stats = app
            .get(&format!("/api/users/{john}/stats"), Some(&token))
            .await;
        assert_eq!(stats.status, StatusCode::OK, "{:?}", stats.body);
        let order_stats = &stats.body["orderStats"];
        assert_eq!(order_stats["total"], 3);
        assert_eq!(order_stats["pending"], 1);
        assert_eq!(order_stats["byStatus"]["paid"], 2);
        assert_eq!(order_stats["totalSpent"], 1400);
        assert_eq!(stats.body["levelDistribution"], json!({"1": 1, "2": 2}));
        assert_eq!(stats.body["user"]["firstName"], "John");
        let recent = ids(&stats.body, "recentOrders");
        assert_eq!(recent.len(), 3);
        assert_eq!(recent[1..], [paid, free], "newest first");
        assert_eq!(
            stats.body["recentOrders"][1]["orderNumber"]
                .as_str()
                .unwrap()
                .len(),
            11
        );

        for path in [
            "/api/users/000000000000000000000000",
            "/api/users/000000000000000000000000/stats",
        ] {
            let reply = app.get(path, Some(&token)).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND);
            assert_eq!(reply.body, json!({"error": "User not found"}));
        }
        let malformed = app.get("/api/users/12", Some(&token)).await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(malformed.body, json!({"error": "Invalid id"}));
    }
);

both!(
    the_order_list_filters_through_its_indexes,
    |app: ProductApp| async move {
        let app = &app;
        let token = admin_token(app).await;
        let free = paid_order(app, "initie_simple", "a@example.com").await;
        let paid = paid_order(app, "mystique_intuitive", "a@example.com").await;
        checkout(app, "mystique_intuitive", "b@example.com").await;
        checkout(app, "integrale_mandala", "a@example.com").await;
        let list = |query: &str| {
            let token = token.clone();
            let path = format!("/api/orders{query}");
            async move { app.get(&path, Some(&token)).await }
        };

        let all = list("").await;
        assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
        assert_eq!(all.body["pagination"]["totalItems"], 4);
        assert_eq!(all.body["pagination"]["limit"], 10);
        let first = &all.body["orders"][0];
        assert_eq!(first["level"], 4, "newest first");
        assert_eq!(first["levelName"], "Intégrale");
        assert_eq!(first["userId"]["email"], "a@example.com");
        assert!(first["orderNumber"].as_str().unwrap().starts_with("LU"));

        let paid_list = list("?status=paid").await;
        assert_eq!(
            ids(&paid_list.body, "orders"),
            vec![paid.clone(), free.clone()]
        );
        assert_eq!(paid_list.body["pagination"]["totalItems"], 2);
        let level_two = list("?level=2").await;
        assert_eq!(level_two.body["pagination"]["totalItems"], 2);
        let paid_two = list("?status=paid&level=2").await;
        assert_eq!(ids(&paid_two.body, "orders"), vec![paid.clone()]);
        assert_eq!(paid_two.body["pagination"]["totalItems"], 1);
        let mine = list("?email=A@example.com").await;
        assert_eq!(mine.body["pagination"]["totalItems"], 3);
        let mine_paid = list("?email=a@example.com&status=paid&level=1").await;
        assert_eq!(ids(&mine_paid.body, "orders"), vec![free.clone()]);
        assert_eq!(list("?email=z@example.com").await.body["orders"], json!([]));

        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let tomorrow = (chrono::Utc::now() + chrono::Days::new(1)).format("%Y-%m-%d");
        let dated = list(&format!("?dateFrom={today}&dateTo={today}")).await;
        assert_eq!(dated.body["pagination"]["totalItems"], 4);
        let later = list(&format!("?dateFrom={tomorrow}")).await;
        assert_eq!(later.body["orders"], json!([]));
        let before = list(&format!("?status=paid&dateTo={today}")).await;
        assert_eq!(before.body["pagination"]["totalItems"], 2);
        let mine_today = list(&format!("?email=a@example.com&dateFrom={today}")).await;
        assert_eq!(mine_today.body["pagination"]["totalItems"], 3);

        let paged = list("?limit=3&page=2").await;
        assert_eq!(paged.body["orders"].as_array().unwrap().len(), 1);
        assert_eq!(
            paged.body["pagination"],
            json!({"current": 2, "total": 2, "count": 1, "limit": 3, "totalItems": 4})
        );
        for query in [
            "?status=shipped",
            "?level=9",
            "?level=two",
            "?email=nope",
            "?dateFrom=yesterday",
            &format!("?dateFrom={tomorrow}&dateTo={today}"),
            "?page=0",
        ] {
            let reply = list(query).await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{query}: {:?}",
                reply.body
            );
            assert!(reply.body["error"].is_string());
        }
    }
);

both!(
    an_order_moves_through_its_workflow_to_delivery,
    |app: ProductApp| async move {
        let app = &app;
        let token = admin_token(app).await;
        staff_account(app, "Jean Dupont <jean@lumira.test>", "expert").await;
        let expert = sign_in(app, "/api/expert/login", "jean@lumira.test").await;
        let expert_id = expert["expert"]["id"].as_str().unwrap().to_owned();
        let id = paid_order(app, "mystique_intuitive", "c@example.com").await;
        let path = |what: &str| format!("/api/orders/{id}{what}");
        let send = |what: &'static str, body: Value| {
            let token = token.clone();
            let path = path(what);
            async move { app.patch(&path, Some(&token), body).await }
        };

        let whole = app.get(&path(""), Some(&token)).await;
        assert_eq!(whole.status, StatusCode::OK, "{:?}", whole.body);
        assert_eq!(whole.body["status"], "paid");
        assert_eq!(whole.body["paymentStatus"], "succeeded");
        assert_eq!(whole.body["userId"]["email"], "c@example.com");
        assert_eq!(whole.body["statusHistory"][0]["to"], "paid");
        assert_eq!(whole.body["statusHistory"][0]["by"], "stripe");

        // Not along the allowed moves: refused, nothing changes.
        for (to, status) in [
            ("completed", "paid"),
            ("refunded", "paid"),
            ("shipped", "paid"),
        ] {
            let reply = send("/status", json!({"status": to})).await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{to}: {:?}",
                reply.body
            );
            assert_eq!(
                app.get(&path(""), Some(&token)).await.body["status"],
                status
            );
        }
        let early = send("/delivered", json!({})).await;
        assert_eq!(early.status, StatusCode::BAD_REQUEST);
        let early_review = send("/expert-review", json!({"status": "approved"})).await;
        assert_eq!(early_review.status, StatusCode::BAD_REQUEST);

        let processing = send("/status", json!({"status": "processing"})).await;
        assert_eq!(processing.status, StatusCode::OK, "{:?}", processing.body);
        assert_eq!(processing.body["status"], "processing");
        assert!(
            processing.body["userId"].is_string(),
            "a write shows the client's id"
        );

        let content =
            json!({"reading": "Votre profil astral indique…", "ritual": "Allumez une bougie."});
        let written = send("/content", json!({"generatedContent": content})).await;
        assert_eq!(written.status, StatusCode::OK, "{:?}", written.body);
        assert_eq!(written.body["status"], "awaiting_validation");
        assert_eq!(written.body["generatedContent"], content);
        assert_eq!(
            written.body["expertValidation"]["validationStatus"],
            "pending"
        );
        let unknown = send("/content", json!({"generatedContent": {"horoscope": "x"}})).await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

        // A rejection sends the reading back to be written again.
        let rejected = send(
            "/expert-review",
            json!({"expertId": expert_id, "status": "rejected", "notes": "Trop court"}),
        )
        .await;
        assert_eq!(rejected.status, StatusCode::OK, "{:?}", rejected.body);
        assert_eq!(rejected.body["status"], "processing");
        assert_eq!(
            rejected.body["expertValidation"]["validationStatus"],
            "rejected"
        );
        assert_eq!(
            rejected.body["expertReview"]["expertId"],
            expert_id.as_str()
        );
        assert_eq!(rejected.body["expertReview"]["notes"], "Trop court");
        send("/content", json!({"generatedContent": content})).await;
        let not_expert = send(
            "/expert-review",
            json!({"expertId": "000000000000000000000000", "status": "approved"}),
        )
        .await;
        assert_eq!(not_expert.status, StatusCode::BAD_REQUEST);
        let approved = send(
            "/expert-review",
            json!({"expertId": expert_id, "status": "approved", "notes": "Contenu excellent"}),
        )
        .await;
        assert_eq!(
            approved.body["expertValidation"]["validationStatus"],
            "approved"
        );
        assert_eq!(approved.body["status"], "awaiting_validation");

        let wrong_method = send("/delivered", json!({"deliveryMethod": "pigeon"})).await;
        assert_eq!(wrong_method.status, StatusCode::BAD_REQUEST);
        let delivered = send("/delivered", json!({"deliveryMethod": "email"})).await;
        assert_eq!(delivered.status, StatusCode::OK, "{:?}", delivered.body);
        assert_eq!(delivered.body["status"], "completed");
        assert_eq!(delivered.body["deliveryMethod"], "email");
        assert!(delivered.body["deliveredAt"].is_string());
        let after = send("/status", json!({"status": "processing"})).await;
        assert_eq!(
            after.status,
            StatusCode::BAD_REQUEST,
            "completed is final for staff"
        );

        let history: Vec<(String, String)> = delivered.body["statusHistory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["to"].as_str().unwrap().into(),
                    c["by"].as_str().unwrap().into(),
                )
            })
            .collect();
        let admin = history[1].1.clone();
        assert_ne!(admin, "stripe");
        let expected: Vec<(String, String)> = [
            ("paid", "stripe"),
            ("processing", admin.as_str()),
            ("awaiting_validation", admin.as_str()),
            ("processing", admin.as_str()),
            ("awaiting_validation", admin.as_str()),
            ("completed", admin.as_str()),
        ]
        .iter()
        .map(|(a, b)| ((*a).into(), (*b).into()))
        .collect();
        assert_eq!(history, expected);

        // The aggregates and the indexes followed every move.
        let user = whole.body["userId"]["_id"].as_str().unwrap();
        let stats = app
            .get(&format!("/api/users/{user}/stats"), Some(&token))
            .await;
        assert_eq!(stats.body["orderStats"]["completed"], 1);
        assert_eq!(stats.body["orderStats"]["byStatus"]["paid"], 0);
        assert_eq!(stats.body["recentOrders"][0]["status"], "completed");
        let done = app.get("/api/orders?status=completed", Some(&token)).await;
        assert_eq!(ids(&done.body, "orders"), vec![id.clone()]);
        assert_eq!(done.body["pagination"]["totalItems"], 1);
        let paid = app.get("/api/orders?status=paid", Some(&token)).await;
        assert_eq!(paid.body["pagination"]["totalItems"], 0);

        let missing = app
            .patch(
                "/api/orders/000000000000000000000000/status",
                Some(&token),
                json!({"status": "processing"}),
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.body, json!({"error": "Order not found"}));
    }
);

both!(
    the_demo_data_has_an_order_in_each_stage,
    |app: ProductApp| async move {
        app.seed_demo().await;
        // Seeding again adds nothing.
        app.seed_demo().await;
        let token = super::staff::admin_token(&app).await;
        let list = app
            .get(
                "/api/orders?email=demo.client@lumira.local&limit=100",
                Some(&token),
            )
            .await;
        let mut statuses: Vec<&str> = list.body["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["status"].as_str().unwrap())
            .collect();
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [
                "awaiting_validation",
                "cancelled",
                "completed",
                "paid",
                "pending",
                "processing",
                "refunded"
            ]
        );
        // The demo expert finds the awaiting one in the queue; the demo admin signs in.
        let expert = super::staff::sign_in_with(
            &app,
            "/api/expert/login",
            "expert@lumira.local",
            &demo_password(&app),
        )
        .await;
        let queue = app
            .get(
                "/api/expert/orders/pending",
                Some(expert["token"].as_str().unwrap()),
            )
            .await;
        assert_eq!(
            queue.body["orders"].as_array().unwrap().len(),
            1,
            "{:?}",
            queue.body
        );
        let user = list.body["orders"][0]["userId"]["_id"].as_str().unwrap();
        let stats = app
            .get(&format!("/api/users/{user}/stats"), Some(&token))
            .await;
        assert_eq!(stats.body["orderStats"]["total"], 7);
        // Paid and kept: 0 (free), 2900 (processing), 1400 (awaiting), 4900 (completed); the
        // refund gave back its 2900.
        assert_eq!(stats.body["orderStats"]["totalSpent"], 2900 + 1400 + 4900);
    }
);

fn demo_password(app: &ProductApp) -> String {
    app.env.own_var("DEMO_PASSWORD").unwrap()
}
