//! `marketplace-admin.md` §1 and §7: the security dashboard, the logs and their export, and
//! banned addresses — by hand, and on their own after repeated refused sign-ins.

use super::*;
use store::{Key, Update};

/// `count` refused sign-ins of `email` from this test's address (127.0.0.1).
async fn refused(app: &ProductApp, email: &str, count: usize) {
    for _ in 0..count {
        let reply = login(app, email, "pas le bon mot de passe").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{:?}", reply.body);
    }
}

both!(
    the_dashboard_counts_refused_sign_ins,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        register(&app, "fatou@example.com", "Fatou", "Onana").await;
        refused(&app, "fatou@example.com", 3).await;
        refused(&app, "personne@example.com", 1).await;
        let reply = app.get("/api/admin/security-stats", Some(&admin)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(
            reply.body,
            json!({
                "hourlyFailedAttempts": 4,
                "dailyFailedAttempts": 4,
                "highRiskEvents24h": 0,
                "activeBannedIPs": 0,
                "topSuspiciousIPs": [{"ipAddress": "127.0.0.1", "count": 4}],
            })
        );
    }
);

both!(
    the_logs_filter_as_documented_and_export_safely,
    |app: ProductApp| async move {
        let (admin, admin_id) = admin(&app).await;
        // An address spreadsheets would take for a formula.
        let reply = login(&app, "=1+1@example.com", "pas le bon mot de passe").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{:?}", reply.body);
        refused(&app, "personne@example.com", 2).await;
        let logs = |query: String| {
            let path = format!("/api/admin/security-logs{query}");
            let (app, admin) = (&app, admin.clone());
            async move {
                let reply = app.get(&path, Some(&admin)).await;
                assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
                reply.body["data"]["logs"].as_array().unwrap().clone()
            }
        };
        // The admin's own sign-in, then three refusals: newest first.
        let all = logs("".to_owned()).await;
        assert_eq!(all.len(), 4);
        assert_eq!(all[3]["eventType"], "login_success");
        assert_eq!(all[3]["userId"], admin_id.as_str());
        assert_eq!(all[0]["email"], "personne@example.com");
        assert_eq!(logs("?limit=2".to_owned()).await, all[..2].to_vec());
        assert_eq!(logs("?eventType=login_failed".to_owned()).await.len(), 3);
        assert_eq!(logs("?success=true".to_owned()).await, all[3..].to_vec());
        assert_eq!(logs(format!("?userId={admin_id}")).await, all[3..].to_vec());
        assert_eq!(
            logs("?riskLevel=medium&success=false".to_owned())
                .await
                .len(),
            3
        );
        assert_eq!(logs("?riskLevel=high".to_owned()).await.len(), 0);
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        assert_eq!(
            logs(format!("?startDate={today}&endDate={today}"))
                .await
                .len(),
            4
        );
        assert_eq!(logs("?endDate=2020-01-01".to_owned()).await.len(), 0);
        let bad = app
            .get("/api/admin/security-logs?riskLevel=extreme", Some(&admin))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            bad.body["errors"],
            json!({"riskLevel": ["riskLevel doit être low, medium ou high"]})
        );

        let path =
            format!("/api/admin/security-logs/export?startDate={today}&eventType=login_failed");
        let file = app.get_raw(&path, Some(&admin)).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers["content-type"], "text/csv; charset=utf-8");
        assert_eq!(
            file.headers["content-disposition"],
            format!("attachment; filename=\"security_logs_{today}_to_{today}.csv\"").as_str()
        );
        let text = String::from_utf8(file.bytes).unwrap();
        let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(
            rows.headers().unwrap(),
            vec!["date", "eventType", "ip", "email", "riskLevel", "success"]
        );
        let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[2][3], "'=1+1@example.com");
        assert_eq!(&rows[0][2], "127.0.0.1");
        assert_eq!(&rows[0][5], "false");
    }
);

both!(
    an_admin_bans_and_unbans_an_address,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let ban = json!({"ipAddress": "10.0.0.5", "reason": "Tentatives de brute force", "duration": 86400});
        let made = app.post("/api/admin/banned-ips", Some(&admin), ban).await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
        assert_eq!(made.body["message"], "IP bannie");
        let banned = &made.body["data"]["bannedIp"];
        assert_eq!(banned["ipAddress"], "10.0.0.5");
        assert_eq!(banned["auto"], false);
        assert!(banned["expiresAt"].is_string());
        let permanent = json!({"ipAddress": "2001:db8:0::1", "reason": "Spam", "duration": null});
        let made = app
            .post("/api/admin/banned-ips", Some(&admin), permanent)
            .await;
        assert_eq!(made.body["data"]["bannedIp"]["ipAddress"], "2001:db8::1");
        assert_eq!(made.body["data"]["bannedIp"]["expiresAt"], Value::Null);

        let list = app.get("/api/admin/banned-ips", Some(&admin)).await;
        let ips: Vec<&str> = list.body["data"]["bannedIps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["ipAddress"].as_str().unwrap())
            .collect();
        assert_eq!(ips, ["2001:db8::1", "10.0.0.5"]);
        let stats = app.get("/api/admin/security-stats", Some(&admin)).await;
        assert_eq!(stats.body["activeBannedIPs"], 2);

        let own = json!({"ipAddress": "127.0.0.1", "reason": "Moi", "duration": 60});
        let refused = app.post("/api/admin/banned-ips", Some(&admin), own).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused.body,
            json!({"success": false, "message": "Vous ne pouvez pas bannir votre propre adresse IP"})
        );
        let bad = json!({"ipAddress": "999.1.1.1", "reason": "", "duration": 0});
        let bad = app.post("/api/admin/banned-ips", Some(&admin), bad).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let errors = bad.body["errors"].as_object().unwrap();
        assert_eq!(errors.len(), 3, "{errors:?}");

        let gone = app
            .delete("/api/admin/banned-ips/10.0.0.5", Some(&admin))
            .await;
        assert_eq!(gone.status, StatusCode::OK, "{:?}", gone.body);
        assert_eq!(
            gone.body,
            json!({"success": true, "message": "IP débannie"})
        );
        let again = app
            .delete("/api/admin/banned-ips/10.0.0.5", Some(&admin))
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert_eq!(
            again.body,
            json!({"success": false, "message": "IP non bannie"})
        );

        let audit = app
            .get("/api/admin/audit-logs?entityType=BannedIp", Some(&admin))
            .await;
        let actions: Vec<&str> = audit.body["data"]["logs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["ip.unban", "ip.ban", "ip.ban"]);
    }
);

mod repeated_refusals_ban_the_address_until_the_ban_ends {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn embedded() {
        scenario(Backend::Embedded).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dynamodb() {
        scenario(Backend::DynamoDb).await;
    }
}

/// Refused sign-ins ban their address on their own; the ban closes every route, and ends at
/// its second whatever the table's TTL sweep has done.
async fn scenario(backend: Backend) {
    let app = ProductApp::spawn_with(&marketplace::Marketplace, backend, |env| {
        env.with("LOGIN_RATE_LIMIT_BAN_AFTER", "4")
            .with("LOGIN_RATE_LIMIT_BAN_SECS", "600")
    })
    .await;
    let client = register(&app, "awa@example.com", "Awa", "Bello").await;
    let token = client["token"].as_str().unwrap();
    refused(&app, "awa@example.com", 4).await;

    let banned = json!({"success": false, "message": "Accès interdit : adresse IP bannie"});
    for (path, token) in [
        ("/api/auth/me", Some(token)),
        ("/api/admin/users", None),
        ("/api/nowhere", None),
    ] {
        let reply = app.get(path, token).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(reply.body, banned, "{path}");
    }
    let right = login(&app, "awa@example.com", PASSWORD).await;
    assert_eq!(right.status, StatusCode::FORBIDDEN);
    let ban = app
        .deps
        .store
        .get(&Key::new("BANNED_IP#127.0.0.1", "BAN"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ban["auto"], true);
    assert!(
        ban["reason"].as_str().unwrap().starts_with("auto"),
        "{ban:?}"
    );
    let ends = ban["expiresAtEpoch"].as_i64().unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!((now + 595..=now + 600).contains(&ends), "{ends} vs {now}");

    // Its end moved to the second that just passed: the item is still there, and holds
    // no more.
    let ended = Update::new().set("expiresAtEpoch", now - 1);
    let key = Key::new("BANNED_IP#127.0.0.1", "BAN");
    app.deps.store.update(&key, ended, None).await.unwrap();
    assert_eq!(
        app.get("/api/auth/me", Some(token)).await.status,
        StatusCode::OK
    );
    let (admin, _) = admin(&app).await;
    let list = app.get("/api/admin/banned-ips", Some(&admin)).await;
    assert_eq!(list.body["data"]["bannedIps"], json!([]));
}
