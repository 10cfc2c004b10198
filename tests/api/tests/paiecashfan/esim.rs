//! eSIM: plans, an activation paid from the wallet in the transaction that makes the eSIM,
//! and its secret activation code seen by its owner alone.

use super::*;

both!(plans_are_listed_by_club, |app: ProductApp| async move {
    let all = app.get("/api/esim/plans", None).await;
    assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
    let plans = all.body["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 4);
    for plan in plans {
        assert!(plan["id"].is_string() && plan["clubId"].is_string() && plan["price"].is_number());
        assert!(plan["dataGb"].is_u64());
    }
    let psg = app.get("/api/esim/plans?club=psg", None).await;
    assert_eq!(
        psg.body["plans"],
        json!([{"id": "psg-data-5", "clubId": "psg", "name": "PSG Data 5 Go", "dataGb": 5, "days": 30, "price": 9.99}])
    );
});

both!(
    an_activation_is_paid_from_the_wallet_and_seen_by_its_owner_alone,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        let moussa = fan(&app, "moussa@example.com", "om").await;
        fund(&app, &awa, 20).await;

        let reply = app
            .post(
                "/api/esim/activate",
                Some(&awa.token),
                json!({"planId": "psg-data-5"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let esim = &reply.body["esim"];
        let code = esim["activationCode"].as_str().unwrap();
        let matching = code.strip_prefix("LPA:1$smdp.paiecashfan.local$").unwrap();
        assert_eq!(matching.len(), 20);
        assert!(
            matching
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase())
        );
        // The QR code is the activation code's, drawn by the API.
        let svg = reply.body["qrCodeSvg"].as_str().unwrap();
        assert_eq!(svg, paiecashfan::qr::svg(code).unwrap());
        assert!(svg.contains("<svg"));
        assert_eq!(
            (esim["planId"].as_str(), esim["price"].as_f64()),
            (Some("psg-data-5"), Some(9.99))
        );
        assert_eq!(balance(&app, &awa).await, 10.01);
        let history = app.get("/api/wallet/transactions", Some(&awa.token)).await;
        assert_eq!(history.body["transactions"][0]["kind"], "esim");
        assert_eq!(history.body["transactions"][0]["amount"], -9.99);

        // Beyond the balance: nothing is debited and no eSIM is made.
        let refused = app
            .post(
                "/api/esim/activate",
                Some(&awa.token),
                json!({"planId": "om-data-10"}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{:?}",
            refused.body
        );
        assert_eq!(refused.body["error"]["message"], "Solde insuffisant");
        assert_eq!(balance(&app, &awa).await, 10.01);

        let mine = app.get("/api/esim/active", Some(&awa.token)).await;
        assert_eq!(mine.status, StatusCode::OK);
        let esims = mine.body["esims"].as_array().unwrap();
        assert_eq!(esims.len(), 1);
        assert_eq!(esims[0]["activationCode"], code);
        assert!(esims[0].get("userId").is_none());
        let theirs = app.get("/api/esim/active", Some(&moussa.token)).await;
        assert_eq!(theirs.body["esims"], json!([]));
        let report = ledger_holds(&app).await;
        assert_eq!(
            (report.deposited, report.spent, report.wallets),
            (2000, 999, 1001)
        );
    }
);

both!(
    an_activation_names_a_plan_that_exists,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        let unknown = app
            .post(
                "/api/esim/activate",
                Some(&awa.token),
                json!({"planId": "nope"}),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{:?}", unknown.body);
        assert_eq!(unknown.body["error"]["message"], "Forfait introuvable");
        let missing = app
            .post("/api/esim/activate", Some(&awa.token), json!({}))
            .await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert!(missing.body["error"]["fields"]["planId"].is_array());
        let anonymous = app
            .post("/api/esim/activate", None, json!({"planId": "psg-data-5"}))
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
);
