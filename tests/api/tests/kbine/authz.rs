//! Kbine's authorisation matrix: the generic matrix (`api_tests::authz`) over
//! `kbine::API`'s route table, on both stores. Only the victim's resources are Kbine's own.

use api_tests::authz::{self, Foreign, ForeignResources, TokenKeys};
use api_tests::{TestApp, both, report};
use kbine::openapi::ROLES;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;

/// Routes that end the caller's session: the matrix calls them last.
const ENDS_SESSION: &[&str] = &["/api/auth/logout"];

/// An id of the right shape that names nothing.
const ABSENT_ID: &str = "999999";

fn keys(app: &TestApp) -> TokenKeys {
    TokenKeys {
        access_secret: app.config.sessions.jwt_secret.expose().to_string(),
        issuer: kbine::state::ISSUER.into(),
        audience: kbine::state::AUDIENCE.into(),
        foreign_secrets: vec![app.config.sessions.jwt_refresh_secret.expose().to_string()],
    }
}

both!(
    every_protected_route_refuses_every_bad_credential,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let credentials = authz::bad_credentials(&admin.token, &admin.refresh_token, &keys(&app));
        report(
            authz::unauthenticated_failures(&app, kbine::API.routes(), &credentials, ABSENT_ID)
                .await,
        );
        // The template token itself still works: the refusals were the forgeries'.
        let profile = app.get("/api/users/profile", Some(&admin.token)).await;
        assert_eq!(profile.status, StatusCode::OK, "{:?}", profile.body);
    }
);

both!(
    every_role_gets_403_below_a_route_and_passes_at_or_above,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let mut tokens = BTreeMap::new();
        tokens.insert("client", app.login("0102030405").await.token);
        tokens.insert("staff", app.staff().await.token);
        tokens.insert("admin", app.admin().await.token);
        assert_eq!(tokens.len(), ROLES.len(), "a token for each of {ROLES:?}");
        report(
            authz::role_failures(&app, kbine::API.routes(), ENDS_SESSION, &tokens, ABSENT_ID).await,
        );
    }
);

both!(
    a_client_never_reads_or_changes_another_clients_resources,
    |app: TestApp| async move {
        app.seed_catalogue().await;
        let victim = app.login("0711223344").await;
        let order = app
            .post(
                "/api/orders",
                Some(&victim.token),
                json!({"plan_id": 1, "phone_number": "0707654321", "payment_method": "wave"}),
            )
            .await;
        assert_eq!(order.status, StatusCode::CREATED, "{:?}", order.body);
        let order_id = order.body["id"].to_string();
        let payment = app
            .post(
                "/api/payments",
                Some(&victim.token),
                json!({"order_id": order.body["id"], "amount": 1000, "payment_method": "wave",
                   "payment_reference": "VICTIM-REF-42"}),
            )
            .await;
        assert_eq!(payment.status, StatusCode::CREATED, "{:?}", payment.body);
        let payment_id = payment.body["data"]["id"].to_string();

        let foreign = ForeignResources {
            path_ids: BTreeMap::from([
                ("/api/orders/{id}", order_id.clone()),
                ("/api/payments/{id}", payment_id.clone()),
            ]),
            bodies: BTreeMap::from([
                (
                    ("POST", "/api/payments"),
                    (
                        json!({"order_id": order.body["id"], "amount": 1000,
                           "payment_method": "wave", "payment_reference": "ATTACKER-REF-1"}),
                        Foreign::Refused,
                    ),
                ),
                (
                    ("POST", "/api/auth/logout"),
                    (
                        json!({"refreshToken": victim.refresh_token}),
                        Foreign::Ignored,
                    ),
                ),
            ]),
            markers: vec![
                "0711223344".into(),
                "0707654321".into(),
                "VICTIM-REF-42".into(),
            ],
            victim_reads: vec![
                "/api/users/profile".into(),
                "/api/orders".into(),
                format!("/api/orders/{order_id}"),
                format!("/api/payments/{payment_id}"),
            ],
        };
        let before = authz::victim_view(&app, &victim.token, &foreign).await;
        assert!(
            before.iter().all(|read| read["status"] == 200),
            "the victim reads its own data: {before:?}"
        );

        let attacker = app.login("0102030405").await;
        report(
            authz::cross_client_failures(
                &app,
                kbine::API.routes(),
                ENDS_SESSION,
                "client",
                &attacker.token,
                &foreign,
            )
            .await,
        );
        let after = authz::victim_view(&app, &victim.token, &foreign).await;
        assert_eq!(
            before, after,
            "the attack changed the victim's data or session"
        );
    }
);
