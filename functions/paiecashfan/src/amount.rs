//! Money on the wire: euros as a JSON number with at most two decimals (the document's
//! `89.99`), kept as integer cents inside. A string, a third decimal, zero or a negative
//! amount is refused, whatever else the request says.

use serde_json::Value;
use std::borrow::Cow;
use web::money::{MAX_WHOLE, Money};

/// Reads an amount field for [`web::validate::Fields`].
pub fn euros(value: &Value) -> Result<Money, Cow<'static, str>> {
    let Value::Number(number) = value else {
        return Err("doit être un nombre (en euros, comme 89.99)".into());
    };
    let money =
        Money::from_json(&Value::Number(number.clone())).map_err(|e| Cow::Owned(e.to_string()))?;
    if !money.is_positive() {
        return Err("doit être supérieur à zéro".into());
    }
    if money.minor() > MAX_WHOLE * 100 {
        return Err("le montant est hors limites".into());
    }
    Ok(money)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn an_amount_is_a_positive_number_of_cents() {
        assert_eq!(euros(&json!(89.99)).unwrap().minor(), 8999);
        assert_eq!(euros(&json!(100)).unwrap().minor(), 10_000);
        assert_eq!(euros(&json!(0.1)).unwrap().minor(), 10);
        for refused in [
            json!("89.99"),
            json!(1.234),
            json!(0),
            json!(-5),
            json!(null),
            json!(true),
            json!(1e300),
        ] {
            assert!(euros(&refused).is_err(), "{refused}");
        }
    }
}
