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
