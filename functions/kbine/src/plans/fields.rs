//! The body of a plan's create (every field) and update (any field), checked once into
//! [`PlanFields`]. A field present with `null` is read as such: `description` and
//! `validity_days` may be set to null, the other fields may not.

use super::PLAN_TYPES;
use serde_json::{Map, Value};
use std::borrow::Cow;
use web::ApiError;
use web::money::Money;
use web::validate::{self, Fields};

/// The fields a body sets, checked.
#[derive(Debug, Default, PartialEq)]
pub struct PlanFields {
    pub operator_id: Option<i64>,
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub price: Option<Money>,
    pub kind: Option<String>,
    pub validity_days: Option<Option<i64>>,
    pub active: Option<bool>,
}

type Parsed<T> = Result<T, Cow<'static, str>>;

fn operator_id(value: &Value) -> Parsed<i64> {
    value
        .as_i64()
        .filter(|id| *id > 0)
        .ok_or(Cow::Borrowed("operator_id doit être un entier positif"))
}

fn name(value: &Value) -> Parsed<String> {
    match value {
        Value::String(s) if web::text::hides_or_reorders(s) => Err(hidden("name")),
        Value::String(s) if !s.trim().is_empty() && s.chars().count() <= 150 => {
            Ok(s.trim().to_string())
        }
        _ => Err("name doit être une chaîne non vide de 150 caractères au plus".into()),
    }
}

/// Kbine's refusal of text that would hide or reorder what other clients are shown
/// (`web::text`): plans' and operators' names alike.
pub(crate) fn hidden(field: &str) -> Cow<'static, str> {
    format!("{field} ne doit contenir ni caractère de contrôle ni caractère de direction").into()
}

fn description(value: &Value) -> Parsed<Option<String>> {
    match value {
        Value::Null => Ok(None),
        // Line breaks are a description's own; the rest is refused as in a name.
        Value::String(s) if web::text::hides_or_reorders(&s.replace(['\n', '\r'], "")) => {
            Err(hidden("description"))
        }
        Value::String(s) if s.chars().count() <= 1000 => Ok(Some(s.clone())),
        _ => Err("description doit être une chaîne de 1000 caractères au plus".into()),
    }
}

fn price(value: &Value) -> Parsed<Money> {
    let price = Money::from_json(value).map_err(|e| Cow::Owned(format!("price: {e}")))?;
    if price.is_positive() {
        Ok(price)
    } else {
        Err("price doit être positif".into())
    }
}

fn kind(value: &Value) -> Parsed<String> {
    match value.as_str() {
        Some(k) if PLAN_TYPES.contains(&k) => Ok(k.to_string()),
        _ => Err("type doit être credit, minutes ou internet".into()),
    }
}

fn validity_days(value: &Value) -> Parsed<Option<i64>> {
    match value {
        Value::Null => Ok(None),
        v => match v.as_i64() {
            Some(days) if (1..=3650).contains(&days) => Ok(Some(days)),
            _ => Err("validity_days doit être un entier entre 1 et 3650, ou null".into()),
        },
    }
}

fn active(value: &Value) -> Parsed<bool> {
    value
        .as_bool()
        .ok_or(Cow::Borrowed("active doit être un booléen"))
}

impl TryFrom<&Map<String, Value>> for PlanFields {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        let plan = PlanFields {
            operator_id: fields.if_present_with("operator_id", operator_id),
            name: fields.if_present_with("name", name),
            description: fields.if_present_with("description", description),
            price: fields.if_present_with("price", price),
            kind: fields.if_present_with("type", kind),
            validity_days: fields.if_present_with("validity_days", validity_days),
            active: fields.if_present_with("active", active),
        };
        fields.finish()?;
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;
    use web::error::ErrorStyle;
    use web::error::styles::ErrorDetails;

    fn read(body: Value) -> Result<PlanFields, ApiError> {
        PlanFields::try_from(body.as_object().unwrap())
    }

    #[test]
    fn fields_are_read_and_null_clears_what_may_be_cleared() {
        let fields = read(
            json!({"name": " Pass ", "price": "1500", "type": "internet",
                                 "description": null, "validity_days": 30, "active": false}),
        )
        .unwrap();
        assert_eq!(fields.name.as_deref(), Some("Pass"));
        assert_eq!(fields.price, Some(Money::from_minor(150_000)));
        assert_eq!(fields.description, Some(None));
        assert_eq!(fields.validity_days, Some(Some(30)));
        assert_eq!((fields.operator_id, fields.active), (None, Some(false)));
        assert_eq!(read(json!({})).unwrap(), PlanFields::default());
    }

    #[test]
    fn the_first_failing_field_is_said_in_kbines_words() {
        for (body, details) in [
            (
                json!({"operator_id": null}),
                "operator_id doit être un entier positif",
            ),
            (
                json!({"name": "", "price": -1}),
                "name doit être une chaîne non vide de 150 caractères au plus",
            ),
            (json!({"price": 0}), "price doit être positif"),
            (
                json!({"type": "sms"}),
                "type doit être credit, minutes ou internet",
            ),
            (
                json!({"validity_days": 0}),
                "validity_days doit être un entier entre 1 et 3650, ou null",
            ),
            (json!({"active": "yes"}), "active doit être un booléen"),
        ] {
            let error = read(body.clone()).unwrap_err();
            assert_eq!(
                ErrorDetails.render(&error).1,
                json!({"error": "Données invalides", "details": details}),
                "{body}"
            );
        }
        let both = read(json!({"name": "", "price": -1})).unwrap_err();
        assert_eq!(both.fields.iter().count(), 2, "every failing field is kept");
    }
}
