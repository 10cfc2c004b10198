//! The bodies of the workflow's writes, each read into a typed command in one step
//! (`web::extract::Command`), in Lumira's words.

use crate::orders::review::{self, Decision};
use crate::orders::status;
use serde_json::{Map, Value};
use web::validate::Choice;
use web::{ApiError, ApiResult};

fn text_field<'a>(body: &'a Map<String, Value>, name: &str) -> ApiResult<Option<&'a str>> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.as_str())),
        Some(_) => Err(ApiError::bad_request(format!("{name} must be a string"))),
    }
}

/// Where an admin moves an order.
#[derive(utoipa::ToSchema)]
#[schema(as = OrderStatusChange, example = json!({"status": "processing"}))]
pub(super) struct StatusMove {
    #[schema(rename = "status", value_type = crate::openapi::schemas::OrderState, inline)]
    pub to: &'static str,
}

impl TryFrom<&Map<String, Value>> for StatusMove {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        let to = text_field(body, "status")?
            .ok_or_else(|| ApiError::bad_request("status is required"))?;
        let to = status::parse(to).ok_or_else(|| {
            ApiError::bad_request(format!("status must be one of {}", status::ALL.join(", ")))
        })?;
        Ok(StatusMove { to })
    }
}

/// An expert's decision on a reading.
#[derive(utoipa::ToSchema)]
#[schema(as = ExpertReviewRequest, example = json!({"status": "approved", "notes": "Contenu excellent et bien structuré"}))]
pub(super) struct Review {
    #[schema(rename = "status", value_type = crate::openapi::schemas::ReviewStatus, inline)]
    pub decision: Decision,
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
    /// The reviewing expert (by default the caller).
    #[schema(rename = "expertId", pattern = "^[0-9a-f]{24}$")]
    pub expert_id: Option<String>,
}

impl TryFrom<&Map<String, Value>> for Review {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        let decision = text_field(body, "status")?
            .and_then(Decision::parse)
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "status must be one of {}",
                    Decision::names().join(", ")
                ))
            })?;
        let notes = text_field(body, "notes")?;
        if notes.is_some_and(|n| n.chars().count() > review::MAX_NOTES) {
            return Err(ApiError::bad_request(format!(
                "notes has at most {} characters",
                review::MAX_NOTES
            )));
        }
        let expert_id = text_field(body, "expertId")?;
        Ok(Review {
            decision,
            notes: notes.map(str::to_owned),
            expert_id: expert_id.map(str::to_owned),
        })
    }
}

/// The parts of a reading the back office writes, and the longest each may be.
const CONTENT_PARTS: &[(&str, usize)] = &[
    ("reading", 200_000),
    ("audioUrl", 2048),
    ("pdfUrl", 2048),
    ("mandalaSvg", 500_000),
    ("ritual", 50_000),
    ("blockagesAnalysis", 50_000),
    ("soulProfile", 50_000),
];

fn content_of(body: &Map<String, Value>) -> ApiResult<Map<String, Value>> {
    let Some(Value::Object(content)) = body.get("generatedContent") else {
        return Err(ApiError::bad_request("generatedContent must be an object"));
    };
    let mut checked = Map::new();
    for (name, value) in content {
        let Some((_, max)) = CONTENT_PARTS.iter().find(|(part, _)| part == name) else {
            let parts: Vec<&str> = CONTENT_PARTS.iter().map(|(p, _)| *p).collect();
            return Err(ApiError::bad_request(format!(
                "generatedContent.{name} is not a part of a reading ({})",
                parts.join(", ")
            )));
        };
        match value {
            Value::String(text) if text.chars().count() <= *max => {
                checked.insert(name.clone(), value.clone());
            }
            Value::Null => {}
            _ => {
                return Err(ApiError::bad_request(format!(
                    "generatedContent.{name} must be a string of at most {max} characters"
                )));
            }
        }
    }
    if checked.is_empty() {
        return Err(ApiError::bad_request("generatedContent is empty"));
    }
    Ok(checked)
}

/// The parts of a reading an admin writes, each a bounded string.
#[derive(utoipa::ToSchema)]
#[schema(as = ContentRequest, example = json!({"generatedContent": {"reading": "Votre profil astral indique...", "ritual": "Voici votre rituel personnalisé..."}}))]
pub(super) struct Content {
    #[schema(rename = "generatedContent", value_type = crate::openapi::schemas::GeneratedContent)]
    pub generated_content: Map<String, Value>,
}

impl TryFrom<&Map<String, Value>> for Content {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        content_of(body).map(|generated_content| Content { generated_content })
    }
}
