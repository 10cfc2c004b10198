//! Transfers at once: nothing overdrawn, no update lost, the ledger holds after each run.

use super::*;
use futures_util::future::join_all;

/// What a transfer racing others may answer: done, refused for want of funds, or (the
/// store's retries spent on conflicts) a conflict or unavailable answer that moved nothing.
fn settled(status: StatusCode) -> bool {
    [
        StatusCode::CREATED,
        StatusCode::BAD_REQUEST,
        StatusCode::CONFLICT,
        StatusCode::SERVICE_UNAVAILABLE,
    ]
    .contains(&status)
}

both!(
    transfers_from_one_wallet_at_once_never_overdraw_it,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "om").await;
        let moussa = fan(&app, "moussa@example.com", "psg").await;
        fund(&app, &awa, 100).await;
        let sends = (0..30).map(|_| {
            app.post(
                "/api/wallet/send",
                Some(&awa.token),
                json!({"recipientId": moussa.id, "amount": 10}),
            )
        });
        let replies = join_all(sends).await;
        let done = replies
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .count();
        for reply in &replies {
            assert!(settled(reply.status), "{:?}", reply.body);
        }
        assert!(done <= 10, "{done} transfers of 10 € out of 100 €");
        assert_eq!(balance(&app, &awa).await, 100.0 - 10.0 * done as f64);
        assert_eq!(balance(&app, &moussa).await, 10.0 * done as f64);
        ledger_holds(&app).await;
    }
);

both!(
    two_hundred_transfers_between_twenty_wallets_keep_the_total,
    |app: ProductApp| async move {
        let mut fans = Vec::new();
        for n in 0..20 {
            let fan = fan(&app, &format!("fan{n}@example.com"), "psg").await;
            fund(&app, &fan, 50).await;
            fans.push(fan);
        }
        let sends = (0..200).map(|n| {
            let from = &fans[n % 20];
            let to = &fans[(n * 7 + 3) % 20];
            let to = if to.id == from.id {
                &fans[(n + 1) % 20]
            } else {
                to
            };
            app.post(
                "/api/wallet/send",
                Some(&from.token),
                json!({"recipientId": to.id, "amount": 1 + (n % 9) as i64}),
            )
        });
        let replies = join_all(sends).await;
        for reply in &replies {
            assert!(settled(reply.status), "{:?}", reply.body);
        }
        let done = replies
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .count() as i64;
        assert!(done > 0);
        let mut total = 0.0;
        for fan in &fans {
            let held = balance(&app, fan).await;
            assert!(held >= 0.0);
            total += held;
        }
        assert_eq!(total, 20.0 * 50.0);
        let report = ledger_holds(&app).await;
        assert_eq!(report.wallets, 20 * 50 * 100);
        let stats = app.get("/api/stats", None).await;
        assert_eq!(stats.body["transfers"], done);
    }
);

/// A transfer DynamoDB refuses for a concurrent transaction on one of its items (a hot
/// wallet, a shared total) is tried again and moves the money once; when every try is
/// refused, the answer is 503 and nothing moved.
async fn a_conflicting_transfer_is_tried_again(backend: Backend) {
    let (app, store) = ProductApp::spawn_faulty(&paiecashfan::PaieCashFan, backend).await;
    paiecashfan::seed::demo_catalogue(&app.deps.store)
        .await
        .unwrap();
    let awa = fan(&app, "awa@example.com", "psg").await;
    let moussa = fan(&app, "moussa@example.com", "om").await;
    fund(&app, &awa, 100).await;
    let body = json!({"recipientId": moussa.id, "amount": 10});

    store.conflict_next(2);
    let sent = app
        .post("/api/wallet/send", Some(&awa.token), body.clone())
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    assert_eq!(store.conflicts_left(), 0);
    assert_eq!(
        (balance(&app, &awa).await, balance(&app, &moussa).await),
        (90.0, 10.0)
    );

    store.conflict_next(usize::MAX);
    let refused = app.post("/api/wallet/send", Some(&awa.token), body).await;
    store.conflict_next(0);
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{:?}",
        refused.body
    );
    assert!(
        refused.body["error"]["code"].is_string(),
        "{:?}",
        refused.body
    );
    assert_eq!(
        (balance(&app, &awa).await, balance(&app, &moussa).await),
        (90.0, 10.0)
    );
    ledger_holds(&app).await;
    // One entry moved the money: the deposit and one transfer in the sender's history.
    let history = app.get("/api/wallet/transactions", Some(&awa.token)).await;
    assert_eq!(history.body["pagination"]["total"], 2, "{:?}", history.body);
}

mod a_conflicting_transfer {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn embedded() {
        a_conflicting_transfer_is_tried_again(Backend::Embedded).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dynamodb() {
        a_conflicting_transfer_is_tried_again(Backend::DynamoDb).await;
    }
}
