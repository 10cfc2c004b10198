//! The ledger's check, as an operator runs it (`ledger_check`): it holds after real traffic,
//! and names what a direct edit of the store broke.

use super::*;
use store::{TxOp, Update};
use web::product::Product;

both!(
    the_check_finds_a_balance_edited_behind_the_ledger,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "om").await;
        let moussa = fan(&app, "moussa@example.com", "psg").await;
        fund(&app, &awa, 40).await;
        let body = json!({"recipientId": moussa.id, "amount": 15});
        let sent = app.post("/api/wallet/send", Some(&awa.token), body).await;
        assert_eq!(sent.status, StatusCode::CREATED);
        let holds = paiecashfan::PaieCashFan
            .run_job(&app.deps, &app.env, "ledger_check")
            .await
            .unwrap();
        assert!(holds.ends_with("the ledger holds"), "{holds}");

        // Money made out of nothing: a balance raised without its entry.
        let wallet = Account::wallet(&moussa.id);
        let edit = TxOp::Update {
            key: wallet.key(),
            update: Update::new().add("balance", 500),
            cond: None,
        };
        app.deps.store.transact(vec![edit]).await.unwrap();
        let broken = paiecashfan::PaieCashFan
            .run_job(&app.deps, &app.env, "ledger_check")
            .await
            .unwrap_err()
            .to_string();
        let name = wallet.as_str();
        assert!(
            broken.contains(&format!(
                "{name}: balance 2000 but its postings sum to 1500"
            )),
            "{broken}"
        );
        assert!(
            broken.contains("the balances sum to 500 cents, not zero"),
            "{broken}"
        );
    }
);
