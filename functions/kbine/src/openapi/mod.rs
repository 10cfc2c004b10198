//! The API's OpenAPI 3.0 document (`openapi.json`), generated from the route declarations,
//! their handlers' descriptions, the types they name, and `base()` (`cargo regenerate`
//! writes it; a test holds it equal to what the code generates).

use crate::role::Role;

/// The OpenAPI 3.0.3 document of every route, as JSON, as `cargo regenerate` wrote it.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");

#[cfg(feature = "openapi")]
mod base;
pub mod schemas;

#[cfg(feature = "openapi")]
pub use base::base;

pub use schemas::{Error, Message, PlanType};

web::response_refs!(Conflict, Forbidden);

/// Query values as the document describes them: the lists read each as sent, and check it
/// with its own message. (No doc comments on the types: they would become their schemas'
/// text.)
pub mod query {
    #![allow(dead_code)] // described, never built

    // `sort`: the order of a list.
    #[derive(utoipa::ToSchema)]
    #[schema(rename_all = "lowercase")]
    pub enum SortOrder {
        Newest,
        Oldest,
    }

    // `assigned_to`: the caller's own orders.
    #[derive(utoipa::ToSchema)]
    #[schema(rename_all = "lowercase")]
    pub enum AssignedTo {
        Me,
    }
}

/// Request bodies as the document describes them, for the routes whose typed command does
/// not describe itself yet (the plans' fields, read into one command for both routes) or
/// whose body the shared session plumbing reads.
pub mod bodies {
    #![allow(dead_code)] // described, never built

    // `POST /api/plans`.
    #[derive(utoipa::ToSchema)]
    #[schema(example = json!({"operator_id": 1, "name": "Recharge 5000 FCFA", "description": "Crédit de communication de 5000 FCFA", "price": 5000.0, "type": "credit", "validity_days": null, "active": true}))]
    pub struct PlanCreate {
        /// Opérateur du forfait (doit exister).
        #[schema(example = json!(1), minimum = 1)]
        operator_id: i64,
        /// Nom (1 à 150 caractères).
        #[schema(example = json!("Recharge 5000 FCFA"), min_length = 1, max_length = 150)]
        name: String,
        /// Description (1000 caractères au plus).
        #[schema(example = json!("Crédit de communication de 5000 FCFA"), max_length = 1000)]
        description: Option<String>,
        #[schema(value_type = crate::openapi::schemas::AmountInput)]
        price: f64,
        #[schema(rename = "type")]
        #[schema(value_type = crate::openapi::schemas::PlanType)]
        kind: String,
        /// Validité en jours (1 à 3650), ou `null`.
        #[schema(minimum = 1, maximum = 3650, format = Int32)]
        validity_days: Option<i64>,
        /// Forfait disponible à la commande (défaut : true).
        #[schema(default = json!(true), nullable = false)]
        active: Option<bool>,
    }

    // `PUT /api/plans/{id}`.
    #[derive(utoipa::ToSchema)]
    #[schema(description = "Modification partielle : seuls les champs présents sont modifiés ; `description` et `validity_days` peuvent être remis à `null`.", example = json!({"price": 1500.0, "active": false}))]
    pub struct PlanUpdate {
        /// Opérateur du forfait (doit exister).
        #[schema(example = json!(1), minimum = 1, nullable = false)]
        operator_id: Option<i64>,
        /// Nom (1 à 150 caractères).
        #[schema(example = json!("Recharge 5000 FCFA"), min_length = 1, max_length = 150, nullable = false)]
        name: Option<String>,
        /// Description (1000 caractères au plus).
        #[schema(example = json!("Crédit de communication de 5000 FCFA"), max_length = 1000)]
        description: Option<String>,
        #[schema(value_type = crate::openapi::schemas::AmountInput, required = false)]
        price: Option<f64>,
        #[schema(rename = "type")]
        #[schema(value_type = crate::openapi::schemas::PlanType, required = false)]
        kind: Option<String>,
        /// Validité en jours (1 à 3650), ou `null`.
        #[schema(minimum = 1, maximum = 3650, format = Int32)]
        validity_days: Option<i64>,
        /// Forfait disponible à la commande (défaut : true).
        #[schema(default = json!(true), nullable = false)]
        active: Option<bool>,
    }

    // `POST /api/auth/refresh`.
    #[derive(utoipa::ToSchema)]
    #[schema(rename_all = "camelCase")]
    pub struct RefreshRequest {
        /// Refresh token reçu à la connexion.
        #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
        refresh_token: String,
    }

    // `POST /api/auth/logout`.
    #[derive(utoipa::ToSchema)]
    #[schema(rename_all = "camelCase")]
    pub struct LogoutRequest {
        /// Refresh token dont la session est aussi fermée ; sans lui (absent ou `null`), toutes les sessions de l'utilisateur sont fermées.
        #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
        refresh_token: Option<String>,
    }
}

/// Kbine's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;

/// What Kbine's document says of every route (its `components.responses` and parameters).
#[cfg(feature = "openapi")]
pub const CONVENTIONS: web::routes::DocConventions = web::routes::DocConventions {
    every_route: &[
        ("414", "UriTooLong"),
        ("429", "TooManyRequests"),
        ("431", "HeadersTooLarge"),
        ("500", "ServerError"),
        ("503", "Unavailable"),
    ],
    path_parameters: &[("id", "Id")],
    shared_parameters: &[
        ("query", "page", "Page"),
        ("header", "Idempotency-Key", "IdempotencyKey"),
    ],
    shared_headers: &["Retry-After", "Idempotent-Replayed"],
    capped_parameters: &["limit"],
    empty_query_is_absent: true,
    bad_path_parameter: Some(("400", "InvalidId")),
    ..web::routes::DocConventions::STANDARD
};
