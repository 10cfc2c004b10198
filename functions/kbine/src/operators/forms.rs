//! The bodies of operator creation and update, read once into typed commands that are also
//! what the OpenAPI document describes. Kbine says the first failing field in the
//! document's words; `null` counts as absent.

use crate::plans::fields::hidden;
use serde_json::{Map, Value};
use std::borrow::Cow;
use web::ApiError;
use web::validate::{self, Fields};

const MAX_NAME: usize = 100;
const MAX_CODE: usize = 30;
const MAX_PREFIXES: usize = 20;

type Parsed<T> = Result<T, Cow<'static, str>>;

fn text(field: &'static str, max: usize) -> impl Fn(&Value) -> Parsed<String> {
    move |value| match value {
        Value::String(s) if web::text::hides_or_reorders(s) => Err(hidden(field)),
        Value::String(s) if !s.trim().is_empty() && s.trim().chars().count() <= max => {
            Ok(s.trim().to_string())
        }
        _ => Err(Cow::Owned(format!(
            "{field} doit être une chaîne non vide de {max} caractères au plus"
        ))),
    }
}

fn name(value: &Value) -> Parsed<String> {
    text("name", MAX_NAME)(value)
}

fn code(value: &Value) -> Parsed<String> {
    text("code", MAX_CODE)(value).map(|code| code.to_uppercase())
}

/// Two-digit prefixes, duplicates dropped, in the order sent.
fn prefixes(value: &Value) -> Parsed<Vec<String>> {
    const INVALID: &str = "prefixes doit être une liste non vide de préfixes de 2 chiffres";
    let Value::Array(items) = value else {
        return Err(INVALID.into());
    };
    if items.is_empty() || items.len() > MAX_PREFIXES {
        return Err(INVALID.into());
    }
    let mut prefixes: Vec<String> = Vec::new();
    for item in items {
        match item.as_str() {
            Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                if !prefixes.iter().any(|known| known == p) {
                    prefixes.push(p.to_string());
                }
            }
            _ => return Err(INVALID.into()),
        }
    }
    Ok(prefixes)
}

// A new operator. (Plain comments on these types: a doc comment would become a description
// in the French document.)
#[derive(Debug, PartialEq, utoipa::ToSchema)]
#[schema(example = json!({"name": "Telecel", "code": "TELECEL", "prefixes": ["09"]}))]
pub struct OperatorCreate {
    /// Nom (1 à 100 caractères, espaces de bord retirés).
    #[schema(example = json!("Telecel"), min_length = 1, max_length = 100)]
    pub name: String,
    /// Code unique (1 à 30 caractères), mis en majuscules.
    #[schema(example = json!("TELECEL"), min_length = 1, max_length = 30)]
    pub code: String,
    /// Préfixes de 2 chiffres des numéros de l'opérateur (les doublons sont ignorés).
    #[schema(value_type = Vec<crate::openapi::schemas::Prefix>, inline, example = json!(["07"]), min_items = 1, max_items = 20)]
    pub prefixes: Vec<String>,
}

impl TryFrom<&Map<String, Value>> for OperatorCreate {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        let name = fields.required_with("name", name);
        let code = fields.required_with("code", code);
        let prefixes = fields.required_with("prefixes", prefixes);
        let (Some(name), Some(code), Some(prefixes)) = (name, code, prefixes) else {
            return Err(fields.into_error());
        };
        Ok(OperatorCreate {
            name,
            code,
            prefixes,
        })
    }
}

// An operator's changes: a field left out (or `null`) is unchanged.
#[derive(Debug, PartialEq, utoipa::ToSchema)]
#[schema(description = "Champs à modifier ; un champ absent ou `null` est inchangé.", example = json!({"name": "Orange Côte d'Ivoire", "prefixes": ["07", "17"]}))]
pub struct OperatorUpdate {
    /// Nom (1 à 100 caractères, espaces de bord retirés).
    #[schema(example = json!("Telecel"), min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// Code unique (1 à 30 caractères), mis en majuscules.
    #[schema(example = json!("TELECEL"), min_length = 1, max_length = 30)]
    pub code: Option<String>,
    /// Préfixes de 2 chiffres des numéros de l'opérateur (les doublons sont ignorés).
    #[schema(value_type = Option<Vec<crate::openapi::schemas::Prefix>>, inline, example = json!(["07"]), min_items = 1, max_items = 20)]
    pub prefixes: Option<Vec<String>>,
}

impl TryFrom<&Map<String, Value>> for OperatorUpdate {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        // Checked in the order Kbine has always said them: a body with several bad fields
        // is answered about the same one as before.
        let name = fields.optional_with("name", name);
        let prefixes = fields.optional_with("prefixes", prefixes);
        let code = fields.optional_with("code", code);
        fields.finish()?;
        Ok(OperatorUpdate {
            name,
            code,
            prefixes,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;
    use web::error::ErrorStyle;
    use web::error::styles::ErrorDetails;

    fn read<T: for<'a> TryFrom<&'a Map<String, Value>, Error = ApiError>>(
        body: Value,
    ) -> Result<T, Value> {
        T::try_from(body.as_object().unwrap()).map_err(|e| ErrorDetails.render(&e).1)
    }

    fn refused(details: &str) -> Value {
        json!({"error": "Données invalides", "details": details})
    }

    #[test]
    fn a_new_operator_is_trimmed_upper_cased_and_deduplicated() {
        let created: OperatorCreate =
            read(json!({"name": " Telecel ", "code": "telecel", "prefixes": ["09", "09", "19"]}))
                .unwrap();
        assert_eq!(
            created,
            OperatorCreate {
                name: "Telecel".into(),
                code: "TELECEL".into(),
                prefixes: vec!["09".into(), "19".into()],
            }
        );
    }

    #[test]
    fn the_first_failing_field_is_said_in_kbine_s_words() {
        for (body, details) in [
            (json!({}), "name est requis"),
            (
                json!({"name": "T", "code": null, "prefixes": ["09"]}),
                "code est requis",
            ),
            (
                json!({"name": 5, "code": "", "prefixes": []}),
                "name doit être une chaîne non vide de 100 caractères au plus",
            ),
            (
                json!({"name": "T\u{202E}", "code": "T", "prefixes": ["09"]}),
                "name ne doit contenir ni caractère de contrôle ni caractère de direction",
            ),
            (
                json!({"name": "T", "code": "T", "prefixes": ["9"]}),
                "prefixes doit être une liste non vide de préfixes de 2 chiffres",
            ),
        ] {
            assert_eq!(read::<OperatorCreate>(body).unwrap_err(), refused(details));
        }
    }

    #[test]
    fn an_update_changes_only_what_it_names_and_says_prefixes_before_code() {
        let update: OperatorUpdate = read(json!({"code": "mtn", "name": null})).unwrap();
        assert_eq!(
            update,
            OperatorUpdate {
                name: None,
                code: Some("MTN".into()),
                prefixes: None,
            }
        );
        assert_eq!(
            read::<OperatorUpdate>(json!({"code": "", "prefixes": "07"})).unwrap_err(),
            refused("prefixes doit être une liste non vide de préfixes de 2 chiffres")
        );
    }
}
