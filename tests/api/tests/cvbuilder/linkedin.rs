//! `POST /api/resumes/import_linkedin/`: the URL checked with the documented error, a URL
//! alone giving only what is known, and LinkedIn's data export (archive or CSV files) read
//! into a new résumé.

use super::*;
use std::io::Write;

const PATH: &str = "/api/resumes/import_linkedin/";

const PROFILE: &str = "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\n\
John,Doe,,,\"Jan 1, 1990\",Software Engineer,\"Experienced software engineer, fond of scalable systems\",Software Development,,\"San Francisco, California, United States\",,[PORTFOLIO:https://johndoe.dev],\n";
const EMAILS: &str = "Email Address,Confirmed,Primary,Updated On\nold@example.com,Yes,No,\njohn.doe@example.com,Yes,Yes,\n";
const POSITIONS: &str = "Company Name,Title,Description,Location,Started On,Finished On\n\
Tech Company,Senior Engineer,Leading development of cloud-based solutions,\"San Francisco, CA\",Jan 2020,\n\
Startup,Engineer,Built the first product,,Mar 2016,Dec 2019\n\
Side Gig,Consultant,Advice,,,\n";
const EDUCATION: &str = "School Name,Start Date,End Date,Notes,Degree Name,Activities\n\
Stanford University,2012,2016,,Bachelor of Science,Chess club\n\
Online Academy,,,Self-paced,,\n";
const SKILLS: &str = "Name\nPython\nAWS\n";
const LANGUAGES: &str = "Name,Proficiency\nEnglish,Native or bilingual proficiency\n";
const CONNECTIONS: &str = "Notes:\n\"When exporting your connection data...\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAna,Lima,,,X,Y,01 Jan 2024\n";

/// LinkedIn's data export as it downloads: a zip of CSV files, one of them not a résumé's.
fn archive() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        ("Profile.csv", PROFILE),
        ("Email Addresses.csv", EMAILS),
        ("Positions.csv", POSITIONS),
        ("Education.csv", EDUCATION),
        ("Skills.csv", SKILLS),
        ("Languages.csv", LANGUAGES),
        ("Connections.csv", CONNECTIONS),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

both!(
    a_url_alone_gives_only_what_is_known,
    |app: ProductApp| async move {
        let url = "https://www.linkedin.com/in/johndoe";
        let created = app.post(PATH, None, json!({"linkedin_url": url})).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert!(session_cookie(&created).is_some());
        let r = &created.body;
        assert_eq!(r["linkedin_url"], url);
        assert_eq!((&r["full_name"], &r["email"]), (&json!(""), &json!("")));
        assert_eq!(r["experiences"], json!([]));
        assert_eq!(r["template"], 1);
        // Signed in, the account says who it is; a share link's query is dropped.
        let token = user(&app, "linked").await;
        let shared = "https://fr.linkedin.com/in/ana-lima-42/?utm_source=share";
        let mine = app
            .post(PATH, Some(&token), json!({"linkedin_url": shared}))
            .await;
        assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.body);
        assert_eq!(
            mine.body["linkedin_url"],
            "https://fr.linkedin.com/in/ana-lima-42"
        );
        assert_eq!(mine.body["full_name"], "Ana Lima");
        assert_eq!(mine.body["email"], "linked@example.com");
    }
);

both!(
    a_url_that_is_no_profile_is_refused_as_documented,
    |app: ProductApp| async move {
        let invalid = json!({"linkedin_url": ["Invalid LinkedIn URL format."]});
        for url in [
            json!("https://www.facebook.com/in/johndoe"),
            json!("www.linkedin.com/in/johndoe"),
            json!("https://www.linkedin.com/company/acme"),
            json!("https://linkedin.com.evil.example/in/johndoe"),
            json!("https://evil.example/linkedin.com/in/johndoe"),
            json!("https://www.linkedin.com/in/"),
            json!(42),
        ] {
            let reply = app.post(PATH, None, json!({"linkedin_url": url})).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{url}");
            assert_eq!(reply.body, invalid, "{url}");
        }
        let missing = app.post(PATH, None, json!({})).await;
        assert_eq!(
            missing.body,
            json!({"linkedin_url": ["This field is required."]})
        );
        assert!(session_cookie(&missing).is_none(), "nothing was created");
    }
);

both!(
    linkedins_data_export_fills_the_resume,
    |app: ProductApp| async move {
        let zip = archive();
        let url = "https://www.linkedin.com/in/johndoe";
        let created = app
            .post_multipart(
                PATH,
                &[("linkedin_url", url)],
                &[(
                    "archive",
                    "Basic_LinkedInDataExport.zip",
                    "application/zip",
                    &zip,
                )],
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let r = &created.body;
        assert_eq!(r["full_name"], "John Doe");
        assert_eq!(r["email"], "john.doe@example.com", "the primary address");
        assert_eq!(r["title"], "Software Engineer");
        assert_eq!(
            r["summary"],
            "Experienced software engineer, fond of scalable systems"
        );
        assert_eq!(r["address"], "San Francisco, California, United States");
        assert_eq!(r["website"], "https://johndoe.dev");
        assert_eq!(r["linkedin_url"], url);
        let jobs = r["experiences"].as_array().unwrap();
        assert_eq!(jobs.len(), 2, "{jobs:?}");
        assert_eq!(
            (
                &jobs[0]["company"],
                &jobs[0]["start_date"],
                &jobs[0]["is_current"]
            ),
            (&json!("Tech Company"), &json!("2020-01-01"), &json!(true))
        );
        assert_eq!(
            (&jobs[1]["end_date"], &jobs[1]["is_current"]),
            (&json!("2019-12-01"), &json!(false))
        );
        let school = &r["education"][0];
        assert_eq!(
            (
                &school["institution"],
                &school["degree"],
                &school["start_date"]
            ),
            (
                &json!("Stanford University"),
                &json!("Bachelor of Science"),
                &json!("2012-01-01")
            )
        );
        let skills: Vec<&str> = r["skills"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(skills, ["Python", "AWS"]);
        assert_eq!(
            r["languages_data"],
            json!([{"language": "English", "level": "Native or bilingual proficiency"}])
        );
        // What has no start date (or no degree) is kept to complete, not guessed.
        assert_eq!(
            r["custom_sections"],
            json!([{
                "title": cvbuilder::resumes::linkedin::UNPLACED,
                "content": "Consultant — Side Gig — Advice\n\nOnline Academy — Self-paced"
            }])
        );
    }
);

both!(
    loose_csv_files_are_read_and_other_files_refused,
    |app: ProductApp| async move {
        let token = user(&app, "csvfiles").await;
        let created = app
            .post_multipart_as(
                PATH,
                Some(&token),
                &[],
                &[
                    ("files", "Positions.csv", "text/csv", POSITIONS.as_bytes()),
                    ("files", "Skills.csv", "text/csv", SKILLS.as_bytes()),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["experiences"].as_array().unwrap().len(), 2);
        // No profile in the files: the account names the résumé.
        assert_eq!(created.body["full_name"], "Ana Lima");
        assert_eq!(created.body["linkedin_url"], Value::Null);

        let other = app
            .post_multipart(
                PATH,
                &[],
                &[(
                    "files",
                    "Connections.csv",
                    "text/csv",
                    CONNECTIONS.as_bytes(),
                )],
            )
            .await;
        assert_eq!(other.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            other.body,
            json!({"files": ["This is not a file of LinkedIn's data export."]})
        );
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let picture = app
            .post_multipart(
                PATH,
                &[],
                &[("archive", "export.zip", "application/zip", png)],
            )
            .await;
        assert_eq!(picture.status, StatusCode::BAD_REQUEST, "{}", picture.body);
        let bad_url = app
            .post_multipart(PATH, &[("linkedin_url", "https://example.com/in/x")], &[])
            .await;
        assert_eq!(
            bad_url.body,
            json!({"linkedin_url": ["Invalid LinkedIn URL format."]})
        );
        let nothing = app.post_multipart(PATH, &[], &[]).await;
        assert_eq!(
            nothing.body,
            json!({"linkedin_url": ["This field is required."]})
        );
    }
);

/// An export of `tables`, stored as is (not compressed), so that its bytes can be damaged.
fn stored_archive(tables: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in tables {
        zip.start_file(*name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// `archive` is refused as an export whose Profile.csv cannot be read, and nothing is made.
async fn refused_as_unreadable(app: &ProductApp, archive: &[u8]) {
    let reply = app
        .post_multipart(
            PATH,
            &[],
            &[("archive", "export.zip", "application/zip", archive)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(
        reply.body,
        json!({"archive": ["Profile.csv in the archive cannot be read: it is encrypted or corrupt."]})
    );
    let listed = app.get("/api/resumes/", None).await;
    assert_eq!(listed.body, json!([]), "nothing is created");
}

both!(
    an_encrypted_export_is_refused,
    |app: ProductApp| async move {
        // Profile.csv marked encrypted (the general-purpose flag's bit 0, in its local and
        // central headers), as in a password-protected zip.
        let mut bytes = stored_archive(&[("Profile.csv", PROFILE)]);
        for (signature, flags_at) in [(b"PK\x03\x04", 6), (b"PK\x01\x02", 8)] {
            let at = bytes.windows(4).position(|w| w == signature).unwrap();
            bytes[at + flags_at] |= 1;
        }
        refused_as_unreadable(&app, &bytes).await;
    }
);

both!(
    an_export_whose_profile_cannot_be_read_is_refused,
    |app: ProductApp| async move {
        // Profile.csv damaged: its checksum no longer matches.
        let mut bytes = stored_archive(&[("Profile.csv", PROFILE), ("Skills.csv", SKILLS)]);
        let at = bytes
            .windows(10)
            .position(|w| w == b"First Name")
            .expect("the profile's header in the archive");
        bytes[at] = b'X';
        refused_as_unreadable(&app, &bytes).await;
    }
);
