//! The local server's demo data, and the login line it prints for the demo fan.

use super::*;
use web::product::Product;

both!(
    the_demo_fan_logs_in_with_money_to_spend,
    |app: ProductApp| async move {
        app.seed_demo().await;
        // Seeding again adds nothing: the deposits are written once.
        app.seed_demo().await;
        let login = paiecashfan::PaieCashFan.demo_user_login(&app.env).unwrap();
        assert_eq!((login.method, login.path), ("POST", "/api/auth/login"));
        let body: Value = serde_json::from_str(&login.body).unwrap();
        let reply = app.post(login.path, None, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["user"]["role"], "fan");
        let token = reply.body["token"].as_str().unwrap();
        let wallet = app.get("/api/wallet/balance", Some(token)).await;
        assert!(
            wallet.body["balance"].as_f64().unwrap() >= 100.0,
            "{:?}",
            wallet.body
        );
        let report = ledger_holds(&app).await;
        assert_eq!(report.deposited, (150 + 80) * 100);
    }
);
