//! JSON Resume: a résumé exported and imported again comes back the same; another tool's
//! document becomes a résumé with what it says and nothing more.

use super::*;

/// `value` without its ids, owner, dates, and the nulls JSON Resume leaves out.
fn comparable(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(k, v)| {
                    !v.is_null()
                        && ![
                            "id",
                            "user",
                            "session_id",
                            "created_at",
                            "updated_at",
                            "last_accessed",
                        ]
                        .contains(&k.as_str())
                })
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(comparable).collect()),
        other => other.clone(),
    }
}

both!(
    an_exported_resume_comes_back_the_same,
    |app: ProductApp| async move {
        let token = user(&app, "roundtrip").await;
        let mut body = full(3);
        body["linkedin_url"] = json!("https://www.linkedin.com/in/helene");
        body["github_url"] = json!("https://github.com/helene");
        body["skills_data"] = json!([
            {"name": "Agile/Scrum", "level": "advanced", "category": "Méthodologie", "order": 0},
            {"name": "SQL", "level": "beginner", "category": null, "order": 1}
        ]);
        let created = app.post("/api/resumes/", Some(&token), body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.body["id"].as_i64().unwrap();

        let exported = app
            .get(&format!("/api/resumes/{id}/export_json/"), Some(&token))
            .await;
        assert_eq!(exported.status, StatusCode::OK, "{}", exported.body);
        let document = &exported.body;
        assert_eq!(
            document["$schema"],
            "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
        );
        assert_eq!(document["basics"]["name"], "Hélène Ørsted-Lévy 李华");
        assert_eq!(document["basics"]["label"], "Chef de Projet Digital");
        assert_eq!(document["work"][0]["name"], "Digital Agency");
        assert!(document["work"][0].get("endDate").is_none(), "current");
        assert_eq!(document["education"][0]["studyType"], "MBA");
        assert_eq!(document["languages"][0]["fluency"], "Natif");
        assert_eq!(
            document["basics"]["profiles"][0],
            json!({"network": "LinkedIn", "url": "https://www.linkedin.com/in/helene"})
        );

        let imported = app
            .post("/api/resumes/import_json/", Some(&token), document.clone())
            .await;
        assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
        assert_ne!(imported.body["id"], id);
        assert_eq!(comparable(&imported.body), comparable(&created.body));
        // Both are the user's.
        let listed = app.get("/api/resumes/", Some(&token)).await;
        assert_eq!(listed.body.as_array().unwrap().len(), 2);
    }
);

/// A document as another résumé tool writes it (after the JSON Resume sample).
fn foreign() -> Value {
    json!({
        "basics": {
            "name": "Richard Hendriks", "label": "Programmer", "email": "richard@piedpiper.example",
            "phone": "(912) 555-4321", "url": "https://piedpiper.example",
            "summary": "Richard hails from Tulsa.",
            "location": {"address": "2712 Broadway St", "postalCode": "CA 94115",
                         "city": "San Francisco", "countryCode": "US", "region": "California"},
            "profiles": [
                {"network": "Twitter", "username": "neutralthoughts", "url": ""},
                {"network": "LinkedIn", "url": "https://www.linkedin.com/in/richardhendriks"}
            ]
        },
        "work": [{"name": "Pied Piper", "position": "CEO/President", "startDate": "2013-12",
                  "summary": "Pied Piper is a multi-platform technology.",
                  "highlights": ["Build an algorithm", "Successfully won Techcrunch Disrupt"]}],
        "education": [{"institution": "University of Oklahoma", "area": "Information Technology",
                       "studyType": "Bachelor", "startDate": "2011", "endDate": "2013-01-01",
                       "score": "4.0", "courses": ["DB1101 - Basic SQL", "CS2011 - Java"]}],
        "skills": [{"name": "Web Development", "level": "Master", "keywords": ["HTML", "CSS"]},
                   {"name": "Compression", "level": "Wizard", "keywords": []}],
        "languages": [{"language": "English", "fluency": "Native speaker"}],
        "interests": [{"name": "Wildlife", "keywords": ["Ferrets"]}],
        "awards": [{"title": "Digital Compression Pioneer Award", "date": "2014-11-01",
                    "awarder": "Techcrunch"}]
    })
}

both!(
    another_tools_document_becomes_a_resume,
    |app: ProductApp| async move {
        let created = app.post("/api/resumes/import_json/", None, foreign()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert!(
            session_cookie(&created).is_some(),
            "a visitor gets a session"
        );
        let r = &created.body;
        assert_eq!(r["template"], 1);
        assert_eq!(r["full_name"], "Richard Hendriks");
        assert_eq!(r["title"], "Programmer");
        assert_eq!(r["website"], "https://piedpiper.example");
        assert_eq!(
            r["address"],
            "2712 Broadway St, CA 94115 San Francisco, California, US"
        );
        assert_eq!(
            r["linkedin_url"],
            "https://www.linkedin.com/in/richardhendriks"
        );
        assert_eq!(r["github_url"], Value::Null);
        let job = &r["experiences"][0];
        assert_eq!(
            (&job["company"], &job["start_date"], &job["is_current"]),
            (&json!("Pied Piper"), &json!("2013-12-01"), &json!(true))
        );
        assert_eq!(
            job["description"],
            "Pied Piper is a multi-platform technology.\n\n• Build an algorithm\n• Successfully won Techcrunch Disrupt"
        );
        let school = &r["education"][0];
        assert_eq!(
            (
                &school["degree"],
                &school["field_of_study"],
                &school["start_date"]
            ),
            (
                &json!("Bachelor"),
                &json!("Information Technology"),
                &json!("2011-01-01")
            )
        );
        assert_eq!(school["grade"], "4.0");
        assert_eq!(school["description"], "DB1101 - Basic SQL, CS2011 - Java");
        let skills: Vec<(String, String, Value)> = r["skills"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let t = |k: &str| s[k].as_str().unwrap().to_string();
                (t("name"), t("level"), s["category"].clone())
            })
            .collect();
        assert_eq!(
            skills,
            vec![
                ("HTML".into(), "expert".into(), json!("Web Development")),
                ("CSS".into(), "expert".into(), json!("Web Development")),
                // A level it cannot place is left to the default.
                ("Compression".into(), "intermediate".into(), Value::Null),
            ]
        );
        assert_eq!(
            r["languages_data"],
            json!([{"language": "English", "level": "Native speaker"}])
        );
        assert_eq!(
            r["custom_sections"],
            json!([
                {"title": "Distinctions", "content": "Digital Compression Pioneer Award — Techcrunch — 2014-11-01"},
                {"title": "Centres d'intérêt", "content": "Wildlife"}
            ])
        );
    }
);

both!(
    a_document_missing_what_a_resume_needs_is_refused_field_by_field,
    |app: ProductApp| async move {
        let mut document = foreign();
        document["basics"] = json!({"label": "Programmer"});
        document["work"][0]["startDate"] = json!("last spring");
        let refused = app.post("/api/resumes/import_json/", None, document).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused.body["full_name"],
            json!(["This field is required."])
        );
        assert_eq!(refused.body["email"], json!(["This field is required."]));
        assert!(
            refused.body["experience_data"][0]["start_date"].is_array(),
            "{}",
            refused.body
        );
        assert!(session_cookie(&refused).is_none(), "nothing was created");
        // Another owner's résumé is not exported.
        let owner = user(&app, "jsonowner").await;
        let created = app.post("/api/resumes/", Some(&owner), full(1)).await;
        let path = format!("/api/resumes/{}/export_json/", created.body["id"]);
        let stranger = user(&app, "jsonstranger").await;
        let reply = app.get(&path, Some(&stranger)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.body, json!({"detail": "Not found."}));
    }
);

both!(
    a_document_of_the_wrong_shape_is_refused_section_by_section,
    |app: ProductApp| async move {
        let mut document = foreign();
        document["work"] = json!({});
        document["skills"] = json!("Rust");
        document["education"] = json!([{"institution": "X"}, 3]);
        document["basics"]["profiles"] = json!(null);
        let refused = app.post("/api/resumes/import_json/", None, document).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused.body,
            json!({
                "work": ["Expected a list of items but got type \"dict\"."],
                "education": ["Invalid data. Expected a dictionary, but got int."],
                "skills": ["Expected a list of items but got type \"str\"."],
            })
        );
        let basics = app
            .post("/api/resumes/import_json/", None, json!({"basics": "John"}))
            .await;
        assert_eq!(
            basics.body,
            json!({"basics": ["Invalid data. Expected a dictionary, but got str."]})
        );
    }
);
