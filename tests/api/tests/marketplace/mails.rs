//! The emails the document promises, read in the outbox: each sent once its change is
//! written, to the account it concerns, in French.

use super::applications::applicant;
use super::*;

/// The subjects of the emails sent to `to`, oldest first.
fn subjects(app: &ProductApp, to: &str) -> Vec<String> {
    app.outbox
        .emails()
        .into_iter()
        .filter(|sent| sent.email.to == to)
        .map(|sent| sent.email.subject)
        .collect()
}

/// The body of the last email sent to `to`.
fn last_text(app: &ProductApp, to: &str) -> String {
    let sent = app.outbox.emails();
    let last = sent.iter().rev().find(|s| s.email.to == to).unwrap();
    last.email.text.clone()
}

both!(
    an_applicant_hears_of_each_step,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let (_, _, first) = applicant(&app, "marie@example.com").await;
        assert_eq!(
            subjects(&app, "marie@example.com"),
            ["Bienvenue sur la marketplace", "Candidature reçue"]
        );
        assert!(last_text(&app, "marie@example.com").starts_with("Bonjour Marie,"));
        let review = |id: &Value| {
            format!(
                "/api/admin/provider-applications/{}/review",
                id.as_str().unwrap()
            )
        };
        let asked = app
            .put(
                &review(&first["id"]),
                Some(&admin),
                json!({"decision": "revisions_requested", "requestedChanges": "Ajoutez votre licence commerciale"}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::OK, "{:?}", asked.body);
        assert!(last_text(&app, "marie@example.com").contains("Ajoutez votre licence commerciale"));
        let rejected = app
            .put(
                &review(&first["id"]),
                Some(&admin),
                json!({"decision": "rejected", "rejectionReason": "Activité hors de la plateforme"}),
            )
            .await;
        assert_eq!(rejected.status, StatusCode::OK, "{:?}", rejected.body);
        assert!(
            last_text(&app, "marie@example.com").contains("Motif : Activité hors de la plateforme")
        );

        let id = super::providers::approved(&app, &admin, "awa@example.com").await;
        let verify = format!("/api/admin/providers/{id}/verify");
        app.put(
            &verify,
            Some(&admin),
            json!({"isVerified": false, "rejectionReason": "CNI illisible"}),
        )
        .await;
        app.put(&verify, Some(&admin), json!({"isVerified": true}))
            .await;
        let feature = format!("/api/admin/providers/{id}/feature");
        app.put(
            &feature,
            Some(&admin),
            json!({"isFeatured": true, "duration": 7}),
        )
        .await;
        assert_eq!(
            subjects(&app, "awa@example.com"),
            [
                "Bienvenue sur la marketplace",
                "Candidature reçue",
                "Candidature approuvée",
                "Vérification refusée",
                "Profil vérifié",
                "Votre profil est mis en avant",
            ]
        );
        assert!(last_text(&app, "awa@example.com").contains("jusqu'au "));
        assert_eq!(
            subjects(&app, "marie@example.com")[2..],
            [
                "Modifications demandées pour votre candidature",
                "Candidature refusée"
            ]
        );
    }
);

both!(
    an_account_hears_of_its_deactivation_once,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let client = register(&app, "fatou@example.com", "Fatou", "Kamga").await;
        let path = format!(
            "/api/admin/users/{}/status",
            client["user"]["id"].as_str().unwrap()
        );
        for active in [false, false, true] {
            let reply = app
                .put(&path, Some(&admin), json!({"isActive": active}))
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        }
        assert_eq!(
            subjects(&app, "fatou@example.com"),
            [
                "Bienvenue sur la marketplace",
                "Compte désactivé",
                "Compte réactivé"
            ]
        );
    }
);
