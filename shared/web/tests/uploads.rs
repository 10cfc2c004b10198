//! Multipart uploads and raw bodies over HTTP: files typed by their content, per-field and
//! per-route limits, errors in the product's style; a raw body arrives byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: failing loudly is the point

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use web::ApiError;
use web::error::ErrorStyle;
use web::extract::RawBody;
use web::upload::{FileRules, Multipart, PHOTOS};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
const BOUNDARY: &str = "XyZboundary";

async fn photo(form: Multipart) -> Result<axum::Json<Value>, ApiError> {
    let rules = FileRules {
        types: PHOTOS,
        max_bytes: 64 * 1024,
    };
    let form = form.read(&[("facePhoto", rules)]).await?;
    let files: Vec<Value> = form
        .files
        .iter()
        .map(|f| json!({"field": f.field, "type": f.content_type, "size": f.bytes.len()}))
        .collect();
    Ok(axum::Json(json!({"fields": form.fields, "files": files})))
}

async fn hook(RawBody(bytes): RawBody) -> Vec<u8> {
    bytes.to_vec()
}

fn router() -> Router {
    let style: &'static dyn ErrorStyle = &web::error::styles::ExpressError;
    Router::new()
        .route(
            "/photo",
            post(photo).layer(DefaultBodyLimit::max(256 * 1024)),
        )
        .route("/hook", post(hook))
        .layer(axum::middleware::map_response_with_state(
            style,
            web::error::render_errors,
        ))
}

/// A multipart body: text parts `(name, value)` and file parts `(name, file name, declared
/// type, bytes)`.
fn multipart(texts: &[(&str, &str)], files: &[(&str, &str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in texts {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, declared, bytes) in files {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {declared}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Sends over a socket: the router served on 127.0.0.1 as the local server serves it.
async fn send(path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Vec<u8>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let guard = web::local::Guard::loopback(&web::error::styles::ExpressError);
    tokio::spawn(web::local::serve(listener, router(), guard, async {
        let _ = stopped.await;
    }));
    let response = reqwest::Client::new()
        .post(format!("http://{addr}{path}"))
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
    let bytes = response.bytes().await.unwrap().to_vec();
    drop(stop);
    (status, bytes)
}

async fn upload(body: Vec<u8>) -> (StatusCode, Value) {
    let (status, bytes) = send(
        "/photo",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        body,
    )
    .await;
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn a_photo_is_typed_by_its_content() {
    let (status, body) = upload(multipart(
        &[("formData", r#"{"firstName":"Léa"}"#)],
        &[("facePhoto", "me.txt", "text/plain", PNG)],
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["fields"]["formData"], r#"{"firstName":"Léa"}"#);
    assert_eq!(
        body["files"],
        json!([{"field": "facePhoto", "type": "image/png", "size": PNG.len()}])
    );
}

#[tokio::test]
async fn a_file_that_is_not_a_photo_is_refused_whatever_it_claims() {
    let (status, body) = upload(multipart(
        &[],
        &[(
            "facePhoto",
            "me.png",
            "image/png",
            b"<svg onload=alert(1)></svg>",
        )],
    ))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"error": "Invalid file", "details": "facePhoto: this type of file is not accepted"})
    );
    let (status, _) = upload(multipart(&[], &[("other", "x.png", "image/png", PNG)])).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a file in a field that takes none"
    );
}

#[tokio::test]
async fn limits_per_file_and_per_route_are_413() {
    let mut big = PNG.to_vec();
    big.resize(100 * 1024, 0);
    let (status, body) = upload(multipart(
        &[],
        &[("facePhoto", "big.png", "image/png", &big)],
    ))
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"], "File too large");
    let huge = vec![b'a'; 300 * 1024];
    let (status, _) = upload(multipart(
        &[("note", std::str::from_utf8(&huge).unwrap())],
        &[],
    ))
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_body_that_is_not_multipart_is_a_400_in_the_products_words() {
    let (status, bytes) = send("/photo", "application/json", b"{}".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["error"], "Invalid request body");
}

#[tokio::test]
async fn a_raw_body_arrives_byte_for_byte() {
    let payload = b"{\"id\": \"evt_1\",  \"data\":\t{}}\n".to_vec();
    let (status, echoed) = send("/hook", "application/json; charset=utf-8", payload.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        echoed, payload,
        "spacing and order kept: signatures are over these bytes"
    );
}
