//! Field errors, collected: validation goes on past the first bad field, so a client learns
//! of every one at once (Django REST Framework reports them all).

use super::ApiError;
use std::borrow::Cow;

/// Failing fields with their messages, in the order they were checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(
    Vec<(Cow<'static, str>, Vec<Cow<'static, str>>)>,
    /// The first failing field's own title, when the product words that error as one of its
    /// own (Kbine's "Numéro de téléphone invalide"); styles that say one error use it.
    Option<Cow<'static, str>>,
);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `message` to `field`'s messages.
    pub fn add(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) {
        let field = field.into();
        match self.0.iter_mut().find(|(name, _)| *name == field) {
            Some((_, messages)) => messages.push(message.into()),
            None => self.0.push((field, vec![message.into()])),
        }
    }

    /// Adds `message` to `field`'s messages, with the title the product gives this error
    /// when it is the only one said.
    pub fn add_titled(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        title: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) {
        if self.0.is_empty() {
            self.1 = Some(title.into());
        }
        self.add(field, message);
    }

    /// Adds what a product's parser refused with (`PhoneNumber::parse`): its message as the
    /// title and its details as the field's message.
    pub fn add_error(&mut self, field: impl Into<Cow<'static, str>>, error: &ApiError) {
        let message = match error.details.as_ref().and_then(|d| d.as_str()) {
            Some(details) => Cow::Owned(details.to_string()),
            None => error.message.clone().unwrap_or(Cow::Borrowed("invalid")),
        };
        match &error.message {
            Some(title) if error.details.is_some() => {
                self.add_titled(field, title.clone(), message)
            }
            _ => self.add(field, message),
        }
    }

    /// The first failing field's own title, if the product gave it one.
    pub fn first_title(&self) -> Option<&str> {
        self.1.as_deref()
    }

    /// The value of a check, or `None` with its error recorded.
    pub fn check<T>(
        &mut self,
        field: &'static str,
        result: Result<T, Cow<'static, str>>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[Cow<'static, str>])> {
        self.0
            .iter()
            .map(|(field, messages)| (field.as_ref(), messages.as_slice()))
    }

    /// The first message of the first failing field.
    pub fn first(&self) -> Option<&str> {
        self.0
            .first()
            .and_then(|(_, messages)| messages.first())
            .map(AsRef::as_ref)
    }

    /// `Ok(())` when nothing failed, else the error that names every failing field.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::fields(self))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_in_order_and_groups_by_field() {
        let mut errors = FieldErrors::new();
        errors.add("email", "Enter a valid email address.");
        errors.add("password", "This field is required.");
        errors.add("email", "Too long.");
        assert_eq!(errors.first(), Some("Enter a valid email address."));
        let fields: Vec<_> = errors.iter().map(|(f, m)| (f, m.len())).collect();
        assert_eq!(fields, [("email", 2), ("password", 1)]);
        assert!(errors.into_result().is_err());
        assert!(FieldErrors::new().into_result().is_ok());
    }

    #[test]
    fn check_keeps_the_value_or_the_message() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.check("a", Ok::<_, Cow<'static, str>>(1)), Some(1));
        assert_eq!(errors.check::<i32>("b", Err("bad".into())), None);
        assert_eq!(errors.first(), Some("bad"));
    }
}
