//! `marketplace-admin.md` §8: the CSV exports, opened as a spreadsheet would, named with the
//! day, safe from formulas; a file too large for Lambda's answer waits behind a link, and
//! 100,000 users fit that way.

use super::*;
use marketplace::users::User;

/// The rows of a CSV answer (its byte-order mark first), header included.
fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first");
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn today() -> String {
    web::time::now()[..10].to_owned()
}

both!(
    each_export_is_a_csv_named_with_the_day,
    |app: ProductApp| async move {
        let (admin, _) = admin(&app).await;
        register(&app, "awa@example.com", "=HYPERLINK(\"http://x\")", "Bello").await;
        let id = super::providers::approved(&app, &admin, "salon@example.com").await;
        app.put(
            &format!("/api/admin/providers/{id}/verify"),
            Some(&admin),
            json!({"isVerified": true}),
        )
        .await;
        let client = register(&app, "fatou@example.com", "Fatou", "Kamga").await;
        let client = client["token"].as_str().unwrap();
        let review = json!({"rating": 5, "comment": "Travail soigné, je recommande"});
        let posted = app
            .post(
                &format!("/api/providers/{id}/reviews"),
                Some(client),
                review,
            )
            .await;
        assert_eq!(posted.status, StatusCode::CREATED, "{:?}", posted.body);
        let contact = json!({"message": "Êtes-vous disponible samedi ?", "phoneNumber": "+237 6 99 00 11 22"});
        let sent = app
            .post(
                &format!("/api/providers/{id}/contact"),
                Some(client),
                contact,
            )
            .await;
        assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);

        let users = app.get_raw("/api/admin/export/users", Some(&admin)).await;
        assert_eq!(users.status, StatusCode::OK);
        assert_eq!(
            users.headers["content-disposition"],
            format!("attachment; filename=\"users_{}.csv\"", today()).as_str()
        );
        assert!(
            users.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let table = rows(&users.bytes);
        assert_eq!(table.len(), 4, "the admin, two clients and the provider");
        assert_eq!(table[0][3], "fatou@example.com", "newest first");
        let awa = table.iter().find(|r| r[3] == "awa@example.com").unwrap();
        assert_eq!(awa[1], "'=HYPERLINK(\"http://x\")", "never a formula");

        let providers = app
            .get_raw("/api/admin/export/providers", Some(&admin))
            .await;
        let table = rows(&providers.bytes);
        assert_eq!((table.len(), table[0][0].as_str()), (1, id.as_str()));
        assert_eq!(table[0][4], "coiffure; maquillage");
        assert_eq!(table[0][5], "true");
        let reviews = rows(
            &app.get_raw("/api/admin/export/reviews", Some(&admin))
                .await
                .bytes,
        );
        assert_eq!(
            (reviews[0][4].as_str(), reviews[0][5].as_str()),
            ("5", "Travail soigné, je recommande")
        );
        let contacts = app
            .get_raw("/api/admin/export/contacts", Some(&admin))
            .await;
        assert_eq!(
            contacts.headers["content-disposition"],
            format!("attachment; filename=\"contacts_{}.csv\"", today()).as_str()
        );
        let contacts = rows(&contacts.bytes);
        assert_eq!(
            (contacts[0][4].as_str(), contacts[0][7].as_str()),
            ("fatou@example.com", "unread")
        );
        assert_eq!(contacts[0][5], "'+237 6 99 00 11 22");

        let refused = app.get_raw("/api/admin/export/users", Some(client)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
);

/// Writes `count` clients straight into the store, as many registrations would have (the
/// items the export reads: each account in its role's list).
async fn many_clients(app: &ProductApp, count: usize) {
    let now = chrono::Utc::now();
    let mut puts = Vec::new();
    for n in 0..count {
        let at = web::time::format(now - chrono::Duration::milliseconds(n as i64));
        let user = User {
            id: uuid::Uuid::new_v4().to_string(),
            first_name: format!("Prénom{n}"),
            last_name: format!("Nom{n}"),
            email: format!("client{n}@example.com"),
            role: "client".into(),
            phone_number: Some("+237 6 99 00 11 22".into()),
            country: Some("Cameroun".into()),
            gender: Some("female".into()),
            is_email_verified: false,
            is_active: true,
            last_login: None,
            created_at: at.clone(),
            updated_at: at,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
            provider_since: None,
        };
        let item = user.placement().item(web::item::record(&user).unwrap());
        puts.push(store::TxOp::Put { item, cond: None });
        if puts.len() == 100 {
            app.deps
                .store
                .transact(std::mem::take(&mut puts))
                .await
                .unwrap();
        }
    }
    if !puts.is_empty() {
        app.deps.store.transact(puts).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_too_large_for_the_answer_waits_behind_a_link() {
    let app = ProductApp::spawn_with(
        &marketplace::Marketplace,
        api_tests::Backend::DynamoDb,
        |env| env.with("EXPORT_INLINE_MAX_BYTES", "1000"),
    )
    .await;
    let (admin, _) = admin(&app).await;
    many_clients(&app, 30).await;
    let (status, link, body) = unfollowed(&app, &admin).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body:?}");
    assert_eq!(body["data"]["url"], link.as_str());
    assert_eq!(
        body["data"]["fileName"],
        format!("users_{}.csv", today()).as_str()
    );
    let (status, bytes) = api_tests::download(&link).await;
    assert_eq!(status, 200);
    assert_eq!(rows(&bytes).len(), 31);
    // A client that follows redirects, as browsers and fetch do, gets the file at once.
    let followed = app.get_raw("/api/admin/export/users", Some(&admin)).await;
    assert_eq!(rows(&followed.bytes).len(), 31);
}

/// The users' export as answered, its redirect not followed: status, `Location`, body.
async fn unfollowed(app: &ProductApp, admin: &str) -> (StatusCode, String, Value) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let reply = client
        .get(format!("{}/api/admin/export/users", app.base))
        .bearer_auth(admin)
        .send()
        .await
        .unwrap();
    let status = reply.status();
    let link = reply
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, link, reply.json().await.unwrap())
}

/// The figure: 100,000 accounts exported within Lambda's 6 MB answer (the answer is
/// the link; the file is read from the bucket).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_users_are_exported() {
    let app = marketplace(api_tests::Backend::Embedded).await;
    let (admin, _) = admin(&app).await;
    many_clients(&app, 100_000).await;
    let (status, link, body) = unfollowed(&app, &admin).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body:?}");
    assert!(serde_json::to_vec(&body).unwrap().len() < 6 * 1024 * 1024);
    let (status, bytes) = api_tests::download(&link).await;
    assert_eq!(status, 200);
    let table = rows(&bytes);
    assert_eq!(table.len(), 100_001);
    assert!(table.iter().any(|r| r[3] == "client99999@example.com"));
}
