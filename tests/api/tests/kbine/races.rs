//! Requests that race for the same items: each must win or see the winner's state, never a
//! 409 for a race lost inside, and every total must count each item once.
use api_tests::{Session, TestApp, both};
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

async fn order(app: &TestApp, session: &Session, plan_id: i64, phone: &str) -> i64 {
    app.place_order(&session.token, plan_id, phone, "wave")
        .await
}

both!(
    racing_requests_keep_totals_true,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;

        // Orders created at once each get their own id and are each counted once.
        let creates = (0..4).map(|_| order(&app, &client, 1, "0701020304"));
        let mut created: Vec<i64> = join_all(creates).await;
        created.sort_unstable();
        assert_eq!(created, [1, 2, 3, 4]);
        let all = app.get("/api/orders", Some(&staff.token)).await;
        assert_eq!(all.body["pagination"]["total"], 4);

        // Of three staff starting the same order at once, one wins; the others see it started.
        let path = "/api/orders/1/status";
        let starts =
            (0..3).map(|_| app.put(path, Some(&staff.token), json!({"status": "processing"})));
        let replies = join_all(starts).await;
        let won = replies
            .iter()
            .filter(|r| r.status == StatusCode::OK)
            .count();
        assert_eq!(won, 1, "{replies:?}");
        for reply in replies.iter().filter(|r| r.status != StatusCode::OK) {
            assert_eq!(reply.status, StatusCode::BAD_REQUEST);
            assert_eq!(reply.body["details"], "processing → processing");
        }
        let processing = app
            .get("/api/orders?status=processing", Some(&staff.token))
            .await;
        assert_eq!(processing.body["pagination"]["total"], 1);
        let pending = app
            .get("/api/orders?status=pending", Some(&client.token))
            .await;
        assert_eq!(pending.body["pagination"]["total"], 3);
    }
);

both!(
    racing_payment_changes_are_all_applied,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let staff = app.staff().await;
        let mut payments = Vec::new();
        for n in 0..4 {
            let order_id = order(&app, &client, 1, "0701020304").await;
            let reply = app
                .post(
                    "/api/payments",
                    Some(&client.token),
                    json!({"order_id": order_id, "amount": 1000, "payment_method": "wave",
                           "payment_reference": format!("RACE{n}")}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
            payments.push(reply.body["data"]["id"].as_i64().unwrap());
        }

        // Four payments settled at once share the status totals; the first is settled by
        // four staff at once, with their own notes, while an admin confirms its amount. As
        // many requests as a change has tries: every one lands, none answers 409.
        let [first, others @ ..] = payments.as_slice() else {
            unreachable!()
        };
        let first_path = format!("/api/payments/{first}");
        let mut paths: Vec<(String, String)> = (0..4)
            .map(|n| (format!("{first_path}/status"), format!("note {n}")))
            .collect();
        paths.extend(
            others
                .iter()
                .map(|id| (format!("/api/payments/{id}/status"), "reçu".to_owned())),
        );
        let settles = paths.iter().map(|(path, notes)| {
            app.patch(
                path,
                Some(&staff.token),
                json!({"status": "success", "notes": notes}),
            )
        });
        let admin = app.admin().await;
        let amend = app.put(&first_path, Some(&admin.token), json!({"amount": 1000}));
        let (settled, amended) = tokio::join!(join_all(settles), amend);
        for reply in settled.iter().chain([&amended]) {
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        }

        let seen = app.get(&first_path, Some(&admin.token)).await;
        assert_eq!(seen.body["data"]["status"], "success");
        assert_eq!(seen.body["data"]["amount"].as_f64(), Some(1000.0));
        let note = seen.body["data"]["callback_data"]["notes"]
            .as_str()
            .unwrap();
        assert!(note.starts_with("note "), "{note}");
        let success = app
            .get("/api/payments?status=success", Some(&staff.token))
            .await;
        assert_eq!(success.body["pagination"]["total"], 4);
        let pending = app
            .get("/api/payments?status=pending", Some(&staff.token))
            .await;
        assert_eq!(pending.body["pagination"]["total"], 0);
    }
);

both!(
    two_payments_of_one_order_at_once_record_one,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let client = app.login("0701020304").await;
        let order_id = order(&app, &client, 1, "0701020304").await;
        let payments = (0..4).map(|n| {
            app.post(
                "/api/payments",
                Some(&client.token),
                json!({"order_id": order_id, "amount": 1000, "payment_method": "wave",
                       "payment_reference": format!("TWIN{n}")}),
            )
        });
        let replies = join_all(payments).await;
        let created = replies
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .count();
        assert_eq!(created, 1, "{replies:?}");
        for reply in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
            assert_eq!(reply.status, StatusCode::CONFLICT);
            assert_eq!(
                reply.body["error"],
                "Un paiement est déjà en cours ou réussi pour cette commande"
            );
        }
        let staff = app.staff().await;
        let listed = app.get("/api/payments", Some(&staff.token)).await;
        assert_eq!(listed.body["pagination"]["total"], 1);
    }
);
