//! What PaieCashFan's document says before its routes: its introduction (`intro.md`), its
//! tags, and the refusals every route may answer, as its error style answers them.

use super::schemas::{DateTime, Error, ErrorBody};
use crate::{ERROR_STYLE, GLOBAL_LIMIT_MESSAGE};
use utoipa::openapi::ComponentsBuilder;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::tag::TagBuilder;
use web::error::{ApiError, ErrorKind, Problem};
use web::routes::{DocBase, Heading, Refusals};

/// PaieCashFan's document before its routes.
pub fn base() -> DocBase {
    let heading = Heading {
        title: "PaieCashFan API",
        intro: include_str!("intro.md"),
        bearer: "Token d'accès reçu de `/api/auth/login`, `/api/auth/register` ou `/api/auth/refresh`.",
    };
    let components = ComponentsBuilder::new()
        .schema_from::<Error>()
        .schema_from::<ErrorBody>()
        .schema_from::<DateTime>();
    let components = refusals().into_components(components);
    let tags = [
        "Auth", "Wallet", "eSIM", "Shop", "Tickets", "Social", "IA", "System",
    ]
    .map(|name| TagBuilder::new().name(name).build())
    .into();
    DocBase {
        headers: vec![("Retry-After", retry_after())],
        ..DocBase::new(heading, tags, components)
    }
}

/// Throttled and unavailable answers say when to come back.
fn retry_after() -> Header {
    let seconds = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1));
    HeaderBuilder::new()
        .description(Some("Secondes à attendre avant de réessayer."))
        .schema(seconds)
        .build()
}

fn refusals() -> Refusals {
    Refusals::new(ERROR_STYLE, "Error")
        .listener_limits(
            "URL de plus de 16 Kio (serveur local ; API Gateway répond lui-même au-delà de ses limites).",
            "En-têtes de plus de 32 Kio (serveur local).",
        )
        .one(
            "BadRequest",
            "Données invalides : chaque champ refusé, avec ses messages.",
            ApiError::field("amount", "doit être supérieur à zéro"),
        )
        .one(
            "Unauthorized",
            "Token absent, invalide, expiré ou d'une session close.",
            ApiError::of(ErrorKind::InvalidToken),
        )
        .one(
            "Forbidden",
            "Rôle insuffisant.",
            ApiError::of(ErrorKind::Forbidden),
        )
        .one(
            "Conflict",
            "Une autre requête l'a modifié entre-temps ; réessayez.",
            ApiError::problem(Problem::ConcurrentChange),
        )
        .one(
            "PayloadTooLarge",
            "Corps de plus de 2 Mo.",
            ApiError::of(ErrorKind::PayloadTooLarge),
        )
        .one(
            "TooManyRequests",
            "Limite de requêtes dépassée (par adresse IP ; les connexions ont la leur).",
            ApiError::new(ErrorKind::RateLimited, GLOBAL_LIMIT_MESSAGE).retry_after(60),
        )
        .header("Retry-After", retry_after())
        .one(
            "ServiceUnavailable",
            "Stockage momentanément indisponible ; réessayez.",
            ApiError::of(ErrorKind::Unavailable),
        )
        .header("Retry-After", retry_after())
}
