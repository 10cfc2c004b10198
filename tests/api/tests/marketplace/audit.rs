//! `marketplace-admin.md` §9: every admin action in the audit log, filtered as documented, and
//! a chain of hashes that names the first entry edited behind the API's back.

use super::*;
use store::{Key, Update};

/// An admin deactivates then reactivates a client: two entries. Returns the admin's token and
/// id, and the client's id.
async fn two_actions(app: &ProductApp) -> (String, String, String) {
    let (admin, admin_id) = admin(app).await;
    let client = register(app, "awa@example.com", "Awa", "Bello").await;
    let id = client["user"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/admin/users/{id}/status");
    for active in [false, true] {
        let reply = app
            .put(&path, Some(&admin), json!({"isActive": active}))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    (admin, admin_id, id)
}

fn logs(reply: &api_tests::Reply) -> Vec<Value> {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]["logs"].as_array().unwrap().clone()
}

both!(
    every_admin_action_is_in_the_log,
    |app: ProductApp| async move {
        let (admin, admin_id, client) = two_actions(&app).await;
        let all = logs(&app.get("/api/admin/audit-logs", Some(&admin)).await);
        assert_eq!(all.len(), 2);
        let (newest, oldest) = (&all[0], &all[1]);
        assert_eq!(oldest["seq"], 1);
        assert_eq!(oldest["action"], "user.deactivate");
        assert_eq!(oldest["entityType"], "User");
        assert_eq!(oldest["entityId"], client.as_str());
        assert_eq!(oldest["userId"], admin_id.as_str());
        assert_eq!(oldest["ipAddress"], "127.0.0.1");
        assert_eq!(oldest["oldValues"], json!({"isActive": true}));
        assert_eq!(oldest["newValues"], json!({"isActive": false}));
        assert_eq!(oldest["prevHash"], "0".repeat(64));
        assert_eq!(newest["seq"], 2);
        assert_eq!(newest["action"], "user.activate");
        assert_eq!(newest["prevHash"], oldest["hash"]);

        let one = logs(&app.get("/api/admin/audit-logs?limit=1", Some(&admin)).await);
        assert_eq!(one.len(), 1);
        assert_eq!(&one[0], newest);
        let by_admin = format!("/api/admin/audit-logs?userId={admin_id}&entityType=User");
        assert_eq!(logs(&app.get(&by_admin, Some(&admin)).await).len(), 2);
        let other = format!("/api/admin/audit-logs?userId={}", uuid::Uuid::new_v4());
        assert!(logs(&app.get(&other, Some(&admin)).await).is_empty());
        let providers = "/api/admin/audit-logs?entityType=Provider";
        assert!(logs(&app.get(providers, Some(&admin)).await).is_empty());
        let users = "/api/admin/audit-logs?entityType=User";
        assert_eq!(logs(&app.get(users, Some(&admin)).await).len(), 2);

        let bad = app
            .get("/api/admin/audit-logs?userId=42", Some(&admin))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            bad.body["errors"],
            json!({"userId": ["userId doit être un UUID"]})
        );
        // A refused action leaves no entry.
        let own = format!("/api/admin/users/{admin_id}/status");
        app.put(&own, Some(&admin), json!({"isActive": false}))
            .await;
        assert_eq!(
            logs(&app.get("/api/admin/audit-logs", Some(&admin)).await).len(),
            2
        );
    }
);

both!(
    an_entry_edited_behind_the_api_breaks_the_chain,
    |app: ProductApp| async move {
        let (admin, _, _) = two_actions(&app).await;
        let verify = || async {
            let reply = app.get("/api/admin/audit-logs/verify", Some(&admin)).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            reply.body["data"].clone()
        };
        assert_eq!(
            verify().await,
            json!({"valid": true, "entries": 2, "firstBroken": null})
        );

        // Someone with the table's keys rewrites what the first entry says was done.
        let first = Key::new("AUDIT", "000000000001");
        let id = app.deps.store.get(&first).await.unwrap().unwrap()["id"].clone();
        let forged = Update::new().set("newValues", json!({"isActive": true}));
        app.deps.store.update(&first, forged, None).await.unwrap();
        assert_eq!(
            verify().await,
            json!({"valid": false, "entries": 0, "firstBroken": {"seq": 1, "id": id, "reason": "son empreinte ne correspond pas à son contenu"}})
        );
    }
);

both!(
    an_entry_removed_breaks_the_chain,
    |app: ProductApp| async move {
        let (admin, _, _) = two_actions(&app).await;
        app.deps
            .store
            .delete(&Key::new("AUDIT", "000000000002"), None)
            .await
            .unwrap();
        let reply = app.get("/api/admin/audit-logs/verify", Some(&admin)).await;
        assert_eq!(
            reply.body["data"],
            json!({"valid": false, "entries": 1, "firstBroken": {"seq": 2, "id": null, "reason": "entrée manquante"}})
        );
    }
);
