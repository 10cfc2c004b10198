//! The API's OpenAPI 3.0 document (`openapi.json`), generated from the route declarations,
//! their handlers' descriptions, the types they name, and `base()` (`cargo regenerate`
//! writes it; a test holds it equal to what the code generates).

use crate::role::Role;

/// PaieCashFan's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;

/// The OpenAPI 3.0.3 document of every route, as JSON, as `cargo regenerate` wrote it.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");

#[cfg(feature = "openapi")]
mod base;
pub mod schemas;

#[cfg(feature = "openapi")]
pub use base::base;

web::response_refs!(BadRequest);

/// Request bodies the shared session plumbing reads.
pub mod bodies {
    #![allow(dead_code)] // described, never built

    // `POST /api/auth/refresh`.
    #[derive(utoipa::ToSchema)]
    #[schema(rename_all = "camelCase")]
    pub struct RefreshRequest {
        // The refresh token of the sign-in or of the last refresh.
        #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
        refresh_token: String,
    }
}

/// What PaieCashFan's document says of every route (its `components.responses`).
#[cfg(feature = "openapi")]
pub const CONVENTIONS: web::routes::DocConventions = web::routes::DocConventions {
    every_route: &[
        ("414", "UriTooLong"),
        ("429", "TooManyRequests"),
        ("431", "HeadersTooLarge"),
        ("503", "ServiceUnavailable"),
    ],
    capped_parameters: &["limit"],
    empty_query_is_absent: true,
    ..web::routes::DocConventions::STANDARD
};
