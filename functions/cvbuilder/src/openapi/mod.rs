//! The API's OpenAPI 3.0 document (`openapi.json`), generated from the route declarations,
//! their handlers' descriptions, the types they name, and `base()` (`cargo regenerate`
//! writes it; a test holds it equal to what the code generates).

use crate::role::Role;

#[cfg(feature = "openapi")]
mod base;
pub mod bodies;
pub mod schemas;

#[cfg(feature = "openapi")]
pub use base::base;

web::response_refs!(Unauthorized, Conflict);

/// The OpenAPI 3.0.3 document of every route, as JSON, as `cargo regenerate` wrote it.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");

/// CV Builder's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;

/// What CV Builder's document says of every route (its `components.responses`): Django REST
/// Framework answers a malformed id as an unknown one, 404.
#[cfg(feature = "openapi")]
pub const CONVENTIONS: web::routes::DocConventions = web::routes::DocConventions {
    with_roles: &[],
    with_required_body: &[("415", "UnsupportedMediaType")],
    shared_headers: &[],
    bad_path_parameter: Some(("404", "NotFound")),
    ..web::routes::DocConventions::STANDARD
};
