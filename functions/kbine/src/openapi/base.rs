//! What Kbine's document says before its routes: its introduction (`intro.md`), its tags,
//! and the components every route refers to. The refusals' examples are what the error
//! style answers.

use super::schemas::{
    Amount, AmountInput, DateTime, Error, Message, OrderStatus, PaymentMethod, PaymentStatus,
    PhoneNumber, PlanType, Role,
};
use crate::{ERROR_STYLE, GLOBAL_LIMIT_MESSAGE};
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ComponentsBuilder, Required, Tag};
use web::error::{ApiError, ErrorKind, Problem};
use web::routes::{DocBase, Heading, Refusals};

/// Kbine's document before its routes.
pub fn base() -> DocBase {
    let heading = Heading {
        title: "Kbine API",
        intro: include_str!("intro.md"),
        bearer: "Token d'accès reçu de `/api/auth/login` ou `/api/auth/refresh`.",
    };
    let components = ComponentsBuilder::new()
        .schema_from::<Error>()
        .schema_from::<Message>()
        .schema_from::<DateTime>()
        .schema_from::<Amount>()
        .schema_from::<AmountInput>()
        .schema_from::<PhoneNumber>()
        .schema_from::<Role>()
        .schema_from::<PlanType>()
        .schema_from::<OrderStatus>()
        .schema_from::<PaymentMethod>()
        .schema_from::<PaymentStatus>();
    let components = refusals().into_components(components);
    DocBase {
        parameters: parameters(),
        headers: headers(),
        ..DocBase::new(heading, tags(), components)
    }
}

fn tags() -> Vec<Tag> {
    let tag = |name: &str| TagBuilder::new().name(name).build();
    vec![
        tag("Authentification"),
        tag("Utilisateurs"),
        tag("Opérateurs"),
        TagBuilder::new()
            .name("Plans")
            .description(Some("Plans / Forfaits"))
            .build(),
        tag("Commandes"),
        tag("Paiements"),
    ]
}

fn refusals() -> Refusals {
    Refusals::new(ERROR_STYLE, "Error")
        .listener_limits(
            "URL de plus de 16 Kio (serveur local ; API Gateway répond lui-même au-delà de ses limites).",
            "En-têtes de plus de 32 Kio (serveur local).",
        )
        .one(
            "BadRequest",
            "Données invalides (JSON malformé, type ou champ incorrect).",
            ApiError::bad_request("Données invalides").with_details("name est requis"),
        )
        .one(
            "InvalidId",
            "Identifiant invalide (pas un entier positif).",
            ApiError::problem(Problem::InvalidId),
        )
        .several(
            "Unauthorized",
            "Token manquant ou invalide.",
            vec![
                (
                    "Token d'accès requis",
                    ApiError::of(ErrorKind::MissingToken),
                ),
                (
                    "Token invalide ou expiré",
                    ApiError::of(ErrorKind::InvalidToken),
                ),
            ],
        )
        .one(
            "Forbidden",
            "Permissions insuffisantes.",
            ApiError::of(ErrorKind::Forbidden),
        )
        .one(
            "PayloadTooLarge",
            "Corps de requête de plus de 2 Mo.",
            ApiError::of(ErrorKind::PayloadTooLarge),
        )
        .one(
            "TooManyRequests",
            "Limite de requêtes dépassée (100 requêtes par 15 minutes par IP).",
            ApiError::new(ErrorKind::RateLimited, GLOBAL_LIMIT_MESSAGE).retry_after(120),
        )
        .header("Retry-After", Header::default())
        .one(
            "Conflict",
            "La ressource a été modifiée par une autre requête.",
            ApiError::problem(Problem::ConcurrentChange),
        )
        .one(
            "ServerError",
            "Erreur serveur.",
            ApiError::of(ErrorKind::Internal),
        )
        .one(
            "Unavailable",
            "Stockage momentanément indisponible ; la requête peut être réessayée.",
            ApiError::of(ErrorKind::Unavailable),
        )
}

fn parameters() -> Vec<(&'static str, Parameter)> {
    let id = ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(
            "Identifiant (entier positif ; toute autre valeur répond 400 « Identifiant \
             invalide »).",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(1)),
        ))
        .example(Some(1.into()));
    let page = ParameterBuilder::new()
        .name("page")
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some("Numéro de page (entier de 1 à 100000)."))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(web::pagination::MAX_PAGE))
                .default(Some(1.into())),
        ));
    let idempotency_key = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Clé choisie par le client (un UUID v4, par exemple) pour rejouer une création \
             sans la doubler : la même clé avec le même corps répond la première réponse \
             (en-tête `Idempotent-Replayed: true`), sans rien créer de plus ; la même clé avec \
             un autre corps répond 409. Une clé vaut pour un utilisateur et une route, et est \
             oubliée au bout de 24 heures.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255))
                .pattern(Some("^[!-~]+$")),
        ))
        .example(Some("5d3f7a0e-8c1b-4d2e-9f6a-2b7c9e1d4a30".into()));
    vec![
        ("Id", id.build()),
        ("Page", page.build()),
        ("IdempotencyKey", idempotency_key.build()),
    ]
}

fn headers() -> Vec<(&'static str, Header)> {
    let retry_after = HeaderBuilder::new()
        .description(Some("Secondes à attendre avant de réessayer."))
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1)),
        );
    let replayed = HeaderBuilder::new()
        .description(Some(
            "`true` quand la réponse est celle d'une requête antérieure de même clé \
             `Idempotency-Key`.",
        ))
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["true"])),
        );
    vec![
        ("Retry-After", retry_after.build()),
        ("Idempotent-Replayed", replayed.build()),
    ]
}
