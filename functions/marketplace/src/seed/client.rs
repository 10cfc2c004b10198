//! The demo data's client: requests to the marketplace's own router, in process, as a mobile
//! client would send them (JSON, or a multipart form with files).

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::Value;
use tower::ServiceExt;
use web::product::BoxError;

pub struct Client {
    pub app: Router,
}

/// A file part: (field, file name, bytes).
pub type Part<'a> = (&'a str, &'a str, &'a [u8]);

impl Client {
    async fn send(&self, request: Request<Body>) -> Result<Value, BoxError> {
        let path = request.uri().to_string();
        let response = self.app.clone().oneshot(request).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024).await?;
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !status.is_success() {
            return Err(format!("demo data: {path} answered {status}: {body}").into());
        }
        Ok(body)
    }

    /// A JSON request; the answer's body (an error when it is not a success).
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> Result<Value, BoxError> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body.to_string()))?).await
    }

    /// A multipart form of `texts` and `files`.
    pub async fn form(
        &self,
        method: Method,
        path: &str,
        token: &str,
        texts: &[(&str, &str)],
        files: &[Part<'_>],
    ) -> Result<Value, BoxError> {
        const BOUNDARY: &str = "MarketplaceDemoBoundary";
        let mut body = Vec::new();
        for (name, value) in texts {
            body.extend(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, file, bytes) in files {
            body.extend(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\r\n")
                    .as_bytes(),
            );
            body.extend(*bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(body))?;
        self.send(request).await
    }

    /// Signs `email` in; its access token.
    pub async fn login(&self, email: &str, password: &str) -> Result<String, BoxError> {
        let body = serde_json::json!({"email": email, "password": password});
        let answer = self
            .json(Method::POST, crate::auth::LOGIN_PATH, None, body)
            .await?;
        answer["data"]["token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| "demo data: a login without a token".into())
    }
}
