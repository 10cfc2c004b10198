//! Provider applications (issue 24's public side and `marketplace-admin.md` §3): a client
//! applies with its documents, an admin approves (all of it in one transaction), rejects or
//! asks for changes, which the applicant answers.

use super::*;
use api_tests::faults::bookkeeping;
use reqwest::Method;
use store::Key;
use web::product::Product;

pub const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00cni";
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

pub fn business() -> Vec<(&'static str, &'static str)> {
    vec![
        ("businessName", "Salon Marie Coiffure"),
        ("description", "Salon de coiffure professionnel pour femmes"),
        ("location", "Yaoundé, Centre-ville"),
        ("address", "Rue de la Paix, Quartier Bastos"),
        ("whatsapp", "+237 6 99 00 11 22"),
        ("facebook", "https://facebook.com/salonmarie"),
        ("instagram", "@salonmarie_cm"),
        ("activities", r#"["Coiffure", "maquillage"]"#),
        ("latitude", "3.8667"),
        ("longitude", "11.5167"),
        ("documentTypes", r#"["cni", "business_license"]"#),
    ]
}

/// A client who applied: its token, id and the answer's application.
pub async fn applicant(app: &ProductApp, email: &str) -> (String, String, Value) {
    applicant_as(app, email, &business()).await
}

/// [`applicant`], with its own form fields.
pub async fn applicant_as(
    app: &ProductApp,
    email: &str,
    fields: &[(&str, &str)],
) -> (String, String, Value) {
    let client = register(app, email, "Marie", "Ndiaye").await;
    let token = client["token"].as_str().unwrap().to_owned();
    let reply = app
        .post_multipart_as(
            "/api/providers/apply",
            Some(&token),
            fields,
            &[
                ("documents", "cni.jpg", "image/jpeg", JPEG),
                ("documents", "licence.pdf", "application/pdf", PDF),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let id = client["user"]["id"].as_str().unwrap().to_owned();
    (token, id, reply.body["data"]["application"].clone())
}

both!(
    a_client_applies_with_its_documents,
    |app: ProductApp| async move {
        let (token, user_id, application) = applicant(&app, "marie@example.com").await;
        assert_eq!(application["status"], "pending");
        assert_eq!(application["userId"], user_id.as_str());
        assert_eq!(application["businessName"], "Salon Marie Coiffure");
        assert_eq!(application["activities"], json!(["coiffure", "maquillage"]));
        assert_eq!(application["latitude"], 3.8667);
        let documents = application["documents"].as_array().unwrap();
        let kinds: Vec<&str> = documents
            .iter()
            .map(|d| d["type"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["cni", "business_license"]);
        assert_eq!(documents[1]["contentType"], "application/pdf");
        assert_eq!(documents[0]["status"], "pending");
        // A private file, behind a link that works for a while.
        let (status, bytes) = api_tests::download(documents[0]["url"].as_str().unwrap()).await;
        assert_eq!((status, bytes.as_slice()), (200, JPEG));

        let mine = app.get("/api/providers/my-application", Some(&token)).await;
        assert_eq!(mine.status, StatusCode::OK);
        assert_eq!(mine.body["data"]["application"]["id"], application["id"]);

        let again = app
            .post_multipart_as(
                "/api/providers/apply",
                Some(&token),
                &business(),
                &[("documents", "cni.jpg", "image/jpeg", JPEG)],
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(
            again.body,
            json!({"success": false, "message": "Une candidature est déjà en cours"})
        );
    }
);

both!(
    an_application_names_what_is_wrong,
    |app: ProductApp| async move {
        let client = register(&app, "jean@example.com", "Jean", "Fokou").await;
        let token = client["token"].as_str();
        let empty = app
            .post_multipart_as(
                "/api/providers/apply",
                token,
                &[("activities", "coiffure")],
                &[],
            )
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        let errors = empty.body["errors"].as_object().unwrap();
        for field in ["businessName", "description", "location", "activities"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        let no_document = app
            .post_multipart_as("/api/providers/apply", token, &business()[..10], &[])
            .await;
        assert_eq!(no_document.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            no_document.body["errors"],
            json!({"documents": ["Au moins un document (la CNI) est requis"]})
        );
        let script = app
            .post_multipart_as(
                "/api/providers/apply",
                token,
                &business()[..10],
                &[(
                    "documents",
                    "cni.jpg",
                    "image/jpeg",
                    b"<svg onload=alert(1)>",
                )],
            )
            .await;
        assert_eq!(script.status, StatusCode::BAD_REQUEST, "{:?}", script.body);
        assert_eq!(script.body["success"], false);
        let mine = app.get("/api/providers/my-application", token).await;
        assert_eq!(mine.status, StatusCode::NOT_FOUND);
        assert_eq!(
            mine.body,
            json!({"success": false, "message": "Aucune candidature"})
        );
        let (admin, _) = admin(&app).await;
        let refused = app
            .post_multipart_as(
                "/api/providers/apply",
                Some(&admin),
                &business()[..10],
                &[("documents", "cni.jpg", "image/jpeg", JPEG)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
);

both!(
    an_admin_lists_and_reads_applications,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let (_, first_user, first) = applicant(&app, "marie@example.com").await;
        applicant(&app, "fatou@example.com").await;
        let list = app
            .get(
                "/api/admin/provider-applications?status=pending&limit=1",
                Some(&admin),
            )
            .await;
        assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
        let page = &list.body["data"];
        assert_eq!(page["applications"][0]["id"], first["id"]);
        assert_eq!(
            page["applications"][0]["user"]["email"],
            "marie@example.com"
        );
        assert_eq!(
            page["pagination"],
            json!({"page": 1, "limit": 1, "total": 2, "totalPages": 2})
        );
        let none = app
            .get(
                "/api/admin/provider-applications?status=approved",
                Some(&admin),
            )
            .await;
        assert_eq!(none.body["data"]["applications"], json!([]));
        let all = app
            .get("/api/admin/provider-applications", Some(&admin))
            .await;
        assert_eq!(all.body["data"]["pagination"]["total"], 2);
        let bad = app
            .get(
                "/api/admin/provider-applications?status=maybe",
                Some(&admin),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        let path = format!(
            "/api/admin/provider-applications/{}",
            first["id"].as_str().unwrap()
        );
        let one = app.get(&path, Some(&admin)).await;
        assert_eq!(one.status, StatusCode::OK);
        let application = &one.body["data"]["application"];
        assert_eq!(application["user"]["id"], first_user.as_str());
        assert_eq!(application["documents"].as_array().unwrap().len(), 2);
        let unknown = format!("/api/admin/provider-applications/{}", uuid::Uuid::new_v4());
        let missing = app.get(&unknown, Some(&admin)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            missing.body,
            json!({"success": false, "message": "Candidature non trouvée"})
        );
    }
);

fn review_path(application: &Value) -> String {
    format!(
        "/api/admin/provider-applications/{}/review",
        application["id"].as_str().unwrap()
    )
}

both!(
    an_approval_makes_the_client_a_provider_under_review,
    |app: ProductApp| async move {
        let (admin, admin_id) = admin(&app).await;
        let (token, user_id, application) = applicant(&app, "marie@example.com").await;
        let decision =
            json!({"decision": "approved", "adminNotes": "Dossier complet, profil vérifié"});
        let reply = app
            .put(&review_path(&application), Some(&admin), decision)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["success"], true);
        assert_eq!(reply.body["application"]["status"], "approved");
        assert_eq!(reply.body["application"]["reviewedBy"], admin_id.as_str());
        assert_eq!(
            reply.body["application"]["adminNotes"],
            "Dossier complet, profil vérifié"
        );
        let provider = &reply.body["provider"];
        assert_eq!(provider["businessName"], "Salon Marie Coiffure");
        assert_eq!(provider["isVerified"], false);
        assert_eq!(provider["verificationStatus"], "under_review");

        // Its client token is done: it signs in again, as a provider.
        let old = app.get("/api/auth/me", Some(&token)).await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED);
        let again = login(&app, "marie@example.com", PASSWORD).await;
        assert_eq!(again.body["data"]["user"]["role"], "provider");
        let providers = app
            .get("/api/admin/users?role=provider", Some(&admin))
            .await;
        assert_eq!(providers.body["data"]["users"][0]["id"], user_id.as_str());
        let clients = app
            .get("/api/admin/users?role=client&search=marie", Some(&admin))
            .await;
        assert_eq!(clients.body["data"]["users"], json!([]));

        let stored = app
            .deps
            .store
            .get(&Key::new(format!("PROVIDEROF#{user_id}"), "PROVIDER"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored["providerId"], provider["id"]);
        let trial = app
            .deps
            .store
            .get(&Key::new(
                format!("SUBSCRIPTION#{}", provider["id"].as_str().unwrap()),
                "SUBSCRIPTION",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(trial["plan"], "trial");
        let (starts, ends) = (
            chrono::DateTime::parse_from_rfc3339(trial["startsAt"].as_str().unwrap()).unwrap(),
            chrono::DateTime::parse_from_rfc3339(trial["endsAt"].as_str().unwrap()).unwrap(),
        );
        assert_eq!((ends - starts).num_days(), 30);

        let twice = app
            .put(
                &review_path(&application),
                Some(&admin),
                json!({"decision": "rejected", "rejectionReason": "Trop tard pour changer"}),
            )
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        assert_eq!(
            twice.body,
            json!({"success": false, "message": "Candidature déjà traitée"})
        );
        let audit = app
            .get(
                "/api/admin/audit-logs?entityType=ProviderApplication",
                Some(&admin),
            )
            .await;
        assert_eq!(
            audit.body["data"]["logs"][0]["action"],
            "application.approve"
        );
    }
);

both!(
    a_rejection_needs_its_reason_and_lets_the_client_apply_again,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let (token, _, application) = applicant(&app, "marie@example.com").await;
        let bare = app
            .put(
                &review_path(&application),
                Some(&admin),
                json!({"decision": "rejected"}),
            )
            .await;
        assert_eq!(bare.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            bare.body["errors"],
            json!({"rejectionReason": ["rejectionReason est obligatoire (5 à 500 caractères)"]})
        );
        let unknown = app
            .put(
                &review_path(&application),
                Some(&admin),
                json!({"decision": "maybe"}),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        let reason = "CNI illisible, veuillez resoumettre une photo claire";
        let rejected = app
            .put(
                &review_path(&application),
                Some(&admin),
                json!({"decision": "rejected", "rejectionReason": reason}),
            )
            .await;
        assert_eq!(rejected.status, StatusCode::OK, "{:?}", rejected.body);
        assert_eq!(rejected.body["application"]["status"], "rejected");
        assert_eq!(rejected.body["application"]["rejectionReason"], reason);
        assert!(rejected.body.get("provider").is_none());
        let mine = app.get("/api/providers/my-application", Some(&token)).await;
        assert_eq!(mine.body["data"]["application"]["status"], "rejected");
        // Still a client, it may apply again.
        let again = app
            .post_multipart_as(
                "/api/providers/apply",
                Some(&token),
                &business()[..10],
                &[("documents", "cni.jpg", "image/jpeg", JPEG)],
            )
            .await;
        assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
    }
);

both!(
    the_applicant_answers_a_request_for_changes,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        let (token, _, application) = applicant(&app, "marie@example.com").await;
        let early = app
            .multipart(
                Method::PUT,
                "/api/providers/my-application",
                Some(&token),
                &business()[..10],
                &[],
            )
            .await;
        assert_eq!(early.status, StatusCode::CONFLICT);
        let asked = json!({"decision": "revisions_requested", "requestedChanges": "Ajoutez une photo du salon"});
        let reply = app
            .put(&review_path(&application), Some(&admin), asked)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["application"]["status"], "revisions_requested");
        let mine = app.get("/api/providers/my-application", Some(&token)).await;
        assert_eq!(
            mine.body["data"]["application"]["requestedChanges"],
            "Ajoutez une photo du salon"
        );

        let mut fields = business()[..10].to_vec();
        fields.push(("documentTypes", r#"["photo"]"#));
        let answered = app
            .multipart(
                Method::PUT,
                "/api/providers/my-application",
                Some(&token),
                &fields,
                &[("documents", "salon.jpg", "image/jpeg", JPEG)],
            )
            .await;
        assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
        let answered = &answered.body["data"]["application"];
        assert_eq!(answered["status"], "pending");
        let kinds: Vec<&str> = answered["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["type"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["cni", "business_license", "photo"]);
        let pending = app
            .get(
                "/api/admin/provider-applications?status=pending",
                Some(&admin),
            )
            .await;
        assert_eq!(pending.body["data"]["pagination"]["total"], 1);
    }
);

/// The approval fails at each of its store operations in turn: each time it answers 503 and
/// leaves nothing of itself (the application pending, the account a client, no provider, no
/// trial, no audit entry); once the store is back it goes through whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_approval_rolls_back_whole() {
    let (app, faults) =
        ProductApp::spawn_faulty(&marketplace::Marketplace, Backend::Embedded).await;
    let email = "admin@rollback.test";
    marketplace::Marketplace
        .admin_create(&app.deps.store, email, "admin", Some(PASSWORD))
        .await
        .unwrap();
    let admin = login(&app, email, PASSWORD).await.body["data"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, user_id, application) = applicant(&app, "marie@example.com").await;
    let path = review_path(&application);
    let mut failures = 0;
    loop {
        faults.take_writes();
        faults.fail_after(failures);
        let reply = app
            .put(&path, Some(&admin), json!({"decision": "approved"}))
            .await;
        faults.heal();
        if reply.status == StatusCode::OK {
            assert_eq!(reply.body["provider"]["verificationStatus"], "under_review");
            break;
        }
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "at {failures}: {:?}",
            reply.body
        );
        let written: Vec<Key> = faults
            .take_writes()
            .into_iter()
            .filter(|k| !bookkeeping(k))
            .collect();
        assert!(written.is_empty(), "at {failures}: {written:?}");
        let store = &app.deps.store;
        let stored = store
            .get(&Key::new(
                format!("APPLICATION#{}", application["id"].as_str().unwrap()),
                "APPLICATION",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored["status"], "pending");
        let user = store
            .get(&Key::new(format!("USER#{user_id}"), "USER"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user["role"], "client");
        let link = Key::new(format!("PROVIDEROF#{user_id}"), "PROVIDER");
        assert!(store.get(&link).await.unwrap().is_none());
        failures += 1;
        assert!(failures < 50, "the approval never went through");
    }
    assert!(
        failures >= 3,
        "the approval touched the store only {failures} times"
    );
}
