//! The API's OpenAPI 3.0 document (`openapi.json`, written from `kbine.md`), which must
//! describe the declared routes one for one (the API tests check both ways, and that each
//! route is really routed).

use crate::role::Role;

/// The OpenAPI 3.0.3 document of every route, as JSON.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Kbine's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;
