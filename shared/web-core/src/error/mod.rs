//! One error type for every handler, saying what went wrong, never how: a product's
//! [`ErrorStyle`] renders it in that product's documented error JSON. Shared extractors,
//! middleware and the store mapping raise these errors without knowing which product they
//! serve; what they found is a [`Problem`] the style words. Internal causes are logged with
//! the error and never sent.
//!
//! Rendering happens in [`render_errors`], the layer each product's router wears: an error's
//! response carries the error itself until that layer swaps in the product's body. Without the
//! layer (a bare handler in a unit test), the neutral [`styles::PLAIN`] body is sent.

mod fields;
pub mod styles;

pub use fields::FieldErrors;
pub use styles::ErrorStyle;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::borrow::Cow;
use store::StoreError;

pub type ApiResult<T> = Result<T, ApiError>;

/// What went wrong, as far as a client needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The body cannot be read as the route's input (not JSON, malformed, wrong shape).
    InvalidBody,
    /// One or more fields are invalid ([`ApiError::fields`] says which).
    InvalidFields,
    /// Well-formed input that a rule of the product refuses (a forbidden transition...).
    Rejected,
    MissingToken,
    InvalidToken,
    Forbidden,
    /// The client's address is banned.
    Banned,
    NotFound,
    Conflict,
    PayloadTooLarge,
    RateLimited,
    /// The store or another dependency does not answer: the client may retry.
    Unavailable,
    /// The path exists, not with this method (the response's `Allow` says which).
    MethodNotAllowed,
    /// The request line is too long (the local server; API Gateway answers its own).
    UriTooLong,
    /// The request's headers are too large.
    HeadersTooLarge,
    /// The request's body stalled.
    RequestTimeout,
    Internal,
}

impl ErrorKind {
    /// The status the kind answers with unless a style says otherwise.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::InvalidBody | ErrorKind::InvalidFields | ErrorKind::Rejected => {
                StatusCode::BAD_REQUEST
            }
            ErrorKind::MissingToken | ErrorKind::InvalidToken => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden | ErrorKind::Banned => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::UriTooLong => StatusCode::URI_TOO_LONG,
            ErrorKind::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorKind::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// What a shared piece (extractor, middleware, store mapping) found, for each style to word
/// in its product's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The body is not `Content-Type: application/json`.
    NotJson,
    EmptyBody,
    IncompleteJson {
        line: usize,
        column: usize,
    },
    MalformedJson {
        line: usize,
        column: usize,
    },
    /// Valid JSON, but not an object.
    NotAnObject,
    /// An object whose fields do not have the route's types (serde's words).
    WrongShape(String),
    UnreadableBody,
    /// A query parameter of the wrong shape (axum's words).
    InvalidQuery(String),
    /// `page` or `limit` is not a positive integer, or the page is too deep.
    InvalidPage {
        param: &'static str,
        too_large: bool,
    },
    /// A path id of the wrong shape.
    InvalidId,
    InvalidCursor,
    /// Another request changed the item first.
    ConcurrentChange,
    /// A refresh token whose session has ended.
    SessionExpired,
    /// No route has this path.
    NoRoute,
    /// The path's routes take other methods than this one.
    MethodNotAllowed {
        method: String,
    },
    /// The body is not `multipart/form-data`, or not well-formed.
    NotMultipart,
    /// A file whose content (its magic bytes, not its name or declared type) is not one the
    /// field accepts.
    UnsupportedFile {
        field: String,
    },
    /// A file over the field's size limit.
    FileTooLarge {
        field: String,
        max_bytes: usize,
    },
    /// An `Idempotency-Key` header that is empty, too long or not visible ASCII.
    InvalidIdempotencyKey,
    /// An `Idempotency-Key` already used with another body.
    IdempotencyKeyReused,
    /// A webhook delivery whose signature is missing, wrong or too old.
    InvalidSignature,
    /// A request for a host the local server does not serve (DNS rebinding).
    UnknownHost,
}

impl Problem {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Problem::NotJson
            | Problem::EmptyBody
            | Problem::IncompleteJson { .. }
            | Problem::MalformedJson { .. }
            | Problem::NotAnObject
            | Problem::WrongShape(_)
            | Problem::UnreadableBody => ErrorKind::InvalidBody,
            Problem::InvalidQuery(_) | Problem::InvalidPage { .. } | Problem::InvalidId => {
                ErrorKind::InvalidFields
            }
            Problem::InvalidCursor => ErrorKind::Rejected,
            Problem::ConcurrentChange => ErrorKind::Conflict,
            Problem::SessionExpired => ErrorKind::InvalidToken,
            Problem::NoRoute => ErrorKind::NotFound,
            Problem::MethodNotAllowed { .. } => ErrorKind::MethodNotAllowed,
            Problem::NotMultipart => ErrorKind::InvalidBody,
            Problem::UnsupportedFile { .. } => ErrorKind::InvalidFields,
            Problem::FileTooLarge { .. } => ErrorKind::PayloadTooLarge,
            Problem::InvalidIdempotencyKey => ErrorKind::Rejected,
            Problem::IdempotencyKeyReused => ErrorKind::Conflict,
            Problem::InvalidSignature => ErrorKind::Rejected,
            Problem::UnknownHost => ErrorKind::Forbidden,
        }
    }
}

/// An error, boxed: results stay small on the success path.
#[derive(Debug, Clone)]
pub struct ApiError(Box<ErrorParts>);

#[derive(Debug, Clone)]
pub struct ErrorParts {
    pub kind: ErrorKind,
    /// What the product says, when it says more than its style's words for the kind.
    pub message: Option<Cow<'static, str>>,
    /// What a shared piece found.
    pub problem: Option<Problem>,
    /// Every failing field with its messages, in the order they were checked.
    pub fields: FieldErrors,
    /// More about the error, as the product documents it (Kbine's `details`).
    pub details: Option<Value>,
    /// Seconds, sent as `Retry-After` (429, 503).
    pub retry_after: Option<i64>,
    /// Logged, never sent.
    cause: Option<String>,
}

impl std::ops::Deref for ApiError {
    type Target = ErrorParts;
    fn deref(&self) -> &ErrorParts {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ErrorParts {
        &mut self.0
    }
}

impl ApiError {
    pub fn of(kind: ErrorKind) -> Self {
        ApiError(Box::new(ErrorParts {
            kind,
            message: None,
            problem: None,
            fields: FieldErrors::default(),
            details: None,
            retry_after: None,
            cause: None,
        }))
    }

    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        let mut error = Self::of(kind);
        error.message = Some(message.into());
        error
    }

    /// What a shared piece found.
    pub fn problem(problem: Problem) -> Self {
        let mut error = Self::of(problem.kind());
        error.problem = Some(problem);
        error
    }

    /// Every failing field at once.
    pub fn fields(fields: FieldErrors) -> Self {
        let mut error = Self::of(ErrorKind::InvalidFields);
        error.fields = fields;
        error
    }

    /// One field refused with one message, in the product's words for invalid fields (a
    /// refusal found after the form was read: an unknown id, a name already taken).
    pub fn field(
        name: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        let mut fields = FieldErrors::new();
        fields.add(name, message);
        Self::fields(fields)
    }

    fn caused(kind: ErrorKind, cause: impl std::fmt::Display) -> Self {
        let mut error = Self::of(kind);
        error.cause = Some(cause.to_string());
        error
    }

    pub fn status(&self) -> StatusCode {
        self.kind.status()
    }

    pub fn retry_after(mut self, seconds: i64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    pub fn with_details(mut self, details: impl Into<Value>) -> Self {
        self.details = Some(details.into());
        self
    }

    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::Rejected, message)
    }

    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::InvalidToken, message)
    }

    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::Forbidden, message)
    }

    pub fn not_found(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    pub fn conflict(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }

    /// Invalid input described by `details` alone (Kbine's `{"error": "Données invalides",
    /// "details": ...}`).
    pub fn invalid(details: impl Into<Value>) -> Self {
        Self::of(ErrorKind::InvalidFields).with_details(details)
    }

    /// A failure of ours: logged with its cause, answered with the style's generic words.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::caused(ErrorKind::Internal, cause)
    }

    /// The store is unreachable or throttling: the client may retry.
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        Self::caused(ErrorKind::Unavailable, cause)
    }

    /// Replaces the generic words of a server error with the ones a route documents
    /// (e.g. "Erreur serveur lors de la connexion"), keeping the logged cause.
    pub fn or_server_message(mut self, message: &'static str) -> Self {
        if self.kind == ErrorKind::Internal {
            self.message = Some(Cow::Borrowed(message));
        }
        self
    }

    /// The logged cause, if any.
    pub fn cause(&self) -> Option<&str> {
        self.cause.as_deref()
    }
}

/// For logs and command-line tools: the kind, what is known of it and the hidden cause.
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} ({})", self.kind, self.status())?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(problem) = &self.problem {
            write!(f, " {problem:?}")?;
        }
        if !self.fields.is_empty() {
            write!(f, " {:?}", self.fields)?;
        }
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
            StoreError::InvalidCursor => ApiError::problem(Problem::InvalidCursor),
            StoreError::Unavailable(_) | StoreError::Conflict => ApiError::unavailable(e),
            // A condition the handler did not expect to fail: another request changed the
            // item first.
            StoreError::ConditionFailed { .. } => ApiError::problem(Problem::ConcurrentChange),
            StoreError::Invalid(_) | StoreError::Internal(_) => ApiError::internal(e),
        }
    }
}

impl From<blobs::BlobError> for ApiError {
    fn from(e: blobs::BlobError) -> Self {
        match e {
            blobs::BlobError::Unavailable(_) => ApiError::unavailable(e),
            // Keys and arguments are ours, never the client's: a bug, not a bad request.
            _ => ApiError::internal(e),
        }
    }
}

/// Carries an error through the response until [`render_errors`] renders it.
#[derive(Clone)]
struct Unrendered(ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(status = self.status().as_u16(), error = %cause, "request failed");
        }
        let mut response = response_in(styles::PLAIN, &self);
        response.extensions_mut().insert(Unrendered(self));
        response
    }
}

/// The response `style` gives `error`: its status and body, and `Retry-After` when set.
pub fn response_in(style: &dyn ErrorStyle, error: &ApiError) -> Response {
    let (status, body) = style.render(error);
    let mut response = (status, axum::Json(body)).into_response();
    if let Some(seconds) = error.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// Middleware: `axum::middleware::map_response_with_state(style, render_errors)`, outside
/// every layer that may answer with an error. Renders each error response in `style`.
pub async fn render_errors(
    State(style): State<&'static dyn ErrorStyle>,
    mut response: Response,
) -> Response {
    match response.extensions_mut().remove::<Unrendered>() {
        Some(Unrendered(error)) => {
            let mut rendered = response_in(style, &error);
            // Headers set on the way out (by inner layers) stay.
            for (name, value) in response.headers() {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                    rendered.headers_mut().insert(name.clone(), value.clone());
                }
            }
            rendered
        }
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) async fn body_of(response: Response) -> (StatusCode, Value) {
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn internal_cause_is_never_sent() {
        let error = ApiError::internal("disk on fire at /var/secret");
        for style in styles::ALL {
            let (status, body) = body_of(response_in(*style, &error)).await;
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
            assert!(!body.to_string().contains("secret"), "{body}");
        }
    }

    #[tokio::test]
    async fn the_layer_renders_in_the_products_style_and_keeps_headers() {
        use axum::Router;
        use axum::routing::get;
        use tower::ServiceExt;
        let style: &'static dyn ErrorStyle = &styles::DjangoRest;
        let router = Router::new()
            .route(
                "/",
                get(|| async { ApiError::of(ErrorKind::RateLimited).retry_after(7) }),
            )
            .layer(axum::middleware::map_response_with_state(
                style,
                render_errors,
            ));
        let request = axum::http::Request::get("/")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        assert_eq!(response.headers()[header::RETRY_AFTER], "7");
        let (status, body) = body_of(response).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            body,
            json!({"detail": "Request was throttled. Expected available in 7 seconds."})
        );
    }

    #[test]
    fn store_failures_are_named() {
        let outage: ApiError = StoreError::Unavailable("timeout".into()).into();
        assert_eq!(outage.status(), StatusCode::SERVICE_UNAVAILABLE);
        let lost: ApiError = StoreError::ConditionFailed {
            op: None,
            label: None,
        }
        .into();
        assert_eq!(lost.problem, Some(Problem::ConcurrentChange));
        assert_eq!(lost.status(), StatusCode::CONFLICT);
    }
}
