//! One error type for every handler. It renders the documented error JSON,
//! `{"error": "...", "details": ...}`, and never leaks an internal cause: those are logged with
//! their whole chain and answered with a generic message.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::borrow::Cow;
use store::StoreError;

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: Cow<'static, str>,
    pub details: Option<Value>,
    /// Seconds, sent as `Retry-After` (429, 503).
    pub retry_after: Option<i64>,
    /// Logged, never sent.
    cause: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<Cow<'static, str>>) -> Self {
        ApiError {
            status,
            error: error.into(),
            details: None,
            retry_after: None,
            cause: None,
        }
    }

    pub fn retry_after(mut self, seconds: i64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    pub fn with_details(mut self, details: impl Into<Value>) -> Self {
        self.details = Some(details.into());
        self
    }

    pub fn bad_request(error: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error)
    }

    pub fn unauthorized(error: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, error)
    }

    pub fn forbidden(error: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::FORBIDDEN, error)
    }

    pub fn not_found(error: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::NOT_FOUND, error)
    }

    pub fn conflict(error: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::CONFLICT, error)
    }

    /// The documented 400 for a body that fails validation, with what was wrong.
    pub fn invalid(details: impl Into<Value>) -> Self {
        Self::bad_request("Données invalides").with_details(details)
    }

    /// A failure of ours: logged with its cause, answered with a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError {
            cause: Some(cause.to_string()),
            ..Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Erreur serveur")
        }
    }

    /// The store is unreachable or throttling: the client may retry.
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        ApiError {
            cause: Some(cause.to_string()),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service temporairement indisponible, veuillez réessayer",
            )
        }
    }

    /// Replaces the generic message of a server error with the one a route documents
    /// (e.g. "Erreur serveur lors de la connexion"), keeping the logged cause.
    pub fn or_server_message(mut self, message: &'static str) -> Self {
        if self.status == StatusCode::INTERNAL_SERVER_ERROR {
            self.error = Cow::Borrowed(message);
        }
        self
    }
}

/// For logs and command-line tools: the message, its details and the hidden cause.
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.error, self.status)?;
        if let Some(details) = &self.details {
            write!(f, ": {details}")?;
        }
        if let Some(cause) = &self.cause {
            write!(f, " [{cause}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::InvalidCursor => ApiError::bad_request("Curseur de pagination invalide"),
            StoreError::Unavailable(_) | StoreError::Conflict => ApiError::unavailable(e),
            // A condition the handler did not expect to fail: another request changed the
            // item first.
            StoreError::ConditionFailed { .. } => ApiError::conflict(
                "La ressource a été modifiée par une autre requête, veuillez réessayer",
            ),
            StoreError::Invalid(_) | StoreError::Internal(_) => ApiError::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(status = self.status.as_u16(), error = %cause, "request failed");
        }
        let body = match self.details {
            Some(details) => json!({"error": self.error, "details": details}),
            None => json!({"error": self.error}),
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(e: ApiError) -> (StatusCode, Value) {
        let response = e.into_response();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn internal_cause_is_never_sent() {
        let (status, body) = body_of(ApiError::internal("disk on fire at /var/secret")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body, json!({"error": "Erreur serveur"}));
    }

    #[tokio::test]
    async fn details_are_rendered_beside_the_error() {
        let e = ApiError::bad_request("Numéro de téléphone invalide")
            .with_details("Le numéro doit contenir exactement 10 chiffres");
        let (status, body) = body_of(e).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!({"error": "Numéro de téléphone invalide",
                   "details": "Le numéro doit contenir exactement 10 chiffres"})
        );
    }

    #[tokio::test]
    async fn store_outage_is_503() {
        let (status, _) = body_of(StoreError::Unavailable("timeout".into()).into()).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
}
