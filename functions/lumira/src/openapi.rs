//! The API's OpenAPI 3.0 document (`openapi.json`, written from `lumira.md`), and the routes
//! the router serves, which the document must describe one for one.

use crate::role::Role;
use web::routes::{Access, Route};

/// Lumira's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;

const PUBLIC: Access = Access::Public;
const STAFF: Access = Access::Roles(Role::STAFF);
const ADMIN: Access = Access::Roles(Role::ADMIN);
const CLIENT: Access = Access::Roles(Role::CLIENT);

/// The OpenAPI 3.0.3 document of every route, as JSON.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Every route that [`crate::routes`] serves, in OpenAPI path syntax, and who may call it.
pub const ROUTES: &[Route] = &[
    Route::new("GET", "/api/health", Access::Public),
    Route::new("GET", "/api/ready", Access::Public),
    // Read the account beside their rate-limit counts.
    Route::new("POST", "/api/auth/login", PUBLIC).with_early_reads(),
    Route::new("POST", "/api/auth/refresh", PUBLIC),
    Route::new("POST", "/api/auth/logout", STAFF),
    Route::new("POST", "/api/expert/login", PUBLIC).with_early_reads(),
    Route::new("GET", "/api/expert/orders/pending", STAFF),
    Route::new("GET", "/api/expert/orders/{id}", STAFF),
    Route::new("POST", "/api/expert/orders/{id}/take", STAFF),
    Route::new("POST", "/api/expert/validate-content", STAFF),
    Route::new("GET", "/api/users", ADMIN),
    Route::new("GET", "/api/users/{id}", ADMIN),
    Route::new("PATCH", "/api/users/{id}", ADMIN),
    Route::new("GET", "/api/users/{id}/stats", ADMIN),
    Route::new("POST", "/api/users/auth/sanctuaire", PUBLIC),
    Route::new("POST", "/api/users/auth/sanctuaire/verify", PUBLIC),
    Route::new("GET", "/api/users/orders/completed", CLIENT),
    Route::new("GET", "/api/orders", ADMIN),
    Route::new("GET", "/api/orders/{id}", ADMIN),
    Route::new(
        "POST",
        "/api/orders/by-payment-intent/{paymentIntentId}/client-submit",
        PUBLIC,
    ),
    Route::new("PATCH", "/api/orders/{id}/status", ADMIN),
    Route::new("PATCH", "/api/orders/{id}/expert-review", ADMIN),
    Route::new("PATCH", "/api/orders/{id}/content", ADMIN),
    Route::new("PATCH", "/api/orders/{id}/delivered", ADMIN),
    Route::new("GET", "/api/products", Access::Public),
    Route::new(
        "POST",
        "/api/products/create-payment-intent",
        Access::Public,
    ),
    Route::new("GET", "/api/products/order/{orderId}", Access::Public),
    Route::new("GET", "/api/products/orders/{orderId}", Access::Public),
    Route::new("POST", "/api/products/webhook", Access::Signed),
    Route::new("POST", "/api/payments/create-payment-intent", CLIENT),
    Route::new("POST", "/api/payments/confirm-payment", Access::Public),
    Route::new("POST", "/api/payments/webhook", Access::Signed),
];
