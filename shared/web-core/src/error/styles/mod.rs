//! How each product says what went wrong: one style per documented error dialect, each
//! pinned by tests against the bodies its seed document shows.

mod coded;
mod django_rest;
mod envelope;
mod error_details;
mod express;
mod words;

pub use coded::CodedError;
pub use django_rest::DjangoRest;
pub use envelope::SuccessEnvelope;
pub use error_details::ErrorDetails;
pub use express::ExpressError;

use super::{ApiError, FieldErrors};
use axum::http::StatusCode;
use serde_json::{Map, Value};

/// A product's error dialect.
pub trait ErrorStyle: Send + Sync + 'static {
    /// The status and JSON body a client of the product gets for `error`.
    fn render(&self, error: &ApiError) -> (StatusCode, Value);

    /// Whether `body` is an error of this dialect (what the test harnesses look for in
    /// every refusal).
    fn is_error_body(&self, body: &Value) -> bool;
}

/// What an error response is before a product's style renders it (no layer: unit tests of a
/// bare handler). Lumira's Express dialect, the plainest of them.
pub const PLAIN: &dyn ErrorStyle = &ExpressError;

/// Every style, for tests that hold of all of them.
pub const ALL: &[&dyn ErrorStyle] = &[
    &ErrorDetails,
    &ExpressError,
    &DjangoRest,
    &SuccessEnvelope,
    &CodedError,
];

/// `{"field": ["message", ...], ...}`, in the order the fields were checked.
pub fn fields_object(fields: &FieldErrors) -> Value {
    let mut object = Map::new();
    for (field, messages) in fields.iter() {
        let messages = messages.iter().map(|m| Value::from(m.as_ref())).collect();
        object.insert(field.to_string(), Value::Array(messages));
    }
    Value::Object(object)
}

/// `{"error": title}`, with `details` when there are some (Kbine's and Express's shape).
fn error_and_details(title: std::borrow::Cow<'static, str>, details: Option<Value>) -> Value {
    match details {
        Some(details) => serde_json::json!({"error": title, "details": details}),
        None => serde_json::json!({"error": title}),
    }
}

/// The details an error carries, or that its problem adds, or its fields.
fn details_of(error: &ApiError, problem_details: Option<String>) -> Option<Value> {
    error
        .details
        .clone()
        .or_else(|| problem_details.map(Value::from))
        .or_else(|| (!error.fields.is_empty()).then(|| fields_object(&error.fields)))
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::error::{ErrorKind, Problem};

    /// `style`'s status and body for `error`.
    pub fn render(style: &dyn ErrorStyle, error: ApiError) -> (u16, serde_json::Value) {
        let (status, body) = style.render(&error);
        (status.as_u16(), body)
    }

    /// One error of each kind and each problem, for properties every style must keep.
    pub fn every_error() -> Vec<ApiError> {
        let kinds = [
            ErrorKind::InvalidBody,
            ErrorKind::InvalidFields,
            ErrorKind::Rejected,
            ErrorKind::MissingToken,
            ErrorKind::InvalidToken,
            ErrorKind::Forbidden,
            ErrorKind::Banned,
            ErrorKind::NotFound,
            ErrorKind::Conflict,
            ErrorKind::PayloadTooLarge,
            ErrorKind::RateLimited,
            ErrorKind::Unavailable,
            ErrorKind::MethodNotAllowed,
            ErrorKind::UriTooLong,
            ErrorKind::HeadersTooLarge,
            ErrorKind::RequestTimeout,
            ErrorKind::Internal,
        ];
        let problems = [
            Problem::NotJson,
            Problem::EmptyBody,
            Problem::IncompleteJson { line: 1, column: 8 },
            Problem::MalformedJson { line: 1, column: 9 },
            Problem::NotAnObject,
            Problem::WrongShape("invalid type".into()),
            Problem::UnreadableBody,
            Problem::InvalidQuery("bad".into()),
            Problem::InvalidPage {
                param: "page",
                too_large: false,
            },
            Problem::InvalidId,
            Problem::InvalidCursor,
            Problem::ConcurrentChange,
            Problem::SessionExpired,
            Problem::NoRoute,
            Problem::MethodNotAllowed {
                method: "PATCH".into(),
            },
            Problem::NotMultipart,
            Problem::UnsupportedFile {
                field: "facePhoto".into(),
            },
            Problem::FileTooLarge {
                field: "facePhoto".into(),
                max_bytes: 5 << 20,
            },
            Problem::InvalidIdempotencyKey,
            Problem::IdempotencyKeyReused,
            Problem::InvalidSignature,
            Problem::UnknownHost,
        ];
        let mut fields = FieldErrors::new();
        fields.add("email", "bad email");
        kinds
            .into_iter()
            .map(ApiError::of)
            .chain(problems.into_iter().map(ApiError::problem))
            .chain([ApiError::fields(fields)])
            .collect()
    }

    #[test]
    fn every_style_recognises_every_error_it_renders_and_answers_4xx_or_5xx() {
        for style in ALL {
            for error in every_error() {
                let (status, body) = style.render(&error);
                assert!(
                    status.is_client_error() || status.is_server_error(),
                    "{error}: {status}"
                );
                assert!(style.is_error_body(&body), "{error}: {body}");
            }
            assert!(!style.is_error_body(&serde_json::json!({"id": 1, "name": "x"})));
        }
    }
}
