//! An application's text fields, as a multipart form sends them (activities as a JSON array,
//! coordinates as numbers in text), read in one step with every failing field said.

use serde_json::Value;
use std::borrow::Cow;
use web::ApiError;
use web::upload::Form;
use web::validate::{FRENCH, Fields};

const MAX_ACTIVITIES: usize = 10;

/// What an applicant says of its business.
#[derive(Debug, Clone, PartialEq)]
pub struct Business {
    pub business_name: String,
    pub description: String,
    pub location: String,
    pub address: Option<String>,
    pub whatsapp: Option<String>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    pub activities: Vec<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

// The fields of `POST /api/providers/apply` and `PUT /api/providers/my-application`.
#[derive(utoipa::ToSchema)]
#[schema(as = ProviderApplicationForm)]
#[allow(dead_code)] // described, never built: the form is read into `Business`
pub struct Described {
    #[schema(rename = "businessName", min_length = 2, max_length = 100, example = json!("Salon Marie Coiffure"))]
    business_name: String,
    #[schema(min_length = 10, max_length = 2000, example = json!("Salon de coiffure professionnel pour femmes"))]
    description: String,
    #[schema(min_length = 2, max_length = 100, example = json!("Yaoundé, Centre-ville"))]
    location: String,
    #[schema(max_length = 200, example = json!("Rue de la Paix, Quartier Bastos"))]
    address: Option<String>,
    #[schema(example = json!("+237 6 99 00 11 22"))]
    whatsapp: Option<String>,
    #[schema(example = json!("https://facebook.com/salonmarie"))]
    facebook: Option<String>,
    #[schema(example = json!("@salonmarie_cm"))]
    instagram: Option<String>,
    /// Un tableau JSON de 1 à 10 activités (`["coiffure", "maquillage"]`).
    #[schema(example = json!("[\"coiffure\", \"maquillage\", \"manucure\"]"))]
    activities: String,
    #[schema(minimum = -90, maximum = 90, example = json!(3.8667))]
    latitude: Option<f64>,
    #[schema(minimum = -180, maximum = 180, example = json!(11.5167))]
    longitude: Option<f64>,
    /// Les documents : fichiers JPEG, PNG, WebP ou PDF (selon leur contenu), 3 Mo chacun, 5 au plus.
    #[schema(format = Binary)]
    documents: Vec<String>,
    /// Le type de chaque document, dans leur ordre : un tableau JSON de `cni`, `business_license`, `photo` (sinon le premier est la CNI et les autres des photos).
    #[schema(rename = "documentTypes", example = json!("[\"cni\", \"business_license\", \"photo\"]"))]
    document_types: Option<String>,
}

fn text(min: usize, max: usize) -> impl Fn(&Value) -> Result<String, Cow<'static, str>> {
    move |value| {
        let text = value.as_str().map(str::trim).unwrap_or_default();
        let count = text.chars().count();
        if (min..=max).contains(&count) {
            Ok(text.to_owned())
        } else {
            Err(format!("doit contenir de {min} à {max} caractères").into())
        }
    }
}

fn phone(value: &Value) -> Result<String, Cow<'static, str>> {
    let text = value.as_str().map(str::trim).unwrap_or_default();
    let body = text.strip_prefix('+').unwrap_or(text);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if body.chars().all(|c| c.is_ascii_digit() || c == ' ') && (8..=15).contains(&digits) {
        Ok(text.to_owned())
    } else {
        Err("Numéro WhatsApp invalide".into())
    }
}

fn link(value: &Value) -> Result<String, Cow<'static, str>> {
    let text = value.as_str().map(str::trim).unwrap_or_default();
    let is_link = text.starts_with("https://") || text.starts_with("http://");
    if is_link && text.len() <= 200 && !text.chars().any(char::is_whitespace) {
        Ok(text.to_owned())
    } else {
        Err("doit être un lien http(s) de 200 caractères au plus".into())
    }
}

fn instagram(value: &Value) -> Result<String, Cow<'static, str>> {
    let text = value.as_str().map(str::trim).unwrap_or_default();
    let handle = text.strip_prefix('@').unwrap_or(text);
    let is_handle = (1..=30).contains(&handle.len())
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if is_handle || link(value).is_ok() {
        Ok(text.to_owned())
    } else {
        Err("doit être un compte (@nom) ou un lien".into())
    }
}

fn activities(value: &Value) -> Result<Vec<String>, Cow<'static, str>> {
    let message = || -> Cow<'static, str> {
        format!("activities doit être un tableau JSON de 1 à {MAX_ACTIVITIES} activités de 2 à 50 caractères").into()
    };
    let names: Vec<String> = value
        .as_str()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(message)?;
    let mut activities: Vec<String> = names
        .iter()
        .map(|name| name.trim().to_lowercase())
        .collect();
    activities.dedup();
    let fits = |a: &String| (2..=50).contains(&a.chars().count());
    if (1..=MAX_ACTIVITIES).contains(&activities.len()) && activities.iter().all(fits) {
        Ok(activities)
    } else {
        Err(message())
    }
}

fn coordinate(limit: f64) -> impl Fn(&Value) -> Result<f64, Cow<'static, str>> {
    move |value| {
        value
            .as_str()
            .and_then(|text| text.trim().parse::<f64>().ok())
            .filter(|n| n.is_finite() && n.abs() <= limit)
            .ok_or_else(|| format!("doit être un nombre de -{limit} à {limit}").into())
    }
}

impl TryFrom<&Form> for Business {
    type Error = ApiError;

    fn try_from(form: &Form) -> Result<Self, ApiError> {
        let body = form.text_body();
        let mut fields = Fields::new(&body, &FRENCH);
        let business_name = fields.required_with("businessName", text(2, 100));
        let description = fields.required_with("description", text(10, 2000));
        let location = fields.required_with("location", text(2, 100));
        let address = fields.optional_with("address", text(1, 200));
        let whatsapp = fields.optional_with("whatsapp", phone);
        let facebook = fields.optional_with("facebook", link);
        let instagram = fields.optional_with("instagram", instagram);
        let activities = fields.required_with("activities", activities);
        let latitude = fields.optional_with("latitude", coordinate(90.0));
        let longitude = fields.optional_with("longitude", coordinate(180.0));
        if latitude.is_some() != longitude.is_some() {
            fields.refuse("latitude", "latitude et longitude vont ensemble");
        }
        match (business_name, description, location, activities) {
            (Some(business_name), Some(description), Some(location), Some(activities)) => {
                fields.finish()?;
                Ok(Business {
                    business_name,
                    description,
                    location,
                    address,
                    whatsapp,
                    facebook,
                    instagram,
                    activities,
                    latitude,
                    longitude,
                })
            }
            _ => Err(fields.into_error()),
        }
    }
}
