//! The client's submission by payment intent: `formData` and the photos, typed by their
//! content and stored privately under the order, a non-image refused, the client's details
//! filled in, and a new submission replacing the last until the reading is being written.

use super::checkout::checkout;
use super::staff::admin_token;
use super::*;
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0";

/// A file part: field, file name, declared type, bytes.
type FilePart<'a> = (&'a str, &'a str, &'a str, &'a [u8]);
/// A refused submission: what it is, its text parts, its file parts.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Vec<FilePart<'a>>);

fn submit_path(intent: &str) -> String {
    format!("/api/orders/by-payment-intent/{intent}/client-submit")
}

fn form(email: &str) -> String {
    json!({"email": email, "firstName": "John", "lastName": "Doe",
           "specificQuestion": "Quelle est ma voie spirituelle ?",
           "preferences": {"audioVoice": "feminine", "deliveryFormat": "email"}})
    .to_string()
}

both!(
    a_paid_client_submits_their_form_and_photos,
    |app: ProductApp| async move {
        let created = checkout(&app, "initie_simple", "john@example.com").await;
        let intent = created["orderId"].as_str().unwrap().to_owned();
        let data = form("John@Example.com");
        let reply = app
            .post_multipart(
                &submit_path(&intent),
                &[("formData", &data)],
                &[
                    // Declared as a GIF: the content says PNG, and the content is believed.
                    ("facePhoto", "visage.gif", "image/gif", PNG),
                    ("palmPhoto", "paume.jpg", "image/jpeg", JPEG),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["success"], true);
        let order = &reply.body["order"];
        assert_eq!(order["status"], "paid");
        assert_eq!(order["level"], 1);
        assert!(order["orderNumber"].as_str().unwrap().starts_with("LU"));
        assert_eq!(order["formData"]["email"], "john@example.com");
        assert_eq!(order["formData"]["preferences"]["audioVoice"], "feminine");
        let files = order["files"].as_array().unwrap();
        let kinds: Vec<_> = files
            .iter()
            .map(|f| (f["type"].as_str(), f["mimetype"].as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Some("face_photo"), Some("image/png")),
                (Some("palm_photo"), Some("image/jpeg"))
            ]
        );
        assert_eq!(files[0]["originalName"], "visage.gif");
        assert_eq!(files[0]["size"], PNG.len());
        // Stored privately, under the order, as sent.
        let path = files[0]["path"].as_str().unwrap().to_owned();
        let id = order["_id"].as_str().unwrap();
        assert!(path.starts_with(&format!("orders/{id}/")), "{path}");
        let stored = app.deps.blobs.get(&path).await.unwrap().unwrap();
        assert_eq!(stored.bytes.as_ref(), PNG);

        // The back office sees the photos through short-lived links, and the client's details.
        let token = admin_token(&app).await;
        let whole = app.get(&format!("/api/orders/{id}"), Some(&token)).await;
        assert!(
            whole.body["files"][0]["url"]
                .as_str()
                .unwrap()
                .starts_with("http")
        );
        assert_eq!(whole.body["userId"]["firstName"], "John");
        let history = whole.body["statusHistory"].as_array().unwrap();
        assert_eq!(
            history.len(),
            0,
            "a free order is paid at its creation: {history:?}"
        );

        // A new submission replaces the last, photos included.
        let again = app
            .post_multipart(
                &submit_path(&intent),
                &[("formData", &form("john@example.com"))],
                &[],
            )
            .await;
        assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
        assert_eq!(again.body["order"]["files"], json!([]));
        assert!(app.deps.blobs.get(&path).await.unwrap().is_none());

        // Once the reading is being written, the submission is closed.
        let moved = app
            .patch(
                &format!("/api/orders/{id}/status"),
                Some(&token),
                json!({"status": "processing"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK);
        let late = app
            .post_multipart(&submit_path(&intent), &[("formData", &data)], &[])
            .await;
        assert_eq!(late.status, StatusCode::BAD_REQUEST, "{:?}", late.body);
    }
);

both!(
    bad_submissions_are_refused_and_store_nothing,
    |app: ProductApp| async move {
        let created = checkout(&app, "initie_simple", "jane@example.com").await;
        let intent = created["orderId"].as_str().unwrap().to_owned();
        let data = form("jane@example.com");
        let cases: Vec<Case> = vec![
            (
                "a text file declared as a photo",
                vec![("formData", data.as_str())],
                vec![(
                    "facePhoto",
                    "visage.jpg",
                    "image/jpeg",
                    b"not an image at all".as_slice(),
                )],
            ),
            (
                "an SVG",
                vec![("formData", data.as_str())],
                vec![(
                    "palmPhoto",
                    "p.svg",
                    "image/svg+xml",
                    b"<svg onload=alert(1)>".as_slice(),
                )],
            ),
            (
                "a file in another field",
                vec![("formData", data.as_str())],
                vec![("document", "x.png", "image/png", PNG)],
            ),
            ("no formData", vec![], vec![]),
            ("formData not JSON", vec![("formData", "{nope")], vec![]),
            (
                "formData not an object",
                vec![("formData", "[1, 2]")],
                vec![],
            ),
            (
                "a bad email",
                vec![("formData", r#"{"email": "nope"}"#)],
                vec![],
            ),
            (
                "a name of the wrong type",
                vec![("formData", r#"{"firstName": 7}"#)],
                vec![],
            ),
            (
                "a name with a NUL",
                vec![("formData", r#"{"firstName": "Jane\u0000"}"#)],
                vec![],
            ),
            (
                "a name that reorders its text",
                vec![("formData", r#"{"lastName": "Doe\u202egnp.exe"}"#)],
                vec![],
            ),
        ];
        for (what, texts, files) in cases {
            let reply = app
                .post_multipart(&submit_path(&intent), &texts, &files)
                .await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{what}: {:?}",
                reply.body
            );
            assert!(reply.body["error"].is_string(), "{what}");
        }
        let big = vec![0xffu8; 3 * 1024 * 1024 + 1];
        let mut too_large = JPEG.to_vec();
        too_large.extend(&big);
        let reply = app
            .post_multipart(
                &submit_path(&intent),
                &[("formData", &data)],
                &[("facePhoto", "big.jpg", "image/jpeg", &too_large)],
            )
            .await;
        assert!(reply.status.is_client_error(), "{:?}", reply.body);
        assert!(reply.body["error"].is_string());
        let json = app
            .post(&submit_path(&intent), None, json!({"formData": data}))
            .await;
        assert_eq!(json.status, StatusCode::BAD_REQUEST, "{:?}", json.body);

        // Unknown, or not paid yet.
        let unknown = app
            .post_multipart(&submit_path("pi_unknown"), &[("formData", &data)], &[])
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown.body, json!({"error": "Order not found"}));
        let unpaid = checkout(&app, "mystique_intuitive", "jane@example.com").await;
        let unpaid = unpaid["orderId"].as_str().unwrap();
        let reply = app
            .post_multipart(&submit_path(unpaid), &[("formData", &data)], &[])
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);

        // Nothing was kept of any of them.
        let token = admin_token(&app).await;
        let list = app
            .get("/api/orders?email=jane@example.com", Some(&token))
            .await;
        for order in list.body["orders"].as_array().unwrap() {
            let id = order["_id"].as_str().unwrap();
            let whole = app.get(&format!("/api/orders/{id}"), Some(&token)).await;
            assert_eq!(whole.body["files"], json!([]));
            assert_eq!(whole.body["formData"], Value::Null);
        }
    }
);
