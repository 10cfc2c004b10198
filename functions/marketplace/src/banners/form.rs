//! A banner's text fields, as a multipart form sends them (booleans and numbers in text,
//! dates as `YYYY-MM-DD` or full timestamps), read in one step with every failing field said.
//! On creation a blank field is absent; on a change, a blank optional field is cleared.

use super::{Banner, Slot};
use serde_json::{Map, Value};
use std::borrow::Cow;
use web::ApiError;
use web::upload::Form;
use web::validate::{Choice, FRENCH, Fields};

/// The highest `order`.
const MAX_ORDER: u32 = 9999;

/// What a form changes of a banner: `None` leaves a field as it is; for an optional field,
/// `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct Changes {
    title: Option<String>,
    description: Option<Option<String>>,
    link_url: Option<Option<String>>,
    slot: Option<Slot>,
    start_date: Option<Option<String>>,
    end_date: Option<Option<String>>,
    is_active: Option<bool>,
    order: Option<u32>,
}

// The fields of `POST /api/banners` and `PUT /api/banners/{id}`.
#[derive(utoipa::ToSchema)]
#[schema(as = BannerForm)]
#[allow(dead_code)] // described, never built: the form is read into `Changes`
pub struct Described {
    /// Obligatoire à la création (2 à 100 caractères).
    #[schema(min_length = 2, max_length = 100, example = json!("Promo de la Tabaski"))]
    title: Option<String>,
    #[schema(max_length = 500, example = json!("-20 % chez nos coiffeurs"))]
    description: Option<String>,
    /// L'image : JPEG, PNG ou WebP (selon son contenu), 3 Mo au plus ; obligatoire à la création. Une nouvelle image remplace l'ancienne, qui est supprimée.
    #[schema(rename = "bannerImage", format = Binary)]
    banner_image: Option<String>,
    /// URL de redirection au clic (http ou https).
    #[schema(rename = "linkUrl", max_length = 500, example = json!("https://marketplace.example.com/promo"))]
    link_url: Option<String>,
    /// Défaut : `main_home`.
    #[schema(rename = "type", value_type = Option<Slot>)]
    slot: Option<String>,
    /// Début de diffusion : `YYYY-MM-DD` (début du jour, UTC) ou date ISO 8601.
    #[schema(rename = "startDate", example = json!("2026-06-01"))]
    start_date: Option<String>,
    /// Fin de diffusion : `YYYY-MM-DD` (fin du jour, UTC) ou date ISO 8601.
    #[schema(rename = "endDate", example = json!("2026-06-30"))]
    end_date: Option<String>,
    /// `true` ou `false` ; défaut : `true`.
    #[schema(rename = "isActive", example = json!("true"))]
    is_active: Option<String>,
    /// Priorité d'affichage, de 0 (défaut, en premier) à 9999.
    #[schema(example = json!("0"))]
    order: Option<String>,
}

fn clearable(
    max: usize,
    check: fn(&str) -> bool,
    message: &'static str,
) -> impl Fn(&Value) -> Result<Option<String>, Cow<'static, str>> {
    move |value| match value.as_str().map(str::trim) {
        None => Ok(None),
        Some(text) if text.chars().count() <= max && check(text) => Ok(Some(text.to_owned())),
        Some(_) => Err(message.into()),
    }
}

fn is_link(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.chars().any(char::is_whitespace)
}

/// A date as `web::time` writes them; a plain day is its first millisecond, or its last
/// for an end.
fn date(end_of_day: bool) -> impl Fn(&Value) -> Result<Option<String>, Cow<'static, str>> {
    move |value| {
        let Some(text) = value.as_str().map(str::trim) else {
            return Ok(None);
        };
        let at = web::time::parse_date(text).ok_or_else(|| -> Cow<'static, str> {
            "doit être une date (YYYY-MM-DD ou ISO 8601)".into()
        })?;
        let is_day = !text.contains('T');
        let at = if is_day && end_of_day {
            at + chrono::Duration::days(1) - chrono::Duration::milliseconds(1)
        } else {
            at
        };
        Ok(Some(web::time::format(at)))
    }
}

impl Changes {
    /// Reads `form`; `creating` makes the title required and blank fields absent.
    pub fn read(form: &Form, creating: bool) -> Result<Changes, ApiError> {
        let body: Map<String, Value> = form
            .fields
            .iter()
            .map(|(name, text)| {
                let value = if text.trim().is_empty() {
                    Value::Null
                } else {
                    Value::String(text.clone())
                };
                (name.clone(), value)
            })
            .filter(|(_, value)| !(creating && value.is_null()))
            .collect();
        let mut fields = Fields::new(&body, &FRENCH);
        let title = |value: &Value| match value.as_str().map(str::trim) {
            Some(text) if (2..=100).contains(&text.chars().count()) => Ok(text.to_owned()),
            _ => Err(Cow::Borrowed("title doit contenir de 2 à 100 caractères")),
        };
        let title = if creating {
            fields.required_with("title", title)
        } else {
            fields.if_present_with("title", title)
        };
        let changes = Changes {
            title,
            description: fields.if_present_with(
                "description",
                clearable(500, |_| true, "description contient 500 caractères au plus"),
            ),
            link_url: fields.if_present_with(
                "linkUrl",
                clearable(500, is_link, "linkUrl doit être un lien http(s)"),
            ),
            slot: fields.optional_with("type", |value| {
                value.as_str().and_then(Slot::parse).ok_or_else(|| {
                    format!("type doit être l'un de : {}", Slot::NAMES.join(", ")).into()
                })
            }),
            start_date: fields.if_present_with("startDate", date(false)),
            end_date: fields.if_present_with("endDate", date(true)),
            is_active: fields.optional_with("isActive", |value| match value.as_str() {
                Some("true") => Ok(true),
                Some("false") => Ok(false),
                _ => Err("isActive doit être true ou false".into()),
            }),
            order: fields.optional_with("order", |value| {
                value
                    .as_str()
                    .and_then(|text| text.trim().parse::<u32>().ok())
                    .filter(|order| *order <= MAX_ORDER)
                    .ok_or_else(|| format!("order doit être un entier de 0 à {MAX_ORDER}").into())
            }),
        };
        fields.finish()?;
        Ok(changes)
    }

    /// A new banner of these fields.
    pub fn banner(self, id: String, image_key: String, admin: String, now: &str) -> Banner {
        let mut banner = Banner {
            id,
            title: String::new(),
            description: None,
            image_key,
            link_url: None,
            slot: Slot::MainHome.as_str().to_owned(),
            start_date: None,
            end_date: None,
            is_active: true,
            order: 0,
            created_by: admin,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
        };
        self.apply(&mut banner);
        banner
    }

    /// Writes these changes on `banner`.
    pub fn apply(self, banner: &mut Banner) {
        if let Some(title) = self.title {
            banner.title = title;
        }
        if let Some(description) = self.description {
            banner.description = description;
        }
        if let Some(link_url) = self.link_url {
            banner.link_url = link_url;
        }
        if let Some(slot) = self.slot {
            banner.slot = slot.as_str().to_owned();
        }
        if let Some(start_date) = self.start_date {
            banner.start_date = start_date;
        }
        if let Some(end_date) = self.end_date {
            banner.end_date = end_date;
        }
        if let Some(is_active) = self.is_active {
            banner.is_active = is_active;
        }
        if let Some(order) = self.order {
            banner.order = order;
        }
    }
}

/// Refuses a banner whose diffusion ends before it starts.
pub fn dates_in_order(banner: &Banner) -> Result<(), ApiError> {
    match (&banner.start_date, &banner.end_date) {
        (Some(start), Some(end)) if end < start => {
            Err(ApiError::field("endDate", "endDate doit suivre startDate"))
        }
        _ => Ok(()),
    }
}
