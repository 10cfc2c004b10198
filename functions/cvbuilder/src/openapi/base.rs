//! What CV Builder's document says before its routes: its introduction (`intro.md`), its
//! tags, and the refusals every route may answer, as its error style answers them.

use super::schemas::Error;
use crate::ERROR_STYLE;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApiBuilder, ServerBuilder};
use web::error::{ApiError, ErrorKind, Problem};
use web::routes::{DocBase, Refusals};

/// CV Builder's document before its routes.
pub fn base() -> DocBase {
    let info = InfoBuilder::new()
        .title("CV Builder API")
        .version("1.0.0")
        .description(Some(include_str!("intro.md")));
    let bearer = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .bearer_format("JWT")
        .description(Some(
            "`Authorization: Bearer <access>`, the access token of `/api/auth/login/` or \
             `/api/auth/refresh/`.",
        ));
    let components = ComponentsBuilder::new()
        .security_scheme("bearerAuth", SecurityScheme::Http(bearer.build()))
        .schema_from::<Error>();
    let components = refusals().into_components(components);
    let tags = ["Auth", "Templates", "Resumes", "Payments"]
        .map(|name| TagBuilder::new().name(name).build());
    DocBase {
        openapi: OpenApiBuilder::new()
            .info(info)
            .servers(Some([ServerBuilder::new().url("/").build()]))
            .tags(Some(tags))
            .components(Some(components.build()))
            .build(),
        parameters: Vec::new(),
        headers: Vec::new(),
    }
}

fn refusals() -> Refusals {
    // Throttled and unavailable answers say when to come back.
    let retry_after = || {
        let seconds = ObjectBuilder::new().schema_type(Type::Integer);
        HeaderBuilder::new().schema(seconds).build()
    };
    Refusals::new(ERROR_STYLE, "Error")
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
