//! The document's named value types (`components.schemas`): the shapes every answer and
//! body refers to by name, with the document's own words for them.

use serde_json::json;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, Object, ObjectBuilder, Schema, SchemaType, Type,
};

/// Kbine's error body (`web::error::styles::ErrorDetails`), as the document names it.
#[derive(utoipa::ToSchema)]
#[schema(description = "Toute réponse d'erreur.")]
#[allow(dead_code)] // described, never built: errors are rendered by the style
pub struct Error {
    /// Message d'erreur (en français).
    #[schema(example = json!("Numéro de téléphone invalide"))]
    error: String,
    #[schema(schema_with = error_details)]
    details: Option<serde_json::Value>,
}

// A confirmation, `{"message": "..."}` (no description: the document is in French).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Message {
    #[schema(example = json!("Opération réussie"))]
    message: &'static str,
}

impl Message {
    pub fn new(message: &'static str) -> Self {
        Message { message }
    }
}

/// A plan's type, as the document describes it (`PLAN_TYPES`).
#[derive(utoipa::ToSchema)]
#[schema(description = "Type de forfait.", example = json!("credit"))]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // described, never built: plans keep their type as a checked string
pub enum PlanType {
    Credit,
    Minutes,
    Internet,
}

pub use crate::orders::{OrderStatus, PaymentMethod};
pub use crate::role::Role;

/// An amount as answered: a number of FCFA with two decimals (`web::money::Money`).
pub struct Amount;

impl utoipa::PartialSchema for Amount {
    fn schema() -> RefOr<Schema> {
        positive_fcfa()
            .description(Some(
                "Montant en FCFA, rendu avec 2 décimales (au plus 2 décimales en entrée).",
            ))
            .into()
    }
}

impl utoipa::ToSchema for Amount {}

/// An amount as taken: a positive number with two decimals at most, or the same number
/// written as a string.
pub struct AmountInput;

impl utoipa::PartialSchema for AmountInput {
    fn schema() -> RefOr<Schema> {
        let number = positive_fcfa().multiple_of(Some(0.01));
        let text = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(
                r"^(0*[1-9][0-9]*(\.[0-9]{0,2}0*)?|0+\.([1-9][0-9]?|0[1-9])0*)$",
            ))
            .examples([json!("1000.50")]);
        AnyOfBuilder::new()
            .item(number)
            .item(text)
            .description(Some(
                "Montant en FCFA : positif, au plus 2 décimales. Un nombre JSON, ou le même \
                 nombre écrit en chaîne (`\"1000.50\"`).",
            ))
            .examples([json!(1000.0)])
            .into()
    }
}

impl utoipa::ToSchema for AmountInput {}

fn positive_fcfa() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Number)
        .exclusive_minimum(Some(0))
        .maximum(Some(web::money::MAX_WHOLE as f64))
        .examples([json!(1000.0)])
}

/// A date and time as answered.
#[derive(utoipa::ToSchema)]
#[schema(
    description = "Date ISO 8601 en UTC, avec millisecondes.",
    format = DateTime,
    example = "2025-01-15T16:30:00.000Z"
)]
#[allow(dead_code)] // described, never built: times are written by `web::time`
pub struct DateTime(String);

/// A phone number as answered (and the forms taken).
#[derive(utoipa::ToSchema)]
#[schema(
    description = "Numéro ivoirien normalisé sur 10 chiffres (préfixes 01 Moov, 05 MTN, 07 \
                   Orange). Accepté en entrée aussi sous les formes `07 01 02 03 04`, `+225 07 \
                   01 02 03 04` et `00225 07 01 02 03 04`.",
    example = "0701020304"
)]
#[allow(dead_code)] // described, never built: numbers are read by `crate::phone`
pub struct PhoneNumber(String);

/// A payment's status (payments keep theirs as a checked string).
#[derive(utoipa::ToSchema)]
#[schema(description = "Statut d'un paiement : `pending` en attente, `success` réussi, `failed` échoué, `refunded` remboursé.", example = json!("pending"))]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // described, never built
pub enum PaymentStatus {
    Pending,
    Success,
    Failed,
    Refunded,
}

// The status an assignment answers.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase", example = "assigned")]
#[allow(dead_code)] // described, never built
pub enum Assigned {
    Assigned,
}

// An operator's number prefix.
#[derive(utoipa::ToSchema)]
#[schema(pattern = "^[0-9]{2}$", example = "07")]
#[allow(dead_code)] // described, never built
pub struct Prefix(String);

// Free-form values are described by hand: utoipa keeps no example beside them.

/// An error's `details`: any JSON value.
fn error_details() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::AnyValue)
        .description(Some(
            "Précisions sur l'erreur, quand il y en a (le plus souvent une chaîne).",
        ))
        .examples([json!("Le numéro doit contenir exactement 10 chiffres")])
        .build()
}

/// A payment's `callback_data`: a JSON object, or `null`.
pub fn callback_data() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
        .description(Some(
            "Données additionnelles du callback (objet JSON libre, 16 Kio et 16 niveaux au \
             plus).",
        ))
        .additional_properties(Some(AdditionalProperties::FreeForm(true)))
        .examples([json!({"transaction_id": "12345", "customer_phone": "0789062079"})])
        .build()
}
