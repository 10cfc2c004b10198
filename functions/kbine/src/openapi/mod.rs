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

/// Request bodies as the document describes them. Their handlers read them field by field,
/// in their own words (`Option<Value>` forms); these types only name and describe them.
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

    // `PUT /api/orders/{id}/status`.
    #[derive(utoipa::ToSchema)]
    #[schema(description = "Transitions permises : pending → processing ou cancelled ; assigned → pending (l'assignation est retirée), processing ou cancelled ; processing → completed (seulement après un paiement réussi de la commande) ou cancelled. `assigned` s'obtient par PUT /api/orders/:id/assign ; `refunded` suit le remboursement du paiement (PATCH /api/payments/:id/status). completed et cancelled ne vont plus que vers refunded, qui est final.", example = json!({"status": "processing"}))]
    pub struct OrderStatusUpdate {
        #[schema(value_type = crate::openapi::schemas::OrderStatus)]
        status: String,
        /// Pourquoi (1000 caractères au plus) : enregistré dans l'historique de la commande.
        #[schema(max_length = 1000, example = json!("Client injoignable"))]
        reason: Option<String>,
    }

    // `PUT /api/orders/{id}/assign`.
    #[derive(utoipa::ToSchema)]
    #[schema(example = json!({"staff_id": 5}))]
    pub struct OrderAssign {
        /// Utilisateur de rôle staff ou admin.
        #[schema(example = json!(5), minimum = 1)]
        staff_id: i64,
        /// Pourquoi (1000 caractères au plus) : enregistré dans l'historique de la commande.
        #[schema(max_length = 1000, example = json!("Zone Cocody"))]
        reason: Option<String>,
    }

    // `PUT /api/payments/{id}`.
    #[derive(utoipa::ToSchema)]
    #[schema(description = "Au moins un champ doit être fourni (un champ `null` compte comme absent) ; `callback_data` remplace les données existantes. `amount` doit rester celui de la commande ; `status` suit les transitions de PATCH /api/payments/:id/status.", example = json!({"amount": 5500.0, "status": "success", "callback_data": {"transaction_id": "12345", "validation_code": "OK-123"}}))]
    pub struct PaymentUpdate {
        #[schema(value_type = Option<crate::openapi::schemas::AmountInput>)]
        amount: Option<f64>,
        #[schema(value_type = Option<crate::openapi::schemas::PaymentStatus>)]
        status: Option<String>,
        #[schema(schema_with = crate::openapi::schemas::callback_data)]
        callback_data: Option<serde_json::Value>,
    }

    // `PATCH /api/payments/{id}/status`.
    #[derive(utoipa::ToSchema)]
    #[schema(description = "Transitions permises : pending → success ou failed ; success → refunded (la commande passe alors à `refunded`). failed et refunded sont finals. Un même statut ne change que les notes.", example = json!({"status": "success", "notes": "Paiement vérifié et validé manuellement"}))]
    pub struct PaymentStatusUpdate {
        #[schema(value_type = crate::openapi::schemas::PaymentStatus)]
        status: String,
        /// Notes explicatives (1000 caractères au plus), enregistrées dans `callback_data.notes` ; `callback_data.last_update` reçoit la date. Elles sont aussi le « pourquoi » de l'historique.
        #[schema(example = json!("Paiement vérifié et validé manuellement"), max_length = 1000)]
        notes: Option<String>,
    }

    // `POST /api/auth/login`: a client's number alone, a staff member's with a password, or
    // a one-time code in the code mode.
    #[derive(utoipa::ToSchema)]
    #[schema(example = json!({"phoneNumber": "0701020304"}))]
    #[schema(rename_all = "camelCase")]
    pub struct LoginRequest {
        /// Numéro de téléphone, sous l'une des formes acceptées.
        #[schema(example = json!("0701020304"))]
        phone_number: String,
        /// Mot de passe des comptes `staff` et `admin` (requis pour eux) ; ignoré pour un client.
        #[schema(example = json!("mot-de-passe-du-staff"), nullable = false)]
        password: Option<String>,
        /// Mode code à usage unique : le code de 6 chiffres reçu par SMS.
        #[schema(example = json!("482913"), min_length = 6, max_length = 6, pattern = "^[0-9]{6}$", nullable = false)]
        code: Option<String>,
    }

    // `POST /api/orders`.
    #[derive(utoipa::ToSchema)]
    #[schema(example = json!({"plan_id": 1, "phone_number": "0701020304", "payment_method": "wave"}))]
    pub struct OrderCreate {
        /// Forfait commandé (doit exister et être actif).
        #[schema(example = json!(1), minimum = 1)]
        plan_id: i64,
        /// Numéro à recharger ; son préfixe doit être celui de l'opérateur du forfait. Formes acceptées : voir PhoneNumber.
        #[schema(example = json!("0701020304"))]
        phone_number: String,
        #[schema(value_type = crate::openapi::schemas::PaymentMethod)]
        payment_method: String,
    }

    // `POST /api/payments`.
    #[derive(utoipa::ToSchema)]
    #[schema(example = json!({"order_id": 123, "amount": 5000.0, "payment_method": "wave", "payment_reference": "PAY-20251008-ABC123", "external_reference": "WAVE-TXN-456789", "callback_data": {"transaction_id": "12345", "customer_phone": "0789062079"}}))]
    pub struct PaymentCreate {
        /// Commande payée (doit exister et appartenir à l'appelant, sauf admin).
        #[schema(example = json!(123), minimum = 1)]
        order_id: i64,
        #[schema(value_type = crate::openapi::schemas::AmountInput)]
        amount: f64,
        #[schema(value_type = crate::openapi::schemas::PaymentMethod)]
        payment_method: String,
        /// Référence unique du paiement (100 caractères au plus).
        #[schema(example = json!("PAY-20251008-ABC123"), min_length = 1, max_length = 100)]
        payment_reference: String,
        /// Référence externe (auto-générée si absente).
        #[schema(example = json!("WAVE-TXN-456789"), min_length = 1, max_length = 100)]
        external_reference: Option<String>,
        #[schema(schema_with = crate::openapi::schemas::callback_data)]
        callback_data: Option<serde_json::Value>,
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
