//! Kbine's dialect (`kbine.md`): `{"error": "...", "details": ...}` in French, `details`
//! only when there is more to say than the title.

use super::words::FRENCH;
use super::{ApiError, ErrorStyle, error_and_details};
use crate::error::ErrorKind;
use axum::http::StatusCode;
use serde_json::Value;

pub struct ErrorDetails;

impl ErrorStyle for ErrorDetails {
    fn render(&self, error: &ApiError) -> (StatusCode, Value) {
        let title = match (error.fields.first_title(), &error.message) {
            (Some(title), None) => title.to_string().into(),
            _ => FRENCH.title(error),
        };
        let details = error
            .details
            .clone()
            .or_else(|| FRENCH.problem_details(error).map(Value::from))
            // One message, the first field's: the document shows a single string.
            .or_else(|| error.fields.first().map(Value::from))
            .or_else(|| match (error.kind, error.retry_after) {
                (ErrorKind::RateLimited, Some(seconds)) => {
                    Some(format!("Réessayez dans {seconds} secondes").into())
                }
                _ => None,
            });
        (error.status(), error_and_details(title, details))
    }

    fn is_error_body(&self, body: &Value) -> bool {
        body["error"].is_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{FieldErrors, Problem};
    use serde_json::json;

    fn render(error: ApiError) -> (u16, Value) {
        super::super::test_support::render(&ErrorDetails, error)
    }

    #[test]
    fn the_documents_bodies() {
        // kbine.md, POST /api/auth/login with a bad number.
        assert_eq!(
            render(
                ApiError::bad_request("Numéro de téléphone invalide")
                    .with_details("Le numéro doit contenir exactement 10 chiffres")
            ),
            (
                400,
                json!({"error": "Numéro de téléphone invalide",
                       "details": "Le numéro doit contenir exactement 10 chiffres"})
            )
        );
        assert_eq!(
            render(ApiError::of(ErrorKind::MissingToken)),
            (401, json!({"error": "Token d'accès requis"}))
        );
        assert_eq!(
            render(ApiError::of(ErrorKind::InvalidToken)),
            (401, json!({"error": "Token invalide ou expiré"}))
        );
        assert_eq!(
            render(ApiError::of(ErrorKind::Forbidden)),
            (403, json!({"error": "Accès non autorisé"}))
        );
        assert_eq!(
            render(
                ApiError::new(
                    ErrorKind::RateLimited,
                    "Trop de tentatives de connexion, veuillez réessayer plus tard"
                )
                .retry_after(600)
            ),
            (
                429,
                json!({"error": "Trop de tentatives de connexion, veuillez réessayer plus tard",
                       "details": "Réessayez dans 600 secondes"})
            )
        );
        assert_eq!(
            render(
                ApiError::internal("boom").or_server_message("Erreur serveur lors de la connexion")
            ),
            (500, json!({"error": "Erreur serveur lors de la connexion"}))
        );
    }

    #[test]
    fn shared_problems_in_kbines_words() {
        assert_eq!(
            render(ApiError::problem(Problem::MalformedJson {
                line: 1,
                column: 9
            })),
            (
                400,
                json!({"error": "Données invalides", "details": "JSON malformé (ligne 1, colonne 9)"})
            )
        );
        assert_eq!(
            render(ApiError::problem(Problem::InvalidId)),
            (400, json!({"error": "Identifiant invalide"}))
        );
        assert_eq!(
            render(ApiError::problem(Problem::InvalidPage {
                param: "page",
                too_large: true
            })),
            (
                400,
                json!({"error": "Paramètres de pagination invalides", "details": "page trop grande"})
            )
        );
        assert_eq!(
            render(ApiError::of(ErrorKind::PayloadTooLarge)),
            (413, json!({"error": "Requête trop volumineuse"}))
        );
        assert_eq!(
            render(ApiError::unavailable("timeout")),
            (
                503,
                json!({"error": "Service temporairement indisponible, veuillez réessayer"})
            )
        );
    }

    #[test]
    fn invalid_fields_say_the_first_one() {
        assert_eq!(
            render(ApiError::invalid("plan_id est requis")),
            (
                400,
                json!({"error": "Données invalides", "details": "plan_id est requis"})
            )
        );
        let mut fields = FieldErrors::new();
        fields.add("plan_id", "plan_id est requis");
        fields.add("phone_number", "phone_number est requis");
        assert_eq!(
            render(ApiError::fields(fields)),
            (
                400,
                json!({"error": "Données invalides", "details": "plan_id est requis"})
            )
        );
    }
}
