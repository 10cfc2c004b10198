//! The document's named value types (`components.schemas`) that no handler builds as such.
#![allow(dead_code)] // described, never built

#[derive(utoipa::ToSchema)]
#[schema(
    description = "Toute réponse d'erreur : un code stable pour les programmes et un message pour les personnes."
)]
pub struct Error {
    error: ErrorBody,
}

#[derive(utoipa::ToSchema)]
pub struct ErrorBody {
    #[schema(example = json!("not_found"))]
    code: String,
    #[schema(example = json!("Ressource introuvable"))]
    message: String,
    /// Chaque champ refusé, avec ses messages.
    #[schema(nullable = false)]
    fields: Option<std::collections::BTreeMap<String, Vec<String>>>,
    /// Plus de détails, quand il y a plus à dire.
    #[schema(nullable = false)]
    details: Option<serde_json::Value>,
}

#[derive(utoipa::ToSchema)]
#[schema(
    description = "Date ISO 8601 en UTC, avec millisecondes.",
    format = DateTime,
    example = "2026-12-06T18:30:00.000Z"
)]
pub struct DateTime(String);
