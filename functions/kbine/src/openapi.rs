//! The API's OpenAPI 3.0 document (`openapi.json`, written from `kbine.md`), and the routes
//! the router serves, which the document must describe one for one (the API tests check both
//! ways, and that each route is really routed).

/// The OpenAPI 3.0.3 document of every route, as JSON.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Every (method, path) that [`crate::routes`] serves, in OpenAPI path syntax.
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/auth/logout"),
    ("GET", "/api/users/profile"),
    ("GET", "/api/users"),
    ("GET", "/api/operators"),
    ("POST", "/api/operators"),
    ("GET", "/api/operators/{id}"),
    ("PUT", "/api/operators/{id}"),
    ("DELETE", "/api/operators/{id}"),
    ("GET", "/api/plans"),
    ("POST", "/api/plans"),
    ("GET", "/api/plans/{id}"),
    ("PUT", "/api/plans/{id}"),
    ("DELETE", "/api/plans/{id}"),
    ("POST", "/api/orders"),
    ("GET", "/api/orders"),
    ("GET", "/api/orders/{id}"),
    ("PUT", "/api/orders/{id}/status"),
    ("PUT", "/api/orders/{id}/assign"),
    ("GET", "/api/payments/methods"),
    ("GET", "/api/payments/statuses"),
    ("POST", "/api/payments"),
    ("GET", "/api/payments"),
    ("GET", "/api/payments/{id}"),
    ("PUT", "/api/payments/{id}"),
    ("PATCH", "/api/payments/{id}/status"),
    ("DELETE", "/api/payments/{id}"),
];
