//! The words of the styles that share a language: a title for each kind, and a title with
//! optional details for each problem a shared piece finds.

use crate::error::{ApiError, ErrorKind, Problem};
use std::borrow::Cow;

/// One language's words.
pub struct Words {
    pub kind: fn(ErrorKind) -> &'static str,
    pub problem: fn(&Problem) -> (Cow<'static, str>, Option<String>),
}

impl Words {
    /// The error's title: its own message, its problem's title, or its kind's.
    pub fn title(&self, error: &ApiError) -> Cow<'static, str> {
        if let Some(message) = &error.message {
            return message.clone();
        }
        match &error.problem {
            Some(problem) => (self.problem)(problem).0,
            None => Cow::Borrowed((self.kind)(error.kind)),
        }
    }

    /// What the problem adds to the title, if anything.
    pub fn problem_details(&self, error: &ApiError) -> Option<String> {
        error.problem.as_ref().and_then(|p| (self.problem)(p).1)
    }
}

pub const FRENCH: Words = Words {
    kind: french_kind,
    problem: french_problem,
};

pub const ENGLISH: Words = Words {
    kind: english_kind,
    problem: english_problem,
};

fn french_kind(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidBody | ErrorKind::InvalidFields => "Données invalides",
        ErrorKind::Rejected => "Requête invalide",
        ErrorKind::MissingToken => "Token d'accès requis",
        ErrorKind::InvalidToken => "Token invalide ou expiré",
        ErrorKind::Forbidden => "Accès non autorisé",
        ErrorKind::Banned => "Accès interdit : adresse IP bannie",
        ErrorKind::NotFound => "Ressource non trouvée",
        ErrorKind::Conflict => "Conflit avec l'état actuel de la ressource",
        ErrorKind::PayloadTooLarge => "Requête trop volumineuse",
        ErrorKind::RateLimited => "Trop de requêtes, veuillez réessayer plus tard",
        ErrorKind::Unavailable => "Service temporairement indisponible, veuillez réessayer",
        ErrorKind::MethodNotAllowed => "Méthode non autorisée",
        ErrorKind::UriTooLong => "URL trop longue",
        ErrorKind::HeadersTooLarge => "En-têtes de requête trop volumineux",
        ErrorKind::RequestTimeout => "Corps de requête trop lent à arriver",
        ErrorKind::Internal => "Erreur serveur",
    }
}

fn french_problem(problem: &Problem) -> (Cow<'static, str>, Option<String>) {
    let invalid = |details: String| (Cow::Borrowed("Données invalides"), Some(details));
    match problem {
        Problem::NotJson => invalid(
            "Le corps de la requête doit être du JSON (Content-Type: application/json)".into(),
        ),
        Problem::EmptyBody => invalid("Le corps de la requête est vide".into()),
        Problem::IncompleteJson { line, column } => {
            invalid(format!("JSON incomplet (ligne {line}, colonne {column})"))
        }
        Problem::MalformedJson { line, column } => {
            invalid(format!("JSON malformé (ligne {line}, colonne {column})"))
        }
        Problem::NotAnObject => invalid("Le corps de la requête doit être un objet JSON".into()),
        Problem::WrongShape(reason) => invalid(format!("Type ou champ incorrect : {reason}")),
        Problem::UnreadableBody => invalid("Le corps de la requête n'a pas pu être lu".into()),
        Problem::InvalidQuery(reason) => (
            Cow::Borrowed("Paramètres de requête invalides"),
            Some(reason.clone()),
        ),
        Problem::InvalidPage { param, too_large } => (
            Cow::Borrowed("Paramètres de pagination invalides"),
            Some(if *too_large {
                format!("{param} trop grande")
            } else {
                format!("{param} doit être un entier positif")
            }),
        ),
        Problem::InvalidId => (Cow::Borrowed("Identifiant invalide"), None),
        Problem::InvalidCursor => (Cow::Borrowed("Curseur de pagination invalide"), None),
        Problem::ConcurrentChange => (
            Cow::Borrowed("La ressource a été modifiée par une autre requête, veuillez réessayer"),
            None,
        ),
        Problem::SessionExpired => (Cow::Borrowed("Session expirée ou invalide"), None),
        Problem::NoRoute => (Cow::Borrowed("Route non trouvée"), None),
        Problem::MethodNotAllowed { method } => (
            Cow::Borrowed("Méthode non autorisée"),
            Some(format!(
                "La méthode {method} n'est pas acceptée sur cette route"
            )),
        ),
        Problem::NotMultipart => {
            invalid("Le corps de la requête doit être un formulaire multipart/form-data".into())
        }
        Problem::UnsupportedFile { field } => (
            Cow::Borrowed("Fichier invalide"),
            Some(format!("{field} : type de fichier non accepté")),
        ),
        Problem::FileTooLarge { field, max_bytes } => (
            Cow::Borrowed("Fichier trop volumineux"),
            Some(format!(
                "{field} : {} Mo au plus",
                max_bytes / (1024 * 1024)
            )),
        ),
        Problem::InvalidIdempotencyKey => (
            Cow::Borrowed("Clé d'idempotence invalide"),
            Some(
                "L'en-tête Idempotency-Key doit compter de 1 à 255 caractères ASCII visibles"
                    .into(),
            ),
        ),
        Problem::IdempotencyKeyReused => (
            Cow::Borrowed("Clé d'idempotence déjà utilisée pour une autre requête"),
            Some("Une même clé Idempotency-Key doit accompagner le même corps".into()),
        ),
        Problem::InvalidSignature => (Cow::Borrowed("Signature du webhook invalide"), None),
        Problem::UnknownHost => (Cow::Borrowed("Hôte non servi"), None),
    }
}

fn english_kind(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidBody => "Invalid request body",
        ErrorKind::InvalidFields => "Validation failed",
        ErrorKind::Rejected => "Bad request",
        ErrorKind::MissingToken => "Access token required",
        ErrorKind::InvalidToken => "Invalid or expired token",
        ErrorKind::Forbidden => "Insufficient permissions",
        ErrorKind::Banned => "Access denied: this address is banned",
        ErrorKind::NotFound => "Not found",
        ErrorKind::Conflict => "Conflict with the current state of the resource",
        ErrorKind::PayloadTooLarge => "Payload too large",
        ErrorKind::RateLimited => "Too many requests, please try again later",
        ErrorKind::Unavailable => "Service temporarily unavailable, please try again",
        ErrorKind::MethodNotAllowed => "Method not allowed",
        ErrorKind::UriTooLong => "URI too long",
        ErrorKind::HeadersTooLarge => "Request headers too large",
        ErrorKind::RequestTimeout => "The request body took too long to arrive",
        ErrorKind::Internal => "Internal server error",
    }
}

fn english_problem(problem: &Problem) -> (Cow<'static, str>, Option<String>) {
    let invalid = |details: String| (Cow::Borrowed("Invalid request body"), Some(details));
    match problem {
        Problem::NotJson => invalid("Content-Type must be application/json".into()),
        Problem::EmptyBody => invalid("The request body is empty".into()),
        Problem::IncompleteJson { line, column } => invalid(format!(
            "Unexpected end of JSON input (line {line}, column {column})"
        )),
        Problem::MalformedJson { line, column } => {
            invalid(format!("Malformed JSON (line {line}, column {column})"))
        }
        Problem::NotAnObject => invalid("The request body must be a JSON object".into()),
        Problem::WrongShape(reason) => invalid(format!("Wrong type or field: {reason}")),
        Problem::UnreadableBody => invalid("The request body could not be read".into()),
        Problem::InvalidQuery(reason) => (
            Cow::Borrowed("Invalid query parameters"),
            Some(reason.clone()),
        ),
        Problem::InvalidPage { param, too_large } => (
            Cow::Borrowed("Invalid pagination parameters"),
            Some(if *too_large {
                format!("{param} is too large")
            } else {
                format!("{param} must be a positive integer")
            }),
        ),
        Problem::InvalidId => (Cow::Borrowed("Invalid id"), None),
        Problem::InvalidCursor => (Cow::Borrowed("Invalid pagination cursor"), None),
        Problem::ConcurrentChange => (
            Cow::Borrowed("The resource was changed by another request, please try again"),
            None,
        ),
        Problem::SessionExpired => (Cow::Borrowed("Session expired or invalid"), None),
        Problem::NoRoute => (Cow::Borrowed("Route not found"), None),
        Problem::MethodNotAllowed { method } => {
            (Cow::Owned(format!("Method {method} not allowed")), None)
        }
        Problem::NotMultipart => invalid("The request body must be multipart/form-data".into()),
        Problem::UnsupportedFile { field } => (
            Cow::Borrowed("Invalid file"),
            Some(format!("{field}: this type of file is not accepted")),
        ),
        Problem::FileTooLarge { field, max_bytes } => (
            Cow::Borrowed("File too large"),
            Some(format!("{field}: at most {} MB", max_bytes / (1024 * 1024))),
        ),
        Problem::InvalidIdempotencyKey => (
            Cow::Borrowed("Invalid Idempotency-Key header"),
            Some("It must be 1 to 255 visible ASCII characters".into()),
        ),
        Problem::IdempotencyKeyReused => (
            Cow::Borrowed("This Idempotency-Key was already used with another request body"),
            None,
        ),
        Problem::InvalidSignature => (Cow::Borrowed("Invalid webhook signature"), None),
        Problem::UnknownHost => (Cow::Borrowed("Host not served"), None),
    }
}
