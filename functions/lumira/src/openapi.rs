//! The API's OpenAPI 3.0 document (`openapi.json`, written from `lumira.md`), and the routes
//! the router serves, which the document must describe one for one.

use web::routes::{Access, Route};

/// The OpenAPI 3.0.3 document of every route, as JSON.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Every route that [`crate::routes`] serves, in OpenAPI path syntax, and who may call it.
pub const ROUTES: &[Route] = &[
    Route::new("GET", "/api/health", Access::Public),
    Route::new("GET", "/api/ready", Access::Public),
    Route::new("GET", "/api/products", Access::Public),
    Route::new(
        "POST",
        "/api/products/create-payment-intent",
        Access::Public,
    ),
    Route::new("GET", "/api/products/order/{orderId}", Access::Public),
    Route::new("GET", "/api/products/orders/{orderId}", Access::Public),
    Route::new("POST", "/api/products/webhook", Access::Signed),
    Route::new("POST", "/api/payments/confirm-payment", Access::Public),
    Route::new("POST", "/api/payments/webhook", Access::Signed),
];
