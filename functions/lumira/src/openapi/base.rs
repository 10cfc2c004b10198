//! What Lumira's document says before its routes: its introduction (`intro.md`), its tags,
//! and the refusals every route may answer, as its error style answers them.

use super::schemas::Error;
use crate::{ERROR_STYLE, GLOBAL_LIMIT_MESSAGE};
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ComponentsBuilder, Tag};
use web::error::{ApiError, ErrorKind, Problem};
use web::routes::{DocBase, Heading, Refusals};

/// Lumira's document before its routes.
pub fn base() -> DocBase {
    let heading = Heading {
        title: "Oracle Lumira API",
        intro: include_str!("intro.md"),
        bearer: "An access token from `/api/auth/login`, `/api/expert/login` or \
                 `/api/auth/refresh`.",
    };
    let components = refusals().into_components(ComponentsBuilder::new().schema_from::<Error>());
    let retry_after = HeaderBuilder::new()
        .description(Some("Seconds before the client may try again."))
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1)),
        );
    DocBase {
        headers: vec![("Retry-After", retry_after.build())],
        ..DocBase::new(heading, tags(), components)
    }
}

fn tags() -> Vec<Tag> {
    [
        ("Monitoring", "Health and readiness."),
        (
            "Products",
            "The catalogue, payment intents and the products webhook.",
        ),
        ("Payments", "Payment confirmation and the payments webhook."),
        (
            "Auth",
            "Staff sign-in: admins and experts, by email and password.",
        ),
        ("Users", "The shop's clients, for admins."),
        (
            "Orders",
            "The back office's orders and their workflow, for admins.",
        ),
        ("Expert", "The expert desk."),
        ("Sanctuaire", "The client's own readings."),
    ]
    .into_iter()
    .map(|(name, about)| {
        TagBuilder::new()
            .name(name)
            .description(Some(about))
            .build()
    })
    .collect()
}

fn refusals() -> Refusals {
    Refusals::new(ERROR_STYLE, "Error")
        .listener_limits(
            "A request line over 16 KiB (the local server; API Gateway answers its own beyond its limits).",
            "Request headers over 32 KiB (the local server).",
        )
        .one(
            "TooManyRequests",
            "Rate limit exceeded (100 requests per 15 minutes per IP).",
            ApiError::new(ErrorKind::RateLimited, GLOBAL_LIMIT_MESSAGE),
        )
        .header("Retry-After", Header::default())
        .one(
            "BadRequest",
            "The body or a parameter is invalid; `details` names each failing field.",
            ApiError::field(
                "customerEmail",
                "customerEmail must be a valid email address",
            ),
        )
        .one(
            "OrderNotFound",
            "No order for this payment intent id.",
            crate::order_admin::order_not_found(),
        )
        .one(
            "PaymentsUnavailable",
            "No Stripe key is configured, or Stripe cannot be reached.",
            ApiError::new(ErrorKind::Unavailable, "Payments are not configured"),
        )
        .one(
            "InvalidSignature",
            "The Stripe-Signature header is missing, does not match the raw body, or is older \
             than 300 s; or the body is not an event.",
            ApiError::problem(Problem::InvalidSignature),
        )
        .one(
            "WebhooksUnavailable",
            "No webhook signing secret is configured.",
            ApiError::new(ErrorKind::Unavailable, "Webhooks are not configured"),
        )
        .one(
            "PayloadTooLarge",
            "The body is over 2 MiB.",
            ApiError::of(ErrorKind::PayloadTooLarge),
        )
        .several(
            "Unauthorized",
            "No token, or one that is invalid, expired or of an ended session.",
            vec![
                ("No token", ApiError::of(ErrorKind::MissingToken)),
                ("Bad token", ApiError::of(ErrorKind::InvalidToken)),
            ],
        )
        .one(
            "Forbidden",
            "The token's role may not call this route.",
            ApiError::of(ErrorKind::Forbidden),
        )
        .one(
            "InvalidId",
            "The id in the path is not an object id (24 hexadecimal digits).",
            ApiError::problem(Problem::InvalidId),
        )
        .one(
            "UserNotFound",
            "No client has this id.",
            crate::users::user_not_found(),
        )
        .one(
            "StaffOrderNotFound",
            "No order has this id.",
            crate::order_admin::order_not_found(),
        )
        .one(
            "Conflict",
            "The resource kept changing under this write.",
            ApiError::problem(Problem::ConcurrentChange),
        )
        .one(
            "ServiceUnavailable",
            "The store is unavailable.",
            ApiError::of(ErrorKind::Unavailable),
        )
}
