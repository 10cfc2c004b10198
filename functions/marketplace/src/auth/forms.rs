//! The bodies of registration and sign-in, read in one step with every failing field said.

use crate::role::Role;
use crate::users::{NewUser, User};
use serde_json::{Map, Value};
use std::borrow::Cow;
use web::ApiError;
use web::validate::{Choice, FRENCH, Fields};

/// Passwords: long enough to resist guessing, short enough to hash cheaply.
pub const MIN_PASSWORD_LEN: usize = 8;
const MAX_PASSWORD_LEN: usize = 128;
const MAX_NAME_LEN: usize = 100;

web::choice! {
    pub enum Gender {
        Male = "male",
        Female = "female",
    }
}

// `POST /api/auth/register`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "camelCase")]
#[schema(as = RegisterRequest, example = json!({"email": "marie.ndiaye@example.com", "password": "Un mot de passe solide", "firstName": "Marie", "lastName": "Ndiaye", "phoneNumber": "+237 6 99 00 11 22", "country": "Cameroun", "gender": "female"}))]
pub struct Registration {
    #[schema(format = Email)]
    email: String,
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    first_name: String,
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    last_name: String,
    #[schema(max_length = 30, pattern = "^\\+?[0-9 ]{6,30}$")]
    phone_number: Option<String>,
    #[schema(max_length = 100)]
    country: Option<String>,
    #[schema(value_type = Option<Gender>)]
    gender: Option<String>,
}

fn name(value: &Value) -> Result<String, Cow<'static, str>> {
    match value.as_str().map(str::trim) {
        Some("") | None => Err("doit être un texte non vide".into()),
        Some(text) if text.chars().count() > MAX_NAME_LEN => {
            Err(format!("doit contenir au plus {MAX_NAME_LEN} caractères").into())
        }
        Some(text) => Ok(text.to_owned()),
    }
}

fn phone(value: &Value) -> Result<String, Cow<'static, str>> {
    let text = value.as_str().map(str::trim).unwrap_or_default();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text
        .strip_prefix('+')
        .unwrap_or(text)
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ');
    if allowed && (6..=30).contains(&text.len()) && digits >= 6 {
        Ok(text.to_owned())
    } else {
        Err("Numéro de téléphone invalide".into())
    }
}

fn country(value: &Value) -> Result<String, Cow<'static, str>> {
    match value.as_str().map(str::trim) {
        Some(text) if !text.is_empty() && text.chars().count() <= MAX_NAME_LEN => {
            Ok(text.to_owned())
        }
        _ => Err("Pays invalide".into()),
    }
}

fn gender(value: &Value) -> Result<String, Cow<'static, str>> {
    value
        .as_str()
        .and_then(Gender::parse)
        .map(|g| g.as_str().to_owned())
        .ok_or_else(|| "gender doit être male ou female".into())
}

/// What the password rules say of `password`, in French.
pub fn password_problems(password: &str, attributes: &[(&'static str, &str)]) -> Vec<String> {
    web::password::problems_in_french(password, MIN_PASSWORD_LEN, MAX_PASSWORD_LEN, attributes)
}

impl TryFrom<&Map<String, Value>> for Registration {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let email = fields.required_with("email", |v| {
            v.as_str()
                .and_then(web::validate::email)
                .ok_or_else(|| "Email invalide".into())
        });
        let first_name = fields.required_with("firstName", name);
        let last_name = fields.required_with("lastName", name);
        let password = fields.required_str("password");
        let phone_number = fields.optional_with("phoneNumber", phone);
        let country = fields.optional_with("country", country);
        let gender = fields.optional_with("gender", gender);
        if let Some(password) = password {
            let attributes = [
                ("email", email.as_deref().unwrap_or_default()),
                ("firstName", first_name.as_deref().unwrap_or_default()),
                ("lastName", last_name.as_deref().unwrap_or_default()),
            ];
            for problem in password_problems(password, &attributes) {
                fields.refuse("password", problem);
            }
        }
        match (email, password, first_name, last_name) {
            (Some(email), Some(password), Some(first_name), Some(last_name)) => {
                fields.finish()?;
                Ok(Registration {
                    email,
                    password: password.to_owned(),
                    first_name,
                    last_name,
                    phone_number,
                    country,
                    gender,
                })
            }
            _ => Err(fields.into_error()),
        }
    }
}

impl Registration {
    /// The new client account, its password hashed (`password_hash`).
    pub fn into_user(self, password_hash: String, now: &str) -> User {
        NewUser {
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            phone_number: self.phone_number,
            country: self.country,
            gender: self.gender,
            role: Role::Client,
            password_hash,
        }
        .into_user(now)
    }
}

// `POST /api/auth/login`.
#[derive(utoipa::ToSchema)]
#[schema(as = LoginRequest, example = json!({"email": "admin@marketplace.local", "password": "Un mot de passe solide"}))]
pub struct Credentials {
    #[schema(format = Email)]
    pub email: String,
    #[schema(min_length = 1)]
    pub password: String,
}

impl TryFrom<&Map<String, Value>> for Credentials {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let (email, password) =
            web::auth::accounts::email_and_password(body, "Email et mot de passe requis")?;
        Ok(Credentials { email, password })
    }
}
