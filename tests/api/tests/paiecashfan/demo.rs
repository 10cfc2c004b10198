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

both!(
    the_load_plans_probes_answer_as_the_benchmarks_expect,
    |app: ProductApp| async move {
        app.seed_demo().await;
        let plan = paiecashfan::PaieCashFan.load_plan();
        let admin = app.caller("admin").await.access_token;
        let mut statuses = Vec::new();
        for (method, path, body) in plan.bodies {
            let body = body.replace("{n}", "1");
            let reply = app
                .raw(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    path,
                    Some(&admin),
                    &body,
                )
                .await;
            statuses.push((*path, reply.status.as_u16()));
        }
        // The admin holds no money: the purchases stop at the funds, after every read; the
        // deposit's zero amount is refused before Stripe is called.
        assert_eq!(
            statuses,
            [
                ("/api/auth/login", 200),
                ("/api/auth/register", 201),
                ("/api/wallet/deposit", 400),
                ("/api/esim/activate", 400),
                ("/api/shop/cart/add", 201),
                ("/api/shop/checkout", 400),
            ]
        );
    }
);
