//! CV Builder's dialect, Django REST Framework's (`cvbuilder.md`): every failing field at
//! once as `{"field": ["message"]}`, everything else as `{"detail": "..."}` in DRF's own
//! English words (and SimpleJWT's for tokens), with DRF's statuses: a malformed id or page is
//! a 404, as a URL that matches no object is in Django.

use super::{ApiError, ErrorStyle, fields_object};
use crate::error::{ErrorKind, Problem};
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::borrow::Cow;

pub struct DjangoRest;

const NOT_FOUND: &str = "Not found.";

impl DjangoRest {
    fn problem(problem: &Problem) -> (StatusCode, Value) {
        let detail =
            |status: StatusCode, text: Cow<'static, str>| (status, json!({"detail": text}));
        let non_field =
            |text: String| (StatusCode::BAD_REQUEST, json!({"non_field_errors": [text]}));
        let parse_error = |line: usize, column: usize| {
            detail(
                StatusCode::BAD_REQUEST,
                format!("JSON parse error - line {line} column {column}").into(),
            )
        };
        match problem {
            Problem::NotJson => detail(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type in request.".into(),
            ),
            // An empty body fails where DRF's parser would: at its first character.
            Problem::EmptyBody => parse_error(1, 1),
            Problem::IncompleteJson { line, column } | Problem::MalformedJson { line, column } => {
                parse_error(*line, *column)
            }
            Problem::NotAnObject => non_field("Invalid data. Expected a dictionary.".into()),
            Problem::WrongShape(reason) => non_field(reason.clone()),
            Problem::UnreadableBody => detail(StatusCode::BAD_REQUEST, "Malformed request.".into()),
            Problem::InvalidQuery(reason) => detail(StatusCode::BAD_REQUEST, reason.clone().into()),
            Problem::InvalidPage { .. } => detail(StatusCode::NOT_FOUND, "Invalid page.".into()),
            Problem::InvalidId | Problem::NoRoute => {
                detail(StatusCode::NOT_FOUND, NOT_FOUND.into())
            }
            Problem::MethodNotAllowed { method } => detail(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("Method \"{method}\" not allowed.").into(),
            ),
            Problem::InvalidCursor => detail(StatusCode::NOT_FOUND, "Invalid cursor".into()),
            Problem::ConcurrentChange => detail(
                StatusCode::CONFLICT,
                "The resource was changed by another request; try again.".into(),
            ),
            Problem::SessionExpired => (
                StatusCode::UNAUTHORIZED,
                json!({"detail": "Token is invalid or expired", "code": "token_not_valid"}),
            ),
            Problem::NotMultipart => detail(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type in request.".into(),
            ),
            // Django's ImageField words.
            Problem::UnsupportedFile { field } => (
                StatusCode::BAD_REQUEST,
                json!({field.as_str(): ["Upload a valid image. The file you uploaded was either not an image or a corrupted image."]}),
            ),
            Problem::FileTooLarge { field, max_bytes } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({field.as_str(): [format!("The file is too large (at most {max_bytes} bytes).")]}),
            ),
            Problem::InvalidIdempotencyKey => detail(
                StatusCode::BAD_REQUEST,
                "Invalid Idempotency-Key header: 1 to 255 visible ASCII characters.".into(),
            ),
            Problem::IdempotencyKeyReused => detail(
                StatusCode::CONFLICT,
                "This Idempotency-Key was already used with another request body.".into(),
            ),
            Problem::InvalidSignature => {
                detail(StatusCode::BAD_REQUEST, "Invalid webhook signature.".into())
            }
            Problem::UnknownHost => detail(StatusCode::FORBIDDEN, "Invalid host header.".into()),
        }
    }

    fn kind_words(kind: ErrorKind, retry_after: Option<i64>) -> Cow<'static, str> {
        Cow::Borrowed(match kind {
            ErrorKind::InvalidBody => "Malformed request.",
            ErrorKind::InvalidFields | ErrorKind::Rejected => "Invalid input.",
            ErrorKind::MissingToken => "Authentication credentials were not provided.",
            ErrorKind::InvalidToken => "Given token not valid for any token type",
            ErrorKind::Forbidden | ErrorKind::Banned => {
                "You do not have permission to perform this action."
            }
            ErrorKind::NotFound => NOT_FOUND,
            ErrorKind::Conflict => "Conflict.",
            ErrorKind::PayloadTooLarge => "Request body is too large.",
            ErrorKind::RateLimited => {
                return match retry_after {
                    Some(seconds) => Cow::Owned(format!(
                        "Request was throttled. Expected available in {seconds} second{}.",
                        if seconds == 1 { "" } else { "s" }
                    )),
                    None => Cow::Borrowed("Request was throttled."),
                };
            }
            ErrorKind::Unavailable => "Service temporarily unavailable, try again later.",
            ErrorKind::MethodNotAllowed => "Method not allowed.",
            ErrorKind::UriTooLong => "Request line is too long.",
            ErrorKind::HeadersTooLarge => "Request headers are too large.",
            ErrorKind::RequestTimeout => "The request body took too long to arrive.",
            ErrorKind::Internal => "A server error occurred.",
        })
    }
}

impl ErrorStyle for DjangoRest {
    fn render(&self, error: &ApiError) -> (StatusCode, Value) {
        // Nested serializers' errors (a list's, one object per entry) come as details.
        let nested = match (&error.details, error.kind) {
            (Some(Value::Object(nested)), ErrorKind::InvalidFields) => Some(nested),
            _ => None,
        };
        if !error.fields.is_empty() || nested.is_some() {
            let mut body = fields_object(&error.fields);
            if let (Value::Object(body), Some(nested)) = (&mut body, nested) {
                body.extend(nested.clone());
            }
            return (StatusCode::BAD_REQUEST, body);
        }
        if let (None, Some(problem)) = (&error.message, &error.problem) {
            return Self::problem(problem);
        }
        let words = error
            .message
            .clone()
            .or_else(|| {
                error
                    .details
                    .as_ref()
                    .and_then(Value::as_str)
                    .map(|d| Cow::Owned(d.to_string()))
            })
            .unwrap_or_else(|| Self::kind_words(error.kind, error.retry_after));
        let body = match error.kind {
            // A validation error with no field names: DRF's serializer-level errors.
            ErrorKind::InvalidFields => json!({"non_field_errors": [words]}),
            ErrorKind::InvalidToken => json!({"detail": words, "code": "token_not_valid"}),
            _ => json!({"detail": words}),
        };
        (error.status(), body)
    }

    fn is_error_body(&self, body: &Value) -> bool {
        match body.as_object() {
            Some(object) if !object.is_empty() => {
                body["detail"].is_string() || object.values().all(Value::is_array)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldErrors;

    fn render(error: ApiError) -> (u16, Value) {
        super::super::test_support::render(&DjangoRest, error)
    }

    #[test]
    fn the_documents_bodies() {
        // cvbuilder.md, a résumé of someone else or that does not exist.
        assert_eq!(
            render(ApiError::of(ErrorKind::NotFound)),
            (404, json!({"detail": "Not found."}))
        );
        assert_eq!(
            render(ApiError::problem(Problem::InvalidId)),
            (404, json!({"detail": "Not found."}))
        );
        // cvbuilder.md, POST /api/resumes/import_linkedin/ with a bad URL.
        let mut fields = FieldErrors::new();
        fields.add("linkedin_url", "Invalid LinkedIn URL format.");
        assert_eq!(
            render(ApiError::fields(fields)),
            (
                400,
                json!({"linkedin_url": ["Invalid LinkedIn URL format."]})
            )
        );
        assert_eq!(
            render(ApiError::of(ErrorKind::MissingToken)),
            (
                401,
                json!({"detail": "Authentication credentials were not provided."})
            )
        );
    }

    #[test]
    fn every_failing_field_at_once() {
        let mut fields = FieldErrors::new();
        fields.add("email", "This field is required.");
        fields.add(
            "password",
            "This password is too short. It must contain at least 8 characters.",
        );
        fields.add("password", "This password is too common.");
        assert_eq!(
            render(ApiError::fields(fields)),
            (
                400,
                json!({"email": ["This field is required."],
                       "password": ["This password is too short. It must contain at least 8 characters.",
                                    "This password is too common."]})
            )
        );
        assert_eq!(
            render(ApiError::invalid("Passwords do not match.")),
            (
                400,
                json!({"non_field_errors": ["Passwords do not match."]})
            )
        );
    }

    #[test]
    fn drf_and_simplejwt_words() {
        assert_eq!(
            render(ApiError::of(ErrorKind::InvalidToken)),
            (
                401,
                json!({"detail": "Given token not valid for any token type", "code": "token_not_valid"})
            )
        );
        assert_eq!(
            render(ApiError::of(ErrorKind::Forbidden)),
            (
                403,
                json!({"detail": "You do not have permission to perform this action."})
            )
        );
        assert_eq!(
            render(ApiError::of(ErrorKind::RateLimited).retry_after(1)),
            (
                429,
                json!({"detail": "Request was throttled. Expected available in 1 second."})
            )
        );
        assert_eq!(render(ApiError::problem(Problem::NotJson)).0, 415);
        assert_eq!(
            render(ApiError::internal("secret")),
            (500, json!({"detail": "A server error occurred."}))
        );
    }

    #[test]
    fn a_nested_lists_errors_sit_beside_the_fields() {
        let mut fields = FieldErrors::new();
        fields.add("full_name", "This field is required.");
        let nested = json!({"skills_data": [{}, {"name": ["This field is required."]}]});
        assert_eq!(
            render(ApiError::fields(fields).with_details(nested.clone())),
            (
                400,
                json!({"full_name": ["This field is required."],
                       "skills_data": [{}, {"name": ["This field is required."]}]})
            )
        );
        assert_eq!(render(ApiError::invalid(nested.clone())), (400, nested));
    }
}
