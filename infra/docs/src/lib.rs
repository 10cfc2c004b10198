//! An API's documentation over HTTP: its OpenAPI document as JSON, and a Swagger UI page
//! (`GET /docs`) that renders it.
//!
//! Swagger UI's files come from the release zip that the crate `utoipa-swagger-ui-vendored`
//! carries (see `build.rs`): they are compiled into the binary and served by this router, so
//! the page needs no CDN and the build downloads nothing.

use axum::Router;
use axum::body::Bytes;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;

/// The path of the Swagger UI page; its files are served under it (`/docs/<file>`).
pub const DOCS_PATH: &str = "/docs";

/// The version of the Swagger UI files served.
pub const SWAGGER_UI_VERSION: &str =
    include_str!(concat!(env!("OUT_DIR"), "/swagger-ui-version.txt"));

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const PNG: &str = "image/png";
const HTML: &str = "text/html; charset=utf-8";
const JSON: &str = "application/json";

/// A file of Swagger UI's distribution, served at `/docs/<name>`.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!(env!("OUT_DIR"), "/", $name)),
        }
    };
}

const ASSETS: [Asset; 6] = [
    asset!("swagger-ui-bundle.js", JS),
    asset!("swagger-ui-standalone-preset.js", JS),
    asset!("swagger-ui.css", CSS),
    asset!("index.css", CSS),
    asset!("favicon-32x32.png", PNG),
    asset!("favicon-16x16.png", PNG),
];

/// The script that starts Swagger UI on the page (a file rather than an inline script, so
/// that the page also works under a strict Content-Security-Policy).
const INITIALIZER: &str = "swagger-initializer.js";

/// Serves `openapi_json` at `GET openapi_url` (e.g. `/openapi.json`; it must start with `/`
/// and not be under `/docs/`) and, at `GET /docs`, a Swagger UI page titled `title` that
/// renders it.
///
/// # Panics
///
/// As axum does, when `openapi_url` is not a valid route path or is one of this router's
/// own paths.
pub fn router(openapi_url: &str, openapi_json: &'static str, title: &str) -> Router {
    let page = Bytes::from(page(title));
    let initializer = Bytes::from(initializer(openapi_url));
    let mut router = Router::new()
        .route(
            openapi_url,
            get(move || async move { ([(CONTENT_TYPE, JSON)], openapi_json) }),
        )
        .route(DOCS_PATH, get(html(page.clone())))
        .route(&format!("{DOCS_PATH}/"), get(html(page)))
        .route(
            &format!("{DOCS_PATH}/{INITIALIZER}"),
            get(move || async move {
                (
                    [(CONTENT_TYPE, JS), (CACHE_CONTROL, "no-cache")],
                    initializer,
                )
            }),
        );
    for asset in &ASSETS {
        let (content_type, bytes) = (asset.content_type, asset.bytes);
        router = router.route(
            &format!("{DOCS_PATH}/{}", asset.name),
            get(move || async move {
                (
                    [
                        (CONTENT_TYPE, content_type),
                        (CACHE_CONTROL, "public, max-age=86400"),
                    ],
                    bytes,
                )
            }),
        );
    }
    router
}

/// A handler answering `page`.
fn html(page: Bytes) -> impl Fn() -> std::future::Ready<axum::response::Response> + Clone {
    move || {
        let headers = [(CONTENT_TYPE, HTML), (CACHE_CONTROL, "no-cache")];
        std::future::ready((headers, page.clone()).into_response())
    }
}

/// The page: Swagger UI's own `index.html`, with the files at absolute paths under
/// [`DOCS_PATH`] (so that `/docs` and `/docs/` both work) and the title escaped.
fn page(title: &str) -> String {
    let title = escape_html(title);
    format!(
        r#"<!DOCTYPE html>
<html lang="fr">
  <head>
    <meta charset="UTF-8">
    <title>{title}</title>
    <link rel="stylesheet" type="text/css" href="{DOCS_PATH}/swagger-ui.css">
    <link rel="stylesheet" type="text/css" href="{DOCS_PATH}/index.css">
    <link rel="icon" type="image/png" href="{DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="{DOCS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="{DOCS_PATH}/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="{DOCS_PATH}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="{DOCS_PATH}/{INITIALIZER}" charset="UTF-8"></script>
  </body>
</html>
"#
    )
}

/// Swagger UI's own initializer, pointed at `openapi_url`, with the badge that would send the
/// document to validator.swagger.io turned off (the page reaches no other site).
fn initializer(openapi_url: &str) -> String {
    // A JSON string is a JavaScript string literal.
    let url = serde_json::Value::from(openapi_url).to_string();
    format!(
        r##"window.onload = function () {{
  window.ui = SwaggerUIBundle({{
    url: {url},
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    validatorUrl: null
  }});
}};
"##
    )
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    const DOC: &str = r#"{"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{}}"#;

    async fn get(router: &Router, path: &str) -> (StatusCode, String, Bytes) {
        let response = router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = axum::body::to_bytes(response.into_body(), 1 << 24)
            .await
            .unwrap();
        (status, content_type, body)
    }

    /// The values of `attribute="..."` in `html`.
    fn references<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
        let marker = format!("{attribute}=\"");
        html.match_indices(&marker)
            .filter_map(|(at, _)| {
                let rest = &html[at + marker.len()..];
                rest.find('"').map(|end| &rest[..end])
            })
            .collect()
    }

    #[tokio::test]
    async fn the_page_renders_swagger_ui_from_files_the_router_serves() {
        let router = router("/openapi.json", DOC, "Kbine <API> & co");
        for path in ["/docs", "/docs/"] {
            let (status, content_type, body) = get(&router, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(content_type.starts_with("text/html"), "{content_type}");
            let html = std::str::from_utf8(&body).unwrap();
            assert!(html.contains("<title>Kbine &lt;API&gt; &amp; co</title>"));
            assert!(html.contains(r#"<div id="swagger-ui">"#));
            // No CDN: every file the page loads is a path of this router.
            let scripts = references(html, "src");
            assert!(
                scripts.contains(&"/docs/swagger-ui-bundle.js"),
                "{scripts:?}"
            );
            for script in &scripts {
                let (status, content_type, body) = get(&router, script).await;
                assert_eq!(status, StatusCode::OK, "{script}");
                assert!(
                    content_type.starts_with("text/javascript"),
                    "{script}: {content_type}"
                );
                assert!(!body.is_empty());
            }
            for link in references(html, "href") {
                assert!(link.starts_with("/docs/"), "{link}");
                let (status, _, body) = get(&router, link).await;
                assert_eq!(status, StatusCode::OK, "{link}");
                assert!(!body.is_empty());
            }
        }
        let (_, _, bundle) = get(&router, "/docs/swagger-ui-bundle.js").await;
        assert!(bundle.len() > 100_000);
        assert!(
            std::str::from_utf8(&bundle)
                .unwrap()
                .contains("SwaggerUIBundle")
        );
        let (_, content_type, css) = get(&router, "/docs/swagger-ui.css").await;
        assert!(content_type.starts_with("text/css"));
        assert!(css.len() > 10_000);
    }

    #[tokio::test]
    async fn the_initializer_points_at_the_document() {
        let router = router("/api/openapi.json", DOC, "Kbine");
        let (status, _, body) = get(&router, "/docs/swagger-initializer.js").await;
        assert_eq!(status, StatusCode::OK);
        let script = std::str::from_utf8(&body).unwrap();
        assert!(script.contains(r#"url: "/api/openapi.json""#), "{script}");
        assert!(script.contains("validatorUrl: null"), "{script}");
    }

    #[tokio::test]
    async fn the_document_is_served_as_json() {
        let router = router("/openapi.json", DOC, "Kbine");
        let (status, content_type, body) = get(&router, "/openapi.json").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type, "application/json");
        let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[tokio::test]
    async fn unknown_files_are_not_found() {
        let router = router("/openapi.json", DOC, "Kbine");
        let (status, _, _) = get(&router, "/docs/swagger-ui.js").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn the_version_is_known() {
        assert!(SWAGGER_UI_VERSION.starts_with("5."), "{SWAGGER_UI_VERSION}");
    }
}
