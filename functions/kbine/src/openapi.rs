//! The API's OpenAPI 3.0 document (`openapi.json`, written from `kbine.md`), and the routes
//! the router serves, which the document must describe one for one (the API tests check both
//! ways, and that each route is really routed).

use crate::role::Role;
use web::routes::{Access, Route};

/// The OpenAPI 3.0.3 document of every route, as JSON.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Kbine's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;

const PUBLIC: Access = Access::Public;
const ANY: Access = Access::AnyUser;
const STAFF: Access = Access::Roles(Role::STAFF);
const ADMIN: Access = Access::Roles(Role::ADMIN);

/// Every route that [`crate::routes`] serves, in OpenAPI path syntax, and who may call it.
/// Routes open to any user still keep each client to its own orders and payments.
pub const ROUTES: &[Route] = &[
    // Reads the account beside its rate-limit counts (two round trips in sequence, not three).
    Route::new("POST", "/api/auth/login", PUBLIC).with_early_reads(),
    Route::new("POST", "/api/auth/refresh", PUBLIC),
    Route::new("POST", "/api/auth/logout", ANY),
    Route::new("GET", "/api/users/profile", ANY),
    Route::new("GET", "/api/users", ADMIN),
    Route::new("GET", "/api/operators", PUBLIC),
    Route::new("POST", "/api/operators", ADMIN),
    Route::new("GET", "/api/operators/detect", PUBLIC).with_example_query("phone=0701020304"),
    Route::new("GET", "/api/operators/{id}", PUBLIC),
    Route::new("PUT", "/api/operators/{id}", ADMIN),
    Route::new("DELETE", "/api/operators/{id}", ADMIN),
    Route::new("GET", "/api/plans", PUBLIC),
    Route::new("POST", "/api/plans", ADMIN),
    Route::new("GET", "/api/plans/{id}", PUBLIC),
    Route::new("PUT", "/api/plans/{id}", ADMIN),
    Route::new("DELETE", "/api/plans/{id}", ADMIN),
    Route::new("POST", "/api/orders", ANY),
    Route::new("GET", "/api/orders", ANY),
    Route::new("GET", "/api/orders/counts", STAFF),
    Route::new("GET", "/api/orders/{id}", ANY),
    Route::new("PUT", "/api/orders/{id}/status", STAFF),
    Route::new("PUT", "/api/orders/{id}/assign", STAFF),
    Route::new("GET", "/api/payments/methods", PUBLIC),
    Route::new("GET", "/api/payments/statuses", PUBLIC),
    Route::new("POST", "/api/payments", ANY),
    Route::new("GET", "/api/payments", STAFF),
    Route::new("GET", "/api/payments/{id}", ANY),
    Route::new("PUT", "/api/payments/{id}", ADMIN),
    Route::new("PATCH", "/api/payments/{id}/status", STAFF),
    Route::new("DELETE", "/api/payments/{id}", ADMIN),
];
