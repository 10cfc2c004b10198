//! The API's OpenAPI 3.0 document (`openapi.json`, written from `lumira.md`), which must
//! describe the declared routes one for one.

use crate::role::Role;

/// Lumira's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;

/// The OpenAPI 3.0.3 document of every route, as JSON.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// What Lumira's document says of every route (its `components.responses`).
#[cfg(feature = "openapi")]
pub const CONVENTIONS: web::routes::DocConventions = web::routes::DocConventions {
    bearer: "bearerAuth",
    every_route: &[("429", "TooManyRequests"), ("503", "ServiceUnavailable")],
    with_token: &[("401", "Unauthorized")],
    with_roles: &[("403", "Forbidden")],
    with_body: &[("400", "BadRequest"), ("413", "PayloadTooLarge")],
    with_required_body: &[],
    path_parameters: &[],
    shared_parameters: &[],
    shared_headers: &[],
    capped_parameters: &[],
    empty_query_is_absent: false,
    bad_path_parameter: Some(("400", "InvalidId")),
};
