//! The document's named value types (`components.schemas`) that no handler builds as such.
#![allow(dead_code)] // described, never built

#[derive(utoipa::ToSchema)]
#[schema(description = "Toute réponse d'erreur : `success` à `false` et ce qui n'a pas été fait.")]
pub struct Error {
    #[schema(example = json!(false))]
    success: bool,
    #[schema(example = json!("Ressource non trouvée"))]
    message: String,
    /// Chaque champ refusé, avec ses messages.
    #[schema(nullable = false)]
    errors: Option<std::collections::BTreeMap<String, Vec<String>>>,
    /// Plus de détails, quand il y a plus à dire.
    #[schema(nullable = false)]
    details: Option<serde_json::Value>,
}

#[derive(utoipa::ToSchema)]
#[schema(
    description = "Date ISO 8601 en UTC, avec millisecondes.",
    format = DateTime,
    example = "2026-02-17T09:45:00.000Z"
)]
pub struct DateTime(String);

pub use crate::auth::Gender;
