//! `/api/resumes/`: anonymous and signed-in résumés, their owners, auto-save and the
//! watermark flag.

use super::*;
use store::Update;

fn minimum(template: i64) -> Value {
    json!({"template": template, "full_name": "Marie Dubois", "email": "marie.dubois@example.com"})
}

fn experience(company: &str, order: i64) -> Value {
    json!({"company": company, "position": "Developer", "location": "Paris, France",
           "start_date": "2020-03-01", "end_date": null, "is_current": true,
           "description": "Applications web", "order": order})
}

both!(
    an_anonymous_visitor_gets_a_session_with_their_first_resume,
    |app: ProductApp| async move {
        let created = app.post("/api/resumes/", None, minimum(2)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let session = session_cookie(&created).expect("a sessionid cookie");
        let cookie = created.headers["set-cookie"].to_str().unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let body = &created.body;
        assert_eq!(body["session_id"], session.as_str());
        assert_eq!(body["user"], Value::Null);
        assert_eq!(body["template"], 2);
        assert_eq!(
            (body["is_paid"].clone(), body["payment_type"].clone()),
            (json!(false), json!("free"))
        );
        assert_eq!(
            body["can_export_without_watermark"], false,
            "a premium design, unpaid"
        );
        assert_eq!(body["experiences"], json!([]));
        assert_eq!(body["photo"], Value::Null);
        let id = body["id"].as_i64().unwrap();
        // The same session, by cookie or by header, sees it; nobody else does.
        let listed = with_session(&app, Method::GET, "/api/resumes/", &session, None).await;
        assert_eq!(listed.body.as_array().unwrap().len(), 1);
        assert_eq!(listed.body[0]["id"], id);
        let by_header = app
            .request_with(
                Method::GET,
                &format!("/api/resumes/{id}/"),
                None,
                &[("x-session-id", &session)],
                None,
            )
            .await;
        assert_eq!(by_header.status, StatusCode::OK);
        let second = app.post("/api/resumes/", None, minimum(1)).await;
        let stranger = session_cookie(&second).unwrap();
        assert_ne!(stranger, session);
        let theirs = with_session(
            &app,
            Method::GET,
            &format!("/api/resumes/{id}/"),
            &stranger,
            None,
        )
        .await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        assert_eq!(theirs.body, json!({"detail": "Not found."}));
        let nobody = app.get("/api/resumes/", None).await;
        assert_eq!((nobody.status, nobody.body), (StatusCode::OK, json!([])));
        // A session's second résumé does not start another session.
        let more = with_session(
            &app,
            Method::POST,
            "/api/resumes/",
            &session,
            Some(minimum(1)),
        )
        .await;
        assert_eq!(more.status, StatusCode::CREATED);
        assert!(more.headers.get("set-cookie").is_none());
        assert_eq!(
            more.body["can_export_without_watermark"], true,
            "a free design"
        );
    }
);

both!(
    signing_in_claims_the_sessions_resumes,
    |app: ProductApp| async move {
        let made = app.post("/api/resumes/", None, minimum(1)).await;
        let session = session_cookie(&made).unwrap();
        let id = made.body["id"].as_i64().unwrap();
        register(&app, "claire").await;
        let cookie = format!("sessionid={session}");
        let login = app
            .request_with(
                Method::POST,
                "/api/auth/login/",
                None,
                &[("cookie", &cookie)],
                Some(json!({"email": "claire@example.com", "password": "SecurePass123!"})),
            )
            .await;
        assert_eq!(login.status, StatusCode::OK);
        let token = login.body["access"].as_str().unwrap();
        let mine = app.get("/api/resumes/", Some(token)).await;
        assert_eq!(mine.body.as_array().unwrap().len(), 1);
        assert_eq!(mine.body[0]["id"], id);
        assert_eq!(mine.body[0]["session_id"], Value::Null);
        assert!(mine.body[0]["user"].as_i64().is_some());
        let gone = with_session(&app, Method::GET, "/api/resumes/", &session, None).await;
        assert_eq!(gone.body, json!([]));
        // Registering with a session claims it too.
        let made = app.post("/api/resumes/", None, minimum(3)).await;
        let cookie = format!("sessionid={}", session_cookie(&made).unwrap());
        let registered = app
            .request_with(
                Method::POST,
                "/api/auth/register/",
                None,
                &[("cookie", &cookie)],
                Some(json!({"username": "dan", "email": "dan@example.com",
                                  "password": "SecurePass123!", "password2": "SecurePass123!"})),
            )
            .await;
        assert_eq!(registered.status, StatusCode::CREATED);
        let (dan, _) = log_in(&app, "dan").await;
        let his = app.get("/api/resumes/", Some(&dan)).await;
        assert_eq!(his.body[0]["id"], made.body["id"]);
        // Another user's résumé is not found, for every verb.
        let path = format!("/api/resumes/{id}/");
        assert_eq!(
            app.get(&path, Some(&dan)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.patch(&path, Some(&dan), json!({"title": "x"}))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.delete(&path, Some(&dan)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&path, Some(token)).await.status,
            StatusCode::OK,
            "still there"
        );
    }
);

both!(
    auto_save_changes_what_is_sent_and_keeps_entry_ids,
    |app: ProductApp| async move {
        let token = user(&app, "lea").await;
        let mut body = minimum(1);
        body["title"] = json!("Chef de Projet");
        body["experience_data"] = json!([experience("Tech Corp", 0), experience("StartupXYZ", 1)]);
        body["skills_data"] =
            json!([{"name": "React", "level": "expert", "category": "Frontend", "order": 0}]);
        body["languages_data"] = json!([{"language": "Français", "level": "Natif"}]);
        let created = app.post("/api/resumes/", Some(&token), body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["session_id"], Value::Null);
        let ids = |r: &Reply, list: &str| {
            r.body[list]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        };
        let first = ids(&created, "experiences");
        assert_eq!(first.len(), 2);
        assert_ne!(first[0], first[1]);
        let path = format!("/api/resumes/{}/", created.body["id"]);
        let titled = app
            .patch(
                &path,
                Some(&token),
                json!({"summary": "Six ans d'expérience"}),
            )
            .await;
        assert_eq!(titled.status, StatusCode::OK, "{}", titled.body);
        assert_eq!(titled.body["title"], "Chef de Projet", "unsent fields stay");
        assert_eq!(titled.body["summary"], "Six ans d'expérience");
        assert_eq!(ids(&titled, "experiences"), first);
        let grown = app
        .patch(&path, Some(&token), json!({"experience_data": [
            experience("Tech Corp", 0), experience("StartupXYZ", 1), experience("FreelanceWork", 2)]}))
        .await;
        let after = ids(&grown, "experiences");
        assert_eq!(&after[..2], &first[..], "unchanged entries keep their ids");
        assert!(after[2] > first[1], "a new entry gets a new id");
        assert_eq!(grown.body["experiences"][2]["company"], "FreelanceWork");
        assert_eq!(
            ids(&grown, "skills"),
            ids(&created, "skills"),
            "lists not sent stay"
        );
        assert_eq!(
            grown.body["languages_data"],
            json!([{"language": "Français", "level": "Natif"}])
        );
        let read = app.get(&path, Some(&token)).await;
        assert_eq!(read.body["experiences"], grown.body["experiences"]);
        assert!(
            read.body["updated_at"].as_str().unwrap()
                >= created.body["updated_at"].as_str().unwrap()
        );
    }
);

both!(
    bad_resumes_name_every_failing_field,
    |app: ProductApp| async move {
        let reply = app
            .post(
                "/api/resumes/",
                None,
                json!({"template": 9, "email": "nope", "website": "github",
               "skills_data": [{"name": "Rust"}, {"level": "guru"}],
               "experience_data": [{"company": "X", "position": "Y", "start_date": "15/01/2020"}],
               "languages_data": {"language": "fr"}}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            reply.body,
            json!({"template": ["Invalid pk \"9\" - object does not exist."],
               "full_name": ["This field is required."],
               "email": ["Enter a valid email address."],
               "website": ["Enter a valid URL."],
               "skills_data": [{}, {"name": ["This field is required."], "level": ["\"guru\" is not a valid choice."]}],
               "experience_data": [{"start_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}],
               "languages_data": ["Expected a list of items but got type \"dict\"."]})
        );
        assert!(
            reply.headers.get("set-cookie").is_none(),
            "nothing was made"
        );
    }
);

both!(
    a_deleted_resume_is_gone_and_a_read_is_recorded,
    |app: ProductApp| async move {
        let token = user(&app, "rui").await;
        let created = app.post("/api/resumes/", Some(&token), minimum(1)).await;
        let id = created.body["id"].as_i64().unwrap();
        let path = format!("/api/resumes/{id}/");
        let store = &app.deps.store;
        // Back-date the last read, then read: the read is recorded, in the answer and stored.
        let key = store::Key::new(format!("RESUME#{}", web::counters::padded(id)), "RESUME");
        store
            .update(
                &key,
                Update::new().set("last_accessed", "2020-01-01T00:00:00Z"),
                None,
            )
            .await
            .unwrap();
        let read = app.get(&path, Some(&token)).await;
        let seen = read.body["last_accessed"].as_str().unwrap().to_string();
        assert!(seen.as_str() > "2025-01-01", "{seen}");
        let stored = store.get(&key).await.unwrap().unwrap();
        assert_eq!(stored["last_accessed"], seen.as_str());
        let deleted = app.delete(&path, Some(&token)).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        assert_eq!(
            app.get(&path, Some(&token)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.delete(&path, Some(&token)).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(store.get(&key).await.unwrap().is_none());
    }
);

both!(
    an_active_subscription_lifts_the_watermark,
    |app: ProductApp| async move {
        let token = user(&app, "sub").await;
        let premium = app.post("/api/resumes/", Some(&token), minimum(3)).await;
        assert_eq!(premium.body["can_export_without_watermark"], false);
        let profile = app.get("/api/auth/profile/", Some(&token)).await;
        let id = profile.body["id"].as_i64().unwrap();
        // What a paid subscription's webhook sets.
        let future = "2999-01-01T00:00:00Z";
        cvbuilder::users::change(
            &app.deps.store,
            id,
            Update::new()
                .set("is_premium", true)
                .set("subscription_type", "monthly")
                .set("subscription_end_date", future),
        )
        .await
        .unwrap();
        let listed = app.get("/api/resumes/", Some(&token)).await;
        let shown = &listed.body[0];
        assert_eq!(shown["can_export_without_watermark"], true);
        assert_eq!(
            (shown["is_paid"].clone(), shown["payment_type"].clone()),
            (json!(true), json!("subscription"))
        );
        // One that ended is no subscription.
        cvbuilder::users::change(
            &app.deps.store,
            id,
            Update::new().set("subscription_end_date", "2000-01-01T00:00:00Z"),
        )
        .await
        .unwrap();
        let path = format!("/api/resumes/{}/", premium.body["id"]);
        let read = app.get(&path, Some(&token)).await;
        assert_eq!(read.body["can_export_without_watermark"], false);
        assert_eq!(read.body["payment_type"], "free");
    }
);

both!(
    a_session_id_the_server_did_not_issue_is_replaced,
    |app: ProductApp| async move {
        // An attacker plants an id of their choosing (session fixation): the server makes
        // the visitor a new one, so signing in later moves nothing to the attacker's id.
        let planted = "deadbeefdeadbeefdeadbeefdeadbeef";
        let cookie = format!("sessionid={planted}");
        for headers in [[("x-session-id", planted)], [("cookie", cookie.as_str())]] {
            let created = app
                .request_with(
                    Method::POST,
                    "/api/resumes/",
                    None,
                    &headers,
                    Some(minimum(1)),
                )
                .await;
            assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
            let issued = session_cookie(&created).expect("a new sessionid cookie");
            assert_ne!(issued, planted);
            assert_eq!(created.body["session_id"], issued.as_str());
            let seen = app
                .request_with(Method::GET, "/api/resumes/", None, &headers, None)
                .await;
            assert_eq!(seen.body, json!([]), "the planted id owns nothing");
        }
    }
);
