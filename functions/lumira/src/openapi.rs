//! The API's OpenAPI 3.0 document (`openapi.json`, written from `lumira.md`), which must
//! describe the declared routes one for one.

use crate::role::Role;

/// Lumira's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;

/// The OpenAPI 3.0.3 document of every route, as JSON.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");
