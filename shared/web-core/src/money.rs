//! Amounts are integer minor units inside (centimes), never binary floats, and are rendered as
//! JSON numbers with exactly two decimals (`1000.00`), as the documents show.
//!
//! The two decimals survive only when a struct holding `Money` is serialised straight to JSON
//! (as `axum::Json` does); going through `serde_json::Value` (`json!`) turns it into a float.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("le montant doit être un nombre")]
    NotANumber,
    #[error("le montant doit avoir au plus 2 décimales")]
    TooPrecise,
    #[error("le montant est hors limites")]
    OutOfRange,
}

/// Largest accepted amount, in whole units: one hundred billion, far above any real top-up
/// or payment.
pub const MAX_WHOLE: i64 = 100_000_000_000;
const MAX_MINOR: i64 = MAX_WHOLE * 100;

impl Money {
    pub const fn from_minor(minor: i64) -> Self {
        Money(minor)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Reads a decimal written in text (`"5000"`, `"5000.5"`, `"5000.50"`), exactly; nothing
    /// else, not even surrounding spaces, as the OpenAPI documents' pattern says.
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(frac) {
            return Err(MoneyError::NotANumber);
        }
        if frac.len() > 2 {
            // Trailing zeros beyond two decimals change nothing (`1.500`).
            if frac[2..].bytes().any(|b| b != b'0') {
                return Err(MoneyError::TooPrecise);
            }
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::OutOfRange)?;
        let cents = match frac.get(..2).unwrap_or(frac) {
            "" => 0,
            f if f.len() == 1 => f.parse::<i64>().map_err(|_| MoneyError::NotANumber)? * 10,
            f => f.parse::<i64>().map_err(|_| MoneyError::NotANumber)?,
        };
        let minor = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .filter(|m| *m <= MAX_MINOR)
            .ok_or(MoneyError::OutOfRange)?;
        Ok(Money(if negative { -minor } else { minor }))
    }

    /// Reads a JSON number or numeric string. A JSON number reaches us as `f64`; its shortest
    /// decimal form is what the client wrote (`5000.1` stays `5000.1`), so it is parsed as text.
    /// Very small or very large numbers print in exponent form (`5e-324`, `1e21`): they are
    /// written out in plain decimals first, so they are refused as too precise or out of range
    /// rather than as not a number.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, MoneyError> {
        match value {
            serde_json::Value::Number(n) => Money::parse(&plain_decimal(&n.to_string())?),
            serde_json::Value::String(s) => Money::parse(s),
            _ => Err(MoneyError::NotANumber),
        }
    }
}

/// `text` (a JSON number as serde_json prints it) without an exponent: `1.5e-3` → `0.0015`.
fn plain_decimal(text: &str) -> Result<String, MoneyError> {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return Ok(text.to_string());
    };
    let exponent: i32 = exponent.parse().map_err(|_| MoneyError::NotANumber)?;
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{frac}");
    // Where the decimal point falls in `digits`, counted from its start.
    let point =
        i64::try_from(whole.len()).map_err(|_| MoneyError::OutOfRange)? + i64::from(exponent);
    // f64 exponents stay within ±330: anything else was not printed by serde_json.
    if !(-400..=400).contains(&point) {
        return Err(MoneyError::OutOfRange);
    }
    let point = point as isize;
    let len = digits.len() as isize;
    Ok(if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat(point.unsigned_abs()))
    } else if point >= len {
        format!("{sign}{digits}{}", "0".repeat((point - len) as usize))
    } else {
        let (int, dec) = digits.split_at(point as usize);
        format!("{sign}{int}.{dec}")
    })
}

/// An amount as the documents describe it: a JSON number of at most two decimals.
impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .description(Some("An amount, with two decimals at most."))
            .into()
    }
}

impl utoipa::ToSchema for Money {
    fn name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Money::from_json(&value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_two_decimals_as_a_number() {
        #[derive(Serialize)]
        struct Body {
            amount: Money,
        }
        let body = serde_json::to_string(&Body {
            amount: Money::from_minor(100_000),
        })
        .unwrap();
        assert_eq!(body, r#"{"amount":1000.00}"#);
        assert_eq!(Money::from_minor(5).to_string(), "0.05");
        assert_eq!(Money::from_minor(-150).to_string(), "-1.50");
    }

    #[test]
    fn parses_exact_decimals() {
        assert_eq!(Money::parse("5000").unwrap().minor(), 500_000);
        assert_eq!(Money::parse("5000.5").unwrap().minor(), 500_050);
        assert_eq!(Money::parse("0.07").unwrap().minor(), 7);
        assert_eq!(Money::parse("1.500").unwrap().minor(), 150);
        assert_eq!(Money::from_json(&json!(5000.00)).unwrap().minor(), 500_000);
        assert_eq!(Money::from_json(&json!(0.1)).unwrap().minor(), 10);
        assert_eq!(Money::from_json(&json!("12.34")).unwrap().minor(), 1234);
        assert_eq!(plain_decimal("1.5e-3").unwrap(), "0.0015");
        assert_eq!(plain_decimal("-1.25e2").unwrap(), "-125");
        assert_eq!(plain_decimal("1.25e1").unwrap(), "12.5");
        assert_eq!(plain_decimal("1e21").unwrap(), "1000000000000000000000");
        assert_eq!(plain_decimal("1e10").unwrap(), "10000000000");
        assert_eq!(
            Money::from_json(&json!(1e10)).unwrap().minor(),
            1_000_000_000_000
        );
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooPrecise));
        assert_eq!(Money::parse("abc"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse(""), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse(" 12"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("+12"), Err(MoneyError::NotANumber));
        assert_eq!(Money::from_json(&json!(true)), Err(MoneyError::NotANumber));
        assert_eq!(
            Money::from_json(&json!(5e-324)),
            Err(MoneyError::TooPrecise)
        );
        assert_eq!(Money::from_json(&json!(1e21)), Err(MoneyError::OutOfRange));
        assert_eq!(
            Money::from_json(&json!(-1e300)),
            Err(MoneyError::OutOfRange)
        );
        assert_eq!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::OutOfRange)
        );
    }
}
