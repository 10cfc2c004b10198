//! The API's OpenAPI 3.0 document (`openapi.json`, written from `cvbuilder.md`), and the
//! routes the router serves, which the document must describe one for one.

use crate::role::Role;
use web::routes::{Access, Route};

/// The OpenAPI 3.0.3 document of every route, as JSON.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// CV Builder's roles, from least to most trusted.
pub const ROLES: &[&str] = Role::NAMES;

const PUBLIC: Access = Access::Public;
const ANY: Access = Access::AnyUser;
/// Anonymous visitors (by their session) or signed-in users.
const VISITOR: Access = Access::Optional;

/// Every route that [`crate::routes`] serves, in OpenAPI path syntax, and who may call it.
pub const ROUTES: &[Route] = &[
    // Both read the names they check beside their rate-limit counts.
    Route::new("POST", "/api/auth/register/", PUBLIC).with_early_reads(),
    Route::new("POST", "/api/auth/login/", PUBLIC).with_early_reads(),
    Route::new("POST", "/api/auth/refresh/", PUBLIC),
    Route::new("GET", "/api/auth/profile/", ANY),
    Route::new("PATCH", "/api/auth/profile/", ANY),
    Route::new("POST", "/api/auth/change-password/", ANY),
    Route::new("GET", "/api/templates/", PUBLIC),
    Route::new("GET", "/api/templates/free/", PUBLIC),
    Route::new("GET", "/api/templates/premium/", PUBLIC),
    Route::new("GET", "/api/templates/{id}/", PUBLIC),
    Route::new("GET", "/api/resumes/", VISITOR),
    Route::new("POST", "/api/resumes/", VISITOR),
    // A read records `last_accessed`.
    Route::new("GET", "/api/resumes/{id}/", VISITOR).with_side_effects(),
    Route::new("PATCH", "/api/resumes/{id}/", VISITOR),
    Route::new("DELETE", "/api/resumes/{id}/", VISITOR),
    Route::new("GET", "/api/resumes/{id}/export_json/", VISITOR),
    Route::new("POST", "/api/resumes/import_json/", VISITOR),
    Route::new("POST", "/api/resumes/import_linkedin/", VISITOR),
    // A checkout for a résumé needs its owner; a subscription, a user (checked inside).
    // It reads them beside its rate-limit counts, and waits for them before calling Stripe.
    Route::new("POST", "/api/payments/create-checkout/", VISITOR).with_early_reads(),
    // Signed by Stripe, not by a token.
    Route::new("POST", "/api/payments/webhook/", PUBLIC),
    // Each export writes its PDF to the file store. It reads the résumé beside its
    // rate-limit counts, and waits for them before typesetting.
    Route::new("POST", "/api/resumes/{id}/export_pdf/", VISITOR).with_early_reads(),
];
