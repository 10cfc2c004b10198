//! What the marketplace's document says before its routes: its introduction (`intro.md`), its
//! tags, and the refusals every route may answer, as its error style answers them.

use super::schemas::{DateTime, Error};
use crate::{ERROR_STYLE, GLOBAL_LIMIT_MESSAGE};
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ComponentsBuilder, Required};
use web::error::{ApiError, ErrorKind, Problem};
use web::routes::{DocBase, Heading, Refusals};

/// The marketplace's document before its routes.
pub fn base() -> DocBase {
    let heading = Heading {
        title: "Marketplace API",
        intro: include_str!("intro.md"),
        bearer: "Token d'accès reçu de `/api/auth/login` ou `/api/auth/refresh`.",
    };
    let components = ComponentsBuilder::new()
        .schema_from::<Error>()
        .schema_from::<DateTime>();
    let components = refusals().into_components(components);
    let tags = [
        "Authentification",
        "Prestataires",
        "Tableau de bord",
        "Utilisateurs",
        "Candidatures",
        "Prestataires (admin)",
        "Avis",
        "Contacts",
        "Favoris",
        "Services",
        "Sécurité",
        "Audit",
        "Bannières",
        "Paiements",
        "Exports",
    ]
    .map(|name| TagBuilder::new().name(name).build())
    .into();
    DocBase {
        parameters: vec![("Id", id())],
        headers: vec![("Retry-After", retry_after())],
        ..DocBase::new(heading, tags, components)
    }
}

/// A path's `id`: a UUID.
fn id() -> Parameter {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(
            "Identifiant (UUID ; toute autre valeur répond 400 « Identifiant invalide »).",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(UUID_PATTERN)),
        ))
        .example(Some("8c43c085-0088-4037-94f1-e30d841b01c5".into()))
        .build()
}

const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

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
    // Throttled and unavailable answers say when to come back.
    let retry_after = || {
        let seconds = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1));
        HeaderBuilder::new()
            .description(Some("Secondes à attendre avant de réessayer."))
            .schema(seconds)
            .build()
    };
    Refusals::new(ERROR_STYLE, "Error")
        .listener_limits(
            "URL de plus de 16 Kio (serveur local ; API Gateway répond lui-même au-delà de ses limites).",
            "En-têtes de plus de 32 Kio (serveur local).",
        )
        .one(
            "BadRequest",
            "Données invalides : chaque champ refusé, avec ses messages.",
            ApiError::field("email", "Email invalide"),
        )
        .one(
            "InvalidId",
            "Identifiant invalide (pas un UUID).",
            ApiError::problem(Problem::InvalidId),
        )
        .one(
            "Unauthorized",
            "Token absent, invalide, expiré ou d'une session close.",
            ApiError::of(ErrorKind::InvalidToken),
        )
        .one(
            "Forbidden",
            "Rôle insuffisant (pas admin), ou adresse IP bannie.",
            ApiError::of(ErrorKind::Forbidden),
        )
        .one(
            "Banned",
            "Adresse IP bannie (par un admin, ou après trop de connexions refusées).",
            ApiError::of(ErrorKind::Banned),
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
            "Limite de requêtes dépassée (100 par 15 minutes par IP ; 5 connexions).",
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
