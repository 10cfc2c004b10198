//! PaieCashFan's dialect. Its document shows no error body, so this one is ours, written in
//! its OpenAPI document: `{"error": {"code": "...", "message": "..."}}`, in French, with
//! `fields` (`{"field": ["message"]}`) for invalid input and `details` when there is more.
//! The code is stable for programs; the message is for people.

use super::words::FRENCH;
use super::{ApiError, ErrorStyle, details_of, fields_object};
use crate::error::ErrorKind;
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

pub struct CodedError;

pub fn code(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidBody => "invalid_body",
        ErrorKind::InvalidFields => "invalid_fields",
        ErrorKind::Rejected => "rejected",
        ErrorKind::MissingToken => "missing_token",
        ErrorKind::InvalidToken => "invalid_token",
        ErrorKind::Forbidden => "forbidden",
        ErrorKind::Banned => "banned",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Conflict => "conflict",
        ErrorKind::PayloadTooLarge => "payload_too_large",
        ErrorKind::RateLimited => "rate_limited",
        ErrorKind::Unavailable => "unavailable",
        ErrorKind::MethodNotAllowed => "method_not_allowed",
        ErrorKind::UriTooLong => "uri_too_long",
        ErrorKind::HeadersTooLarge => "headers_too_large",
        ErrorKind::RequestTimeout => "request_timeout",
        ErrorKind::Internal => "internal",
    }
}

impl ErrorStyle for CodedError {
    fn render(&self, error: &ApiError) -> (StatusCode, Value) {
        let mut inner = Map::new();
        inner.insert("code".into(), Value::from(code(error.kind)));
        inner.insert("message".into(), Value::from(FRENCH.title(error)));
        if !error.fields.is_empty() {
            inner.insert("fields".into(), fields_object(&error.fields));
        } else if let Some(details) = details_of(error, FRENCH.problem_details(error)) {
            inner.insert("details".into(), details);
        }
        (error.status(), json!({"error": inner}))
    }

    fn is_error_body(&self, body: &Value) -> bool {
        body["error"]["code"].is_string() && body["error"]["message"].is_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldErrors;

    #[test]
    fn one_shape_for_every_error() {
        let mut fields = FieldErrors::new();
        fields.add("amount", "amount doit être positif");
        let (status, body) = CodedError.render(&ApiError::fields(fields));
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!({"error": {"code": "invalid_fields", "message": "Données invalides",
                             "fields": {"amount": ["amount doit être positif"]}}})
        );
        let (status, body) = CodedError.render(&ApiError::of(ErrorKind::MissingToken));
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body,
            json!({"error": {"code": "missing_token", "message": "Token d'accès requis"}})
        );
    }
}
