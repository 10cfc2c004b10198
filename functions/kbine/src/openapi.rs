//! The API's OpenAPI 3.0 document (`openapi.json`, written from `kbine.md`), which must
//! describe the declared routes one for one (the API tests check both ways, and that each
//! route is really routed).

use crate::role::Role;

/// The OpenAPI 3.0.3 document of every route, as JSON.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Kbine's error body (`web::error::styles::ErrorDetails`), as the document names it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // described, never built: errors are rendered by the style
pub struct Error {
    error: String,
    details: Option<serde_json::Value>,
}

/// A confirmation, `{"message": "..."}`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // described, never built: the handlers answer `json!` messages
pub struct Message {
    message: String,
}

web::response_refs!(Conflict, Forbidden);

/// A plan's type, as the document describes it (`PLAN_TYPES`).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // described, never built: plans keep their type as a checked string
pub enum PlanType {
    Credit,
    Minutes,
    Internet,
}

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

    // A payment's status.
    #[derive(utoipa::ToSchema)]
    #[schema(rename_all = "lowercase")]
    pub enum PaymentStatus {
        Pending,
        Success,
        Failed,
        Refunded,
    }
}

/// Request bodies as the document describes them. Their handlers read them field by field,
/// in their own words (`Option<Value>` forms); these types only name and describe them.
pub mod bodies {
    #![allow(dead_code)] // described, never built

    /// `POST /api/plans`.
    #[derive(utoipa::ToSchema)]
    pub struct PlanCreate {
        operator_id: i64,
        name: String,
        description: Option<String>,
        price: f64,
        #[schema(rename = "type")]
        kind: String,
        validity_days: Option<i64>,
        active: Option<bool>,
    }

    /// `PUT /api/plans/{id}`.
    #[derive(utoipa::ToSchema)]
    pub struct PlanUpdate {
        operator_id: Option<i64>,
        name: Option<String>,
        description: Option<String>,
        price: Option<f64>,
        #[schema(rename = "type")]
        kind: Option<String>,
        validity_days: Option<i64>,
        active: Option<bool>,
    }

    /// `PUT /api/orders/{id}/status`.
    #[derive(utoipa::ToSchema)]
    pub struct OrderStatusUpdate {
        status: String,
        notes: Option<String>,
    }

    /// `PUT /api/orders/{id}/assign`.
    #[derive(utoipa::ToSchema)]
    pub struct OrderAssign {
        staff_id: Option<i64>,
    }

    /// `PUT /api/payments/{id}`.
    #[derive(utoipa::ToSchema)]
    pub struct PaymentUpdate {
        amount: Option<f64>,
        status: Option<String>,
        payment_method: Option<String>,
        payment_reference: Option<String>,
        external_reference: Option<String>,
        callback_data: Option<serde_json::Value>,
    }

    /// `PATCH /api/payments/{id}/status`.
    #[derive(utoipa::ToSchema)]
    pub struct PaymentStatusUpdate {
        status: String,
        notes: Option<String>,
    }

    /// `POST /api/auth/login`: a client's number alone, a staff member's with a password, or
    /// a one-time code in the code mode.
    #[derive(utoipa::ToSchema)]
    #[schema(rename_all = "camelCase")]
    pub struct LoginRequest {
        phone_number: String,
        password: Option<String>,
        code: Option<String>,
    }

    /// `POST /api/orders`.
    #[derive(utoipa::ToSchema)]
    pub struct OrderCreate {
        plan_id: i64,
        phone_number: String,
        payment_method: String,
    }

    /// `POST /api/payments`.
    #[derive(utoipa::ToSchema)]
    pub struct PaymentCreate {
        order_id: i64,
        amount: f64,
        payment_method: String,
        payment_reference: String,
        external_reference: Option<String>,
        callback_data: Option<serde_json::Value>,
    }

    /// `POST /api/auth/refresh`.
    #[derive(utoipa::ToSchema)]
    #[schema(rename_all = "camelCase")]
    pub struct RefreshRequest {
        refresh_token: String,
    }

    /// `POST /api/auth/logout`.
    #[derive(utoipa::ToSchema)]
    #[schema(rename_all = "camelCase")]
    pub struct LogoutRequest {
        refresh_token: Option<String>,
    }
}

/// Kbine's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;

/// What Kbine's document says of every route (its `components.responses` and parameters).
#[cfg(feature = "openapi")]
pub const CONVENTIONS: web::routes::DocConventions = web::routes::DocConventions {
    bearer: "bearerAuth",
    every_route: &[
        ("429", "TooManyRequests"),
        ("500", "ServerError"),
        ("503", "Unavailable"),
    ],
    with_token: &[("401", "Unauthorized")],
    with_roles: &[("403", "Forbidden")],
    with_body: &[("400", "BadRequest"), ("413", "PayloadTooLarge")],
    path_parameters: &[("id", "Id")],
    shared_parameters: &[
        ("query", "page", "Page"),
        ("header", "Idempotency-Key", "IdempotencyKey"),
    ],
    shared_headers: &["Retry-After", "Idempotent-Replayed"],
    capped_parameters: &["limit"],
    empty_query_is_absent: true,
    bad_path_parameter: Some(("400", "InvalidId")),
};
