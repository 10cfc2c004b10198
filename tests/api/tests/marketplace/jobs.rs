//! The nightly job (00:30 in Douala): featurings and boosts that are over end, the public
//! lists following; a second run changes nothing; the local command runs it by name.

use super::payments::{buy, deliver, provider};
use super::*;
use web::product::Product;

fn public_order(reply: &api_tests::Reply) -> Vec<(String, bool, bool)> {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let id = p["id"].as_str().unwrap().to_owned();
            (id, p["isFeatured"] == true, p["isBoosted"] == true)
        })
        .collect()
}

both!(
    the_nightly_job_ends_what_is_over_and_nothing_else,
    |app: ProductApp| async move {
        let (admin, _, short) = provider(&app, "court@example.com").await;
        let (_, _, endless) = provider(&app, "toujours@example.com").await;
        let (_, token, boosted) = provider(&app, "boost@example.com").await;
        let (_, _, plain) = provider(&app, "simple@example.com").await;
        let feature = |id: &str| format!("/api/admin/providers/{id}/feature");
        let three_days = app
            .put(
                &feature(&short),
                Some(&admin),
                json!({"isFeatured": true, "duration": 3}),
            )
            .await;
        assert_eq!(three_days.status, StatusCode::OK, "{:?}", three_days.body);
        app.put(
            &feature(&endless),
            Some(&admin),
            json!({"isFeatured": true}),
        )
        .await;
        let boost = buy(&app, &token, "boost").await["payment"].clone();
        deliver(&app, "evt_boost", "payment_intent.succeeded", &boost, None).await;

        let before = public_order(&app.get("/api/providers", None).await);
        let flags: Vec<(bool, bool)> = before.iter().map(|(_, f, b)| (*f, *b)).collect();
        assert_eq!(
            flags,
            [(true, false), (true, false), (false, true), (false, false)]
        );
        assert_eq!(before[2].0, boosted, "boosted right after the featured");
        assert_eq!(before[3].0, plain);

        let store = &app.deps.store;
        let now = chrono::Utc::now();
        let later = marketplace::jobs::expire(store, now + chrono::Duration::days(4))
            .await
            .unwrap();
        assert_eq!((later.featurings, later.boosts), (1, 0));
        let featured = app.get("/api/admin/providers/featured", Some(&admin)).await;
        let ids: Vec<&str> = featured.body["data"]["providers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [endless.as_str()]);
        let stats = app.get("/api/admin/stats", Some(&admin)).await;
        assert_eq!(stats.body["data"]["providers"]["featured"], 1);

        let week = marketplace::jobs::expire(store, now + chrono::Duration::days(8))
            .await
            .unwrap();
        assert_eq!((week.featurings, week.boosts), (0, 1));
        let after = public_order(&app.get("/api/providers", None).await);
        assert_eq!(after[0], (endless.clone(), true, false));
        assert!(after[1..].iter().all(|(_, f, b)| !f && !b), "{after:?}");
        assert!(after.iter().any(|(id, _, _)| *id == short));

        let again = marketplace::jobs::expire(store, now + chrono::Duration::days(8))
            .await
            .unwrap();
        assert_eq!((again.featurings, again.boosts), (0, 0));
        let env = marketplace::Marketplace.test_env();
        let said = marketplace::Marketplace
            .run_job(&app.deps, &env, "expire_featuring")
            .await
            .unwrap();
        assert_eq!(said, "expire_featuring: 0 featurings and 0 boosts ended");
        assert!(
            marketplace::Marketplace
                .run_job(&app.deps, &env, "nope")
                .await
                .is_err()
        );
    }
);
