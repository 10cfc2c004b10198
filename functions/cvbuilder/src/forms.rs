//! Django REST Framework's serializer fields, in its own words: each reads one JSON value
//! for `web::validate::Fields` and says what DRF says when it refuses it.

use serde_json::Value;
use std::borrow::Cow;

pub type FieldResult<T> = Result<T, Cow<'static, str>>;

pub const REQUIRED: &str = "This field is required.";
const BLANK: &str = "This field may not be blank.";
const NOT_STRING: &str = "Not a valid string.";
const NULL: &str = "This field may not be null.";
const NUL: &str = "Null characters are not allowed.";

fn too_long(max: usize) -> Cow<'static, str> {
    Cow::Owned(format!(
        "Ensure this field has no more than {max} characters."
    ))
}

/// A `CharField`: a string, trimmed, at most `max` characters, blank only when
/// `allow_blank`. DRF would also take a number as its text; a client that sends one has a
/// bug this shows.
pub fn text(value: &Value, max: usize, allow_blank: bool) -> FieldResult<String> {
    let raw = match value {
        Value::String(s) => s,
        Value::Null => return Err(NULL.into()),
        _ => return Err(NOT_STRING.into()),
    };
    // Measured as sent, so the limit is the one the OpenAPI document states.
    if raw.chars().count() > max {
        return Err(too_long(max));
    }
    // Django's `ProhibitNullCharactersValidator`, on every CharField.
    if raw.contains('\0') {
        return Err(NUL.into());
    }
    let text = raw.trim();
    if text.is_empty() && !allow_blank {
        return Err(BLANK.into());
    }
    Ok(text.to_string())
}

/// A string exactly as sent (a password, a token, an address): never trimmed.
pub fn raw(value: &Value, max: usize) -> FieldResult<String> {
    match value {
        Value::String(s) if s.is_empty() => Err(BLANK.into()),
        Value::String(s) if s.chars().count() > max => Err(too_long(max)),
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(NULL.into()),
        _ => Err(NOT_STRING.into()),
    }
}

/// A person's name: [`text`] on one line, without control characters or characters that
/// reorder what is displayed (a name is shown to others, and printed on a PDF).
pub fn name(value: &Value, max: usize, allow_blank: bool) -> FieldResult<String> {
    let name = text(value, max, allow_blank)?;
    if web::text::hides_or_reorders(&name) {
        return Err("Enter a name without control characters.".into());
    }
    Ok(name)
}

/// A nullable `CharField`: `null` and blank are both "no value".
pub fn optional_text(value: &Value, max: usize) -> FieldResult<Option<String>> {
    if value.is_null() {
        return Ok(None);
    }
    let text = text(value, max, true)?;
    Ok(Some(text).filter(|t| !t.is_empty()))
}

/// An `EmailField`.
pub fn email(value: &Value) -> FieldResult<String> {
    let text = raw(value, web::validate::MAX_EMAIL_LEN)?;
    let invalid = || Cow::Borrowed("Enter a valid email address.");
    if text.trim() != text {
        return Err(invalid());
    }
    web::validate::email(&text).ok_or_else(invalid)
}

/// A `URLField` that may be left blank (`""`, as a cleared form field sends) or `null`: an
/// http or https address of a dotted host or `localhost` (as Django's `URLValidator`),
/// optional port, then any visible ASCII. The OpenAPI document states the same rule as a
/// pattern.
pub fn optional_url(value: &Value, max: usize) -> FieldResult<Option<String>> {
    if value.is_null() || value.as_str() == Some("") {
        return Ok(None);
    }
    let text = raw(value, max)?;
    if is_web_address(&text) {
        Ok(Some(text))
    } else {
        Err("Enter a valid URL.".into())
    }
}

fn is_web_address(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let dotted = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && host.rsplit_once('.').is_some_and(|(before, last)| {
            !before.is_empty() && !before.ends_with('.') && !last.is_empty()
        });
    let host_ok = dotted || host == "localhost";
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let tail_ok = tail.bytes().all(|b| (b'!'..=b'~').contains(&b));
    host_ok && port_ok && tail_ok
}

/// A `DateField` in the documented `YYYY-MM-DD`.
pub fn date(value: &Value) -> FieldResult<String> {
    let wrong = || "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.".into();
    let text = value.as_str().ok_or_else(wrong)?;
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| wrong())?;
    // Only the padded form (`2020-01-05`, never `2020-1-5`): RFC 3339's full-date.
    let padded = day.format("%Y-%m-%d").to_string();
    if padded != text {
        return Err(wrong());
    }
    Ok(padded)
}

/// A nullable `DateField`.
pub fn optional_date(value: &Value) -> FieldResult<Option<String>> {
    if value.is_null() {
        return Ok(None);
    }
    date(value).map(Some)
}

/// A `BooleanField`, as JSON writes one (DRF's form spellings, `"yes"` or `1`, are for
/// HTML forms, which this API does not take).
pub fn boolean(value: &Value) -> FieldResult<bool> {
    value
        .as_bool()
        .ok_or(Cow::Borrowed("Must be a valid boolean."))
}

/// A non-negative `IntegerField` (a position in a list).
pub fn position(value: &Value) -> FieldResult<i64> {
    match value.as_i64() {
        Some(n) if n < 0 => Err("Ensure this value is greater than or equal to 0.".into()),
        Some(n) if n > i64::from(i32::MAX) => {
            Err("Ensure this value is less than or equal to 2147483647.".into())
        }
        Some(n) => Ok(n),
        None => Err("A valid integer is required.".into()),
    }
}

/// A primary key of a related object, by number.
pub fn primary_key(value: &Value) -> FieldResult<i64> {
    if value.is_null() {
        return Err(NULL.into());
    }
    let Some(id) = value.as_i64() else {
        let kind = match value {
            Value::String(_) => "str",
            Value::Bool(_) => "bool",
            Value::Array(_) => "list",
            Value::Object(_) => "dict",
            _ => "float",
        };
        return Err(format!("Incorrect type. Expected pk value, received {kind}.").into());
    };
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn char_fields_trim_and_say_drfs_words() {
        assert_eq!(text(&json!("  Ana "), 10, false), Ok("Ana".into()));
        assert_eq!(text(&json!(12), 10, false), Err(NOT_STRING.into()));
        assert_eq!(text(&json!(" "), 10, false), Err(BLANK.into()));
        assert_eq!(text(&json!([]), 10, false), Err(NOT_STRING.into()));
        assert_eq!(
            text(&json!("abcdef"), 5, false),
            Err("Ensure this field has no more than 5 characters.".into())
        );
        assert_eq!(optional_text(&json!(""), 5), Ok(None));
        assert_eq!(
            text(&json!(" abcde"), 5, false),
            Err("Ensure this field has no more than 5 characters.".into())
        );
        assert_eq!(
            email(&json!(" a@b.co")),
            Err("Enter a valid email address.".into())
        );
        assert_eq!(optional_text(&Value::Null, 5), Ok(None));
    }

    #[test]
    fn dates_urls_booleans_and_keys() {
        assert_eq!(date(&json!("2020-01-15")), Ok("2020-01-15".into()));
        assert!(date(&json!("15/01/2020")).is_err());
        assert!(date(&json!("2020-02-30")).is_err());
        assert!(date(&json!("2020-1-5")).is_err());
        assert_eq!(optional_date(&Value::Null), Ok(None));
        assert_eq!(
            optional_url(&json!("https://github.com/ana"), 200),
            Ok(Some("https://github.com/ana".into()))
        );
        assert_eq!(
            optional_url(&json!("github"), 200),
            Err("Enter a valid URL.".into())
        );
        assert_eq!(optional_url(&json!(""), 200), Ok(None));
        // Django's URLValidator takes localhost (the document's own return addresses).
        assert!(optional_url(&json!("http://localhost:3000/x"), 200).is_ok());
        assert!(optional_url(&json!("http://intranet/x"), 200).is_err());
        assert!(optional_url(&json!("https://a.fr/x y"), 200).is_err());
        assert!(optional_url(&json!("https://a.fr:80/p?q=1#f"), 200).is_ok());
        assert_eq!(boolean(&json!(true)), Ok(true));
        assert!(boolean(&json!("true")).is_err());
        assert_eq!(primary_key(&json!(3)), Ok(3));
        assert_eq!(
            primary_key(&json!("x")),
            Err("Incorrect type. Expected pk value, received str.".into())
        );
        assert_eq!(
            primary_key(&json!("3")),
            Err("Incorrect type. Expected pk value, received str.".into())
        );
        assert_eq!(position(&json!(2)), Ok(2));
        assert!(position(&json!(-1)).is_err());
    }
}
