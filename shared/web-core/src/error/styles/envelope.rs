//! The marketplace admin API's dialect (`marketplace-admin.md`): the `{"success": false,
//! "message": "..."}` side of its `{"success": true, "data": ...}` envelope, in French, with
//! the words of the document's error-code table; failing fields as `errors`, and `details`
//! when a shared check has more to say.

use super::words::FRENCH;
use super::{ApiError, ErrorStyle, details_of, fields_object};
use crate::error::ErrorKind;
use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use std::borrow::Cow;

pub struct SuccessEnvelope;

/// The document's table: "Codes d'erreur".
fn table(kind: ErrorKind) -> Option<&'static str> {
    match kind {
        ErrorKind::InvalidBody | ErrorKind::InvalidFields | ErrorKind::Rejected => {
            Some("Données invalides")
        }
        ErrorKind::MissingToken | ErrorKind::InvalidToken => Some("Non authentifié"),
        ErrorKind::Forbidden => Some("Non autorisé"),
        ErrorKind::NotFound => Some("Ressource non trouvée"),
        ErrorKind::Internal => Some("Erreur serveur"),
        _ => None,
    }
}

impl ErrorStyle for SuccessEnvelope {
    fn render(&self, error: &ApiError) -> (StatusCode, Value) {
        let message = match (&error.message, &error.problem) {
            (None, None) => table(error.kind)
                .map(Cow::Borrowed)
                .unwrap_or_else(|| FRENCH.title(error)),
            _ => FRENCH.title(error),
        };
        let mut body = Map::new();
        body.insert("success".into(), Value::Bool(false));
        body.insert("message".into(), Value::from(message));
        if !error.fields.is_empty() {
            body.insert("errors".into(), fields_object(&error.fields));
        } else if let Some(details) = details_of(error, FRENCH.problem_details(error)) {
            body.insert("details".into(), details);
        }
        (error.status(), Value::Object(body))
    }

    fn is_error_body(&self, body: &Value) -> bool {
        body["success"] == json!(false) && body["message"].is_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{FieldErrors, Problem};

    fn render(error: ApiError) -> (u16, Value) {
        super::super::test_support::render(&SuccessEnvelope, error)
    }

    #[test]
    fn the_documents_error_table() {
        for (kind, status, message) in [
            (ErrorKind::InvalidFields, 400, "Données invalides"),
            (ErrorKind::MissingToken, 401, "Non authentifié"),
            (ErrorKind::Forbidden, 403, "Non autorisé"),
            (ErrorKind::NotFound, 404, "Ressource non trouvée"),
            (ErrorKind::Internal, 500, "Erreur serveur"),
        ] {
            assert_eq!(
                render(ApiError::of(kind)),
                (status, json!({"success": false, "message": message}))
            );
        }
    }

    #[test]
    fn the_documents_rules_and_fields() {
        // marketplace-admin.md: an admin cannot deactivate themselves (400).
        assert_eq!(
            render(ApiError::bad_request(
                "Vous ne pouvez pas vous désactiver vous-même"
            )),
            (
                400,
                json!({"success": false, "message": "Vous ne pouvez pas vous désactiver vous-même"})
            )
        );
        let mut fields = FieldErrors::new();
        fields.add(
            "rejectionReason",
            "rejectionReason est obligatoire (5 à 500 caractères)",
        );
        assert_eq!(
            render(ApiError::fields(fields)),
            (
                400,
                json!({"success": false, "message": "Données invalides",
                       "errors": {"rejectionReason": ["rejectionReason est obligatoire (5 à 500 caractères)"]}})
            )
        );
        assert_eq!(
            render(ApiError::problem(Problem::EmptyBody)),
            (
                400,
                json!({"success": false, "message": "Données invalides",
                       "details": "Le corps de la requête est vide"})
            )
        );
        assert_eq!(render(ApiError::of(ErrorKind::Banned)).0, 403);
    }
}
