//! What CV Builder's document says before its routes: its introduction (`intro.md`), its
//! tags, and the refusals every route may answer, as its error style answers them.

use super::schemas::Error;
use crate::ERROR_STYLE;
use utoipa::openapi::ComponentsBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::tag::TagBuilder;
use web::error::{ApiError, ErrorKind, Problem};
use web::routes::{DocBase, Heading, Refusals};

/// CV Builder's document before its routes.
pub fn base() -> DocBase {
    let heading = Heading {
        title: "CV Builder API",
        intro: include_str!("intro.md"),
        bearer: "`Authorization: Bearer <access>`, the access token of `/api/auth/login/` or \
                 `/api/auth/refresh/`.",
    };
    let components = refusals().into_components(ComponentsBuilder::new().schema_from::<Error>());
    let tags = ["Auth", "Templates", "Resumes", "Payments"]
        .map(|name| TagBuilder::new().name(name).build())
        .into();
    DocBase::new(heading, tags, components)
}

fn refusals() -> Refusals {
    // Throttled and unavailable answers say when to come back.
    let retry_after = || {
        let seconds = ObjectBuilder::new().schema_type(Type::Integer);
        HeaderBuilder::new().schema(seconds).build()
    };
    Refusals::new(ERROR_STYLE, "Error")
        .listener_limits(
            "A request line over 16 KiB (the local server; API Gateway answers its own beyond its limits).",
            "Request headers over 32 KiB (the local server).",
        )
        .one(
            "BadRequest",
            "Invalid input: every failing field at once.",
            ApiError::field("email", "Enter a valid email address."),
        )
        .one(
            "Unauthorized",
            "No token, or one that is invalid, expired or of an ended session.",
            ApiError::of(ErrorKind::InvalidToken),
        )
        .one(
            "NotFound",
            "No such object, or not the caller's.",
            ApiError::of(ErrorKind::NotFound),
        )
        .one(
            "Conflict",
            "Another write changed it meanwhile; try again.",
            ApiError::problem(Problem::ConcurrentChange),
        )
        .one(
            "PayloadTooLarge",
            "The body is over 2 MiB.",
            ApiError::of(ErrorKind::PayloadTooLarge),
        )
        .one(
            "UnsupportedMediaType",
            "The body is not JSON.",
            ApiError::problem(Problem::NotJson),
        )
        .one(
            "TooManyRequests",
            "Throttled (100 requests per 15 minutes per IP; 5 logins or registrations).",
            ApiError::of(ErrorKind::RateLimited).retry_after(60),
        )
        .header("Retry-After", retry_after())
        .one(
            "ServiceUnavailable",
            "The store cannot be reached; try again.",
            ApiError::of(ErrorKind::Unavailable),
        )
        .header("Retry-After", retry_after())
}
