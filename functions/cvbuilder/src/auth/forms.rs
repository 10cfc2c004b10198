//! CV Builder's account bodies, each read in one step with every failing field at once, in
//! Django REST Framework's words (`web::extract::Command`), and Django's password rules.

use crate::forms;
use crate::role::Role;
use crate::users::NewUser;
use serde_json::{Map, Value};
use store::Update;
use web::password::Problem;
use web::validate::{DJANGO, Fields};
use web::{ApiError, ApiResult};

const MIN_PASSWORD_LEN: usize = 8;
const MAX_EMAIL_LEN: usize = web::validate::MAX_EMAIL_LEN;
const MAX_TOKEN_LEN: usize = 4096;
const MAX_NAME_LEN: usize = 150;
const MAX_PHONE_LEN: usize = 20;

/// Django's default password validators: what is wrong with `password` for an account of
/// `attributes` (username, first and last name, email), in Django's words.
pub(crate) fn password_problems(
    password: &str,
    attributes: &[(&'static str, &str)],
) -> Vec<String> {
    web::password::problems(password, MIN_PASSWORD_LEN, attributes)
        .into_iter()
        .map(|problem| match problem {
            Problem::TooShort { min } => {
                format!("This password is too short. It must contain at least {min} characters.")
            }
            Problem::TooCommon => "This password is too common.".into(),
            Problem::EntirelyNumeric => "This password is entirely numeric.".into(),
            Problem::TooSimilar { attribute } => {
                let name = match attribute {
                    "first_name" => "first name",
                    "last_name" => "last name",
                    "email" => "email address",
                    other => other,
                };
                format!("The password is too similar to the {name}.")
            }
        })
        .collect()
}

/// Longest password taken: argon2 hashes any length, but a megabyte of one is an attack.
const MAX_PASSWORD_LEN: usize = 4096;

/// A password as sent: any string, never trimmed.
pub(super) fn password(value: &Value) -> forms::FieldResult<String> {
    forms::raw(value, MAX_PASSWORD_LEN)
}

/// Django's `ASCIIUsernameValidator`: English letters, digits and `@.+-_`, at most 150.
fn username(value: &Value) -> forms::FieldResult<String> {
    let name = forms::raw(value, MAX_NAME_LEN)?;
    let valid = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "@.+-_".contains(c));
    if !valid {
        return Err("Enter a valid username. This value may contain only unaccented English letters, numbers, and @/./+/-/_ characters.".into());
    }
    Ok(name)
}

pub(super) fn new_user(body: &Map<String, Value>) -> ApiResult<NewUser> {
    let mut fields = Fields::new(body, &DJANGO);
    let username = fields.required_with("username", username);
    let email = fields.required_with("email", forms::email);
    let first = password_field(&mut fields, "password");
    let second = password_field(&mut fields, "password2");
    let first_name = fields.optional_with("first_name", |v| forms::name(v, MAX_NAME_LEN, true));
    let last_name = fields.optional_with("last_name", |v| forms::name(v, MAX_NAME_LEN, true));
    let phone = fields.optional_with("phone", |v| forms::optional_text(v, MAX_PHONE_LEN));
    if let (Some(first), Some(second)) = (&first, &second) {
        if first != second {
            fields.refuse("password2", "Passwords must match.");
        } else {
            let attributes = [
                ("username", username.as_deref().unwrap_or_default()),
                ("first_name", first_name.as_deref().unwrap_or_default()),
                ("last_name", last_name.as_deref().unwrap_or_default()),
                ("email", email.as_deref().unwrap_or_default()),
            ];
            for problem in password_problems(first, &attributes) {
                fields.refuse("password", problem);
            }
        }
    }
    let (Some(username), Some(email), Some(password), Some(_)) = (username, email, first, second)
    else {
        return Err(fields.into_error());
    };
    fields.finish()?;
    Ok(NewUser {
        username,
        email,
        password,
        first_name: first_name.unwrap_or_default(),
        last_name: last_name.unwrap_or_default(),
        phone: phone.flatten(),
        role: Role::User,
    })
}

fn password_field(fields: &mut Fields<'_>, name: &'static str) -> Option<String> {
    fields.required_with(name, password)
}

/// A sign-in: the account's email and its password.
#[derive(utoipa::ToSchema)]
#[schema(as = LoginRequest)]
pub(super) struct Credentials {
    #[schema(example = json!("john.doe@example.com"), min_length = 1, max_length = 254)]
    pub email: String,
    #[schema(format = Password, example = json!("SecurePass123!"), min_length = 1)]
    pub password: String,
}

impl TryFrom<&Map<String, Value>> for Credentials {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        let mut fields = Fields::new(body, &DJANGO);
        let email = fields.required_with("email", |v| forms::text(v, MAX_EMAIL_LEN, false));
        let password = fields.required_with("password", password);
        match (email, password) {
            (Some(email), Some(password)) => Ok(Credentials { email, password }),
            _ => Err(fields.into_error()),
        }
    }
}

/// SimpleJWT's refresh: the refresh token of a session.
#[derive(utoipa::ToSchema)]
#[schema(as = RefreshRequest)]
pub(super) struct RefreshToken {
    #[schema(min_length = 1, max_length = 4096)]
    pub refresh: String,
}

impl TryFrom<&Map<String, Value>> for RefreshToken {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        let mut fields = Fields::new(body, &DJANGO);
        match fields.required_with("refresh", |v| forms::raw(v, MAX_TOKEN_LEN)) {
            Some(refresh) => Ok(RefreshToken { refresh }),
            None => Err(fields.into_error()),
        }
    }
}

/// What a profile change sets: the names and phone sent (the rest is read-only, and ignored
/// as DRF does). A phone sent empty or `null` is cleared.
#[derive(utoipa::ToSchema)]
#[schema(as = ProfilePatch, description = "The other fields are read-only and ignored.")]
pub(super) struct ProfileChanges {
    #[schema(example = json!("Jean"), max_length = 150, nullable = false)]
    pub first_name: Option<String>,
    #[schema(max_length = 150, nullable = false)]
    pub last_name: Option<String>,
    #[schema(value_type = Option<String>, example = json!("+33687654321"), max_length = 20)]
    pub phone: Option<Option<String>>,
}

impl ProfileChanges {
    /// The update that sets what was sent.
    pub fn update(self) -> Update {
        let mut update = Update::new();
        for (name, value) in [
            ("first_name", self.first_name),
            ("last_name", self.last_name),
        ] {
            if let Some(value) = value {
                update = update.set(name, value);
            }
        }
        if let Some(phone) = self.phone {
            update = update.set("phone", phone);
        }
        update
    }
}

impl TryFrom<&Map<String, Value>> for ProfileChanges {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        let mut fields = Fields::new(body, &DJANGO);
        let name = |v: &Value| forms::name(v, MAX_NAME_LEN, true);
        let changes = ProfileChanges {
            first_name: fields.if_present_with("first_name", name),
            last_name: fields.if_present_with("last_name", name),
            phone: fields.if_present_with("phone", |v| forms::optional_text(v, MAX_PHONE_LEN)),
        };
        fields.finish()?;
        Ok(changes)
    }
}
