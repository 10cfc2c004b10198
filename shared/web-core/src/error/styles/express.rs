//! Lumira's dialect, an Express API's (`lumira.md`): `{"error": "..."}` in English, with
//! `details` when there is more (failing fields as `{"field": ["message"]}`).

use super::words::ENGLISH;
use super::{ApiError, ErrorStyle, details_of, error_and_details};
use axum::http::StatusCode;
use serde_json::Value;

pub struct ExpressError;

impl ErrorStyle for ExpressError {
    fn render(&self, error: &ApiError) -> (StatusCode, Value) {
        let title = ENGLISH.title(error);
        let details = details_of(error, ENGLISH.problem_details(error));
        (error.status(), error_and_details(title, details))
    }

    fn is_error_body(&self, body: &Value) -> bool {
        body["error"].is_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorKind, FieldErrors, Problem};
    use serde_json::json;

    fn render(error: ApiError) -> (u16, Value) {
        super::super::test_support::render(&ExpressError, error)
    }

    #[test]
    fn the_documents_health_failure_shape() {
        // lumira.md, GET /api/health when the database fails: the route adds its status and
        // timestamp; the error part is this style's.
        assert_eq!(
            render(
                ApiError::new(ErrorKind::Unavailable, "Health check failed")
                    .with_details("Database connection failed")
            ),
            (
                503,
                json!({"error": "Health check failed", "details": "Database connection failed"})
            )
        );
    }

    #[test]
    fn kinds_problems_and_fields() {
        assert_eq!(
            render(ApiError::of(ErrorKind::MissingToken)),
            (401, json!({"error": "Access token required"}))
        );
        assert_eq!(
            render(ApiError::problem(Problem::NoRoute)),
            (404, json!({"error": "Route not found"}))
        );
        assert_eq!(
            render(ApiError::problem(Problem::EmptyBody)),
            (
                400,
                json!({"error": "Invalid request body", "details": "The request body is empty"})
            )
        );
        let mut fields = FieldErrors::new();
        fields.add("email", "email is required");
        fields.add("productId", "productId is required");
        assert_eq!(
            render(ApiError::fields(fields)),
            (
                400,
                json!({"error": "Validation failed",
                       "details": {"email": ["email is required"], "productId": ["productId is required"]}})
            )
        );
    }
}
