//! Reading a JSON object body field by field, every failing field recorded at once, in the
//! product's words: handlers turn a body into a typed command in one step
//! (`TryFrom<Map<String, Value>> for NewOrder`) and never inspect a `Value` themselves.
//!
//! ```ignore
//! let mut fields = Fields::new(&body, &validate::FRENCH);
//! let plan_id = fields.required_positive_int("plan_id");
//! let method = fields.required_choice::<PaymentMethod>("payment_method");
//! let (Some(plan_id), Some(method)) = (plan_id, method) else {
//!     return Err(fields.into_error());
//! };
//! ```

use crate::ApiError;
use crate::error::FieldErrors;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A product's words for what the shared readers refuse.
pub struct Messages {
    pub required: fn(&str) -> String,
    pub positive_int: fn(&str) -> String,
    pub string: fn(&str) -> String,
    pub choice: fn(&str, &[&str]) -> String,
}

/// Kbine's words (`"plan_id est requis"`).
pub const FRENCH: Messages = Messages {
    required: |field| format!("{field} est requis"),
    positive_int: |field| format!("{field} doit être un entier positif"),
    string: |field| format!("{field} doit être une chaîne de caractères"),
    choice: |field, choices| format!("{field} doit être {}", french_list(choices)),
};

/// Django REST Framework's words, which never name the field (the key does).
pub const DJANGO: Messages = Messages {
    required: |_| "This field is required.".into(),
    positive_int: |_| "A valid integer is required.".into(),
    string: |_| "Not a valid string.".into(),
    choice: |_, _| "This is not a valid choice.".into(),
};

/// The English of the Express products.
pub const ENGLISH: Messages = Messages {
    required: |field| format!("{field} is required"),
    positive_int: |field| format!("{field} must be a positive integer"),
    string: |field| format!("{field} must be a string"),
    choice: |field, choices| format!("{field} must be one of {}", choices.join(", ")),
};

/// `a, b ou c`.
fn french_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} ou {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Declares a [`Choice`]: a closed set of values named by strings, with each variant's
/// name once. It gives the enum (`Copy`, comparable, and `ToSchema` with each variant under
/// its name, so that the document says exactly the names the code reads and writes), its
/// `as_str` and `NAMES` (in declaration order: least trusted first, for roles) and its
/// [`Choice`] implementation.
///
/// ```
/// web::choice! {
///     /// How a client pays.
///     pub enum PaymentMethod {
///         Wave = "wave",
///         OrangeMoney = "orange_money",
///     }
/// }
/// assert_eq!(PaymentMethod::OrangeMoney.as_str(), "orange_money");
/// assert_eq!(PaymentMethod::NAMES, ["wave", "orange_money"]);
/// ```
#[macro_export]
macro_rules! choice {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ::utoipa::ToSchema)]
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* #[schema(rename = $text)] $variant),+
        }

        impl $name {
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Every value by name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];
        }

        impl $crate::validate::Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }
    };
}

/// A closed set of values named by strings (statuses, methods, roles); declared with
/// [`choice!`](crate::choice).
pub trait Choice: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == text)
    }

    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|c| c.as_str()).collect()
    }
}

/// An object body read field by field; `null` counts as absent.
pub struct Fields<'a> {
    body: &'a Map<String, Value>,
    messages: &'a Messages,
    errors: FieldErrors,
}

impl<'a> Fields<'a> {
    pub fn new(body: &'a Map<String, Value>, messages: &'a Messages) -> Self {
        Fields {
            body,
            messages,
            errors: FieldErrors::new(),
        }
    }

    /// The field's value, `null` counting as absent.
    pub fn value(&self, name: &str) -> Option<&'a Value> {
        self.body.get(name).filter(|v| !v.is_null())
    }

    fn present(&mut self, name: &'static str) -> Option<&'a Value> {
        let value = self.value(name);
        if value.is_none() {
            self.errors.add(name, (self.messages.required)(name));
        }
        value
    }

    /// A positive integer that must be there.
    pub fn required_positive_int(&mut self, name: &'static str) -> Option<i64> {
        let id = self.present(name)?.as_i64().filter(|id| *id > 0);
        if id.is_none() {
            self.errors.add(name, (self.messages.positive_int)(name));
        }
        id
    }

    /// A string that must be there.
    pub fn required_str(&mut self, name: &'static str) -> Option<&'a str> {
        let text = self.present(name)?.as_str();
        if text.is_none() {
            self.errors.add(name, (self.messages.string)(name));
        }
        text
    }

    /// One of `T`'s values, which must be there.
    pub fn required_choice<T: Choice>(&mut self, name: &'static str) -> Option<T> {
        let choice = self.present(name)?.as_str().and_then(T::parse);
        if choice.is_none() {
            self.errors
                .add(name, (self.messages.choice)(name, &T::names()));
        }
        choice
    }

    /// A field that must be there (`null` counts as absent), read by the product's parser,
    /// whose `Err` is the message.
    pub fn required_with<T>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(&'a Value) -> Result<T, Cow<'static, str>>,
    ) -> Option<T> {
        let value = self.present(name)?;
        self.record(name, parse(value))
    }

    /// A string that must be one `parse` knows; absent, not a string or unknown, it is
    /// refused under the product's own `title` (Kbine's `Statut invalide`).
    pub fn required_text_titled<T>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(&'a str) -> Option<T>,
        title: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Option<T> {
        let parsed = self.value(name).and_then(Value::as_str).and_then(parse);
        if parsed.is_none() {
            self.errors.add_titled(name, title, message);
        }
        parsed
    }

    /// A field that may be absent (`null` counts as absent), read by the product's parser.
    pub fn optional_with<T>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(&'a Value) -> Result<T, Cow<'static, str>>,
    ) -> Option<T> {
        let value = self.value(name)?;
        self.record(name, parse(value))
    }

    /// A field the body may leave out; when it is there, `null` included, the product's
    /// parser reads it (an update that may clear a field, or refuse `null`).
    pub fn if_present_with<T>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(&'a Value) -> Result<T, Cow<'static, str>>,
    ) -> Option<T> {
        let value = self.body.get(name)?;
        self.record(name, parse(value))
    }

    fn record<T>(&mut self, name: &'static str, parsed: Result<T, Cow<'static, str>>) -> Option<T> {
        self.errors.check(name, parsed)
    }

    /// `Ok` when no field failed, else the error naming every failing one.
    pub fn finish(self) -> Result<(), ApiError> {
        self.errors.into_result()
    }

    /// The value of a product's own parser, or `None` with its refusal recorded.
    pub fn check<T>(&mut self, name: &'static str, parsed: Result<T, ApiError>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.errors.add_error(name, &error);
                None
            }
        }
    }

    /// Records a refusal of the product's own: a check across fields (two passwords that
    /// differ), said on `name`.
    pub fn refuse(&mut self, name: &'static str, message: impl Into<Cow<'static, str>>) {
        self.errors.add(name, message);
    }

    /// Records a refusal of the product's own, titled as the product says it alone.
    pub fn refuse_titled(
        &mut self,
        name: &'static str,
        title: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) {
        self.errors.add_titled(name, title, message);
    }

    /// The error naming every failing field (what to return when a value is missing).
    pub fn into_error(self) -> ApiError {
        if self.errors.is_empty() {
            // A reader returned None without saying why: a bug of ours, never the client's.
            return ApiError::internal("a field reader refused without a message");
        }
        ApiError::fields(self.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorStyle;
    use serde_json::json;

    crate::choice! {
        enum Method {
            Wave = "wave",
            Orange = "orange_money",
        }
    }

    #[test]
    fn a_choice_is_named_once_for_the_code_and_the_document() {
        use utoipa::PartialSchema;
        assert_eq!(Method::NAMES, ["wave", "orange_money"]);
        assert_eq!(Method::parse("orange_money"), Some(Method::Orange));
        assert_eq!(Method::parse("Orange"), None);
        let schema = serde_json::to_value(Method::schema()).unwrap();
        assert_eq!(schema["enum"], json!(["wave", "orange_money"]));
    }

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn every_failing_field_is_recorded_in_order() {
        let body = object(json!({"plan_id": -1, "phone_number": 7, "method": "cash"}));
        let mut fields = Fields::new(&body, &DJANGO);
        assert_eq!(fields.required_positive_int("plan_id"), None);
        assert_eq!(fields.required_str("phone_number"), None);
        assert_eq!(fields.required_choice::<Method>("method"), None);
        assert_eq!(fields.required_str("missing"), None);
        let (_, rendered) = crate::error::styles::DjangoRest.render(&fields.into_error());
        assert_eq!(
            rendered,
            json!({"plan_id": ["A valid integer is required."],
                   "phone_number": ["Not a valid string."],
                   "method": ["This is not a valid choice."],
                   "missing": ["This field is required."]})
        );
    }

    #[test]
    fn values_come_through_and_null_is_absent() {
        let body = object(json!({"plan_id": 3, "method": "orange_money", "note": null}));
        let mut fields = Fields::new(&body, &FRENCH);
        assert_eq!(fields.required_positive_int("plan_id"), Some(3));
        assert_eq!(
            fields.required_choice::<Method>("method"),
            Some(Method::Orange)
        );
        assert_eq!(fields.value("note"), None);
        assert_eq!(fields.required_str("note"), None);
        let error = fields.into_error();
        assert_eq!(error.fields.first(), Some("note est requis"));
        assert_eq!(
            (FRENCH.choice)("method", &Method::names()),
            "method doit être wave ou orange_money"
        );
    }

    #[test]
    fn product_parsers_see_null_or_not_as_asked() {
        let body = object(json!({"a": null, "b": null, "c": "x"}));
        let mut fields = Fields::new(&body, &ENGLISH);
        let no_null = |v: &Value| {
            v.as_str()
                .map(str::to_string)
                .ok_or(Cow::Borrowed("not text"))
        };
        assert_eq!(fields.optional_with("a", no_null), None, "null is absent");
        assert_eq!(
            fields.if_present_with("b", |v| Ok::<_, Cow<'static, str>>(v.is_null())),
            Some(true)
        );
        assert_eq!(fields.if_present_with("zz", no_null), None);
        assert_eq!(fields.required_with("c", no_null), Some("x".into()));
        assert!(fields.finish().is_ok());
        let mut fields = Fields::new(&body, &ENGLISH);
        assert_eq!(fields.if_present_with("a", no_null), None);
        assert_eq!(fields.required_with("b", no_null), None);
        let error = fields.finish().unwrap_err();
        let said: Vec<_> = error
            .fields
            .iter()
            .map(|(f, m)| (f.to_string(), m[0].to_string()))
            .collect();
        assert_eq!(
            said,
            [
                ("a".into(), "not text".into()),
                ("b".into(), "b is required".into())
            ]
        );
    }

    #[test]
    fn a_products_parser_keeps_its_title_for_the_styles_that_say_one_error() {
        let body = object(json!({"phone": "12"}));
        let mut fields = Fields::new(&body, &FRENCH);
        let refused: Result<(), ApiError> =
            Err(ApiError::bad_request("Numéro de téléphone invalide")
                .with_details("Le numéro doit contenir exactement 10 chiffres"));
        assert_eq!(fields.check("phone", refused), None);
        let (status, body) = crate::error::styles::ErrorDetails.render(&fields.into_error());
        assert_eq!(status.as_u16(), 400);
        assert_eq!(
            body,
            json!({"error": "Numéro de téléphone invalide",
                   "details": "Le numéro doit contenir exactement 10 chiffres"})
        );
    }
}

/// The longest address SMTP carries (RFC 5321's path limit less its brackets).
pub const MAX_EMAIL_LEN: usize = 254;

/// An email address as accounts and orders keep it: trimmed, lower-cased, one `@` between a
/// local part and a dotted domain, no spaces or control characters. Deliverability is the
/// mail port's business; this only refuses what cannot be an address.
pub fn email(text: &str) -> Option<String> {
    let address = text.trim().to_lowercase();
    let (local, domain) = address.split_once('@')?;
    let plausible = address.len() <= MAX_EMAIL_LEN
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
        && !crate::text::hides_or_reorders(&address);
    plausible.then_some(address)
}

#[cfg(test)]
mod email_tests {
    use super::email;

    #[test]
    fn addresses_are_normalised_and_non_addresses_refused() {
        assert_eq!(
            email(" John.Doe@Example.com "),
            Some("john.doe@example.com".into())
        );
        for bad in [
            "",
            "john",
            "@example.com",
            "john@",
            "john@example",
            "a@b@c.com",
            "jo hn@example.com",
            "john@.com",
            "john@example.com.",
            "j\u{202e}@x.com",
        ] {
            assert_eq!(email(bad), None, "{bad:?}");
        }
        assert_eq!(email(&format!("{}@example.com", "a".repeat(250))), None);
    }
}
