//! A résumé's nested lists. Experiences, education and skills are Django models of their own
//! (each entry has an `id`); `experience_data`, `education_data` and `skills_data` replace a
//! whole list, keeping the id of each entry that comes back unchanged (or names its own
//! `id`), and numbering the new ones. Languages, certifications, projects and custom sections
//! are JSON lists of objects, kept as sent.

use crate::forms::{self, FieldResult};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Cow;
use web::validate::{DJANGO, Fields};

const MAX_TEXT: usize = 200;
/// Longest description or free text of an entry.
const MAX_LONG_TEXT: usize = 5_000;
/// Most entries in one list: a résumé, not a database.
pub const MAX_ENTRIES: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Experience {
    pub id: i64,
    #[schema(max_length = 200)]
    pub company: String,
    #[schema(max_length = 200)]
    pub position: String,
    #[schema(max_length = 200, required = true)]
    pub location: Option<String>,
    #[schema(format = Date, example = json!("2020-01-15"))]
    pub start_date: String,
    #[schema(format = Date, example = json!("2020-01-15"), required = true)]
    pub end_date: Option<String>,
    pub is_current: bool,
    #[schema(max_length = 5000, required = true)]
    pub description: Option<String>,
    #[schema(minimum = 0, maximum = 2147483647)]
    pub order: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Education {
    pub id: i64,
    #[schema(max_length = 200)]
    pub institution: String,
    #[schema(max_length = 200)]
    pub degree: String,
    #[schema(max_length = 200, required = true)]
    pub field_of_study: Option<String>,
    #[schema(max_length = 200, required = true)]
    pub location: Option<String>,
    #[schema(format = Date, example = json!("2020-01-15"))]
    pub start_date: String,
    #[schema(format = Date, example = json!("2020-01-15"), required = true)]
    pub end_date: Option<String>,
    pub is_current: bool,
    #[schema(max_length = 200, required = true)]
    pub grade: Option<String>,
    #[schema(max_length = 5000, required = true)]
    pub description: Option<String>,
    #[schema(minimum = 0, maximum = 2147483647)]
    pub order: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Skill {
    pub id: i64,
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(value_type = crate::openapi::schemas::SkillLevel, inline)]
    pub level: String,
    #[schema(max_length = 200, required = true)]
    pub category: Option<String>,
    #[schema(minimum = 0, maximum = 2147483647)]
    pub order: i64,
}

/// The skill levels (`cvbuilder.md`, annex A).
pub const SKILL_LEVELS: &[&str] = &["beginner", "intermediate", "advanced", "expert"];

/// An entry of a list with ids, read from a request (its id, if it names one, is 0 if not).
pub trait Entry: Sized + Clone + PartialEq + Serialize {
    /// The counter its ids come from.
    const COUNTER: &'static str;
    fn read(fields: &mut Fields<'_>) -> Option<Self>;
    fn id(&self) -> i64;
    fn with_id(self, id: i64) -> Self;
}

fn text(v: &Value) -> FieldResult<String> {
    forms::text(v, MAX_TEXT, false)
}

fn optional(v: &Value) -> FieldResult<Option<String>> {
    forms::optional_text(v, MAX_TEXT)
}

fn long(v: &Value) -> FieldResult<Option<String>> {
    forms::optional_text(v, MAX_LONG_TEXT)
}

/// The id an entry names to keep (0: none). Like `order`, `is_current` and `level`, it may
/// be left out but not sent as `null`.
fn named_id(fields: &mut Fields<'_>) -> i64 {
    let id = |v: &Value| {
        v.as_i64()
            .ok_or(Cow::Borrowed("A valid integer is required."))
    };
    fields.if_present_with("id", id).unwrap_or(0)
}

fn order(fields: &mut Fields<'_>) -> i64 {
    fields
        .if_present_with("order", forms::position)
        .unwrap_or(0)
}

impl Entry for Experience {
    const COUNTER: &'static str = "experience";

    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let company = f.required_with("company", text);
        let position = f.required_with("position", text);
        let location = f.optional_with("location", optional).flatten();
        let start_date = f.required_with("start_date", forms::date);
        let end_date = f.optional_with("end_date", forms::optional_date).flatten();
        let is_current = f
            .if_present_with("is_current", forms::boolean)
            .unwrap_or(false);
        let description = f.optional_with("description", long).flatten();
        let order = order(f);
        let id = named_id(f);
        Some(Experience {
            id,
            company: company?,
            position: position?,
            location,
            start_date: start_date?,
            end_date,
            is_current,
            description,
            order,
        })
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn with_id(self, id: i64) -> Self {
        Experience { id, ..self }
    }
}

impl Entry for Education {
    const COUNTER: &'static str = "education";

    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let institution = f.required_with("institution", text);
        let degree = f.required_with("degree", text);
        let field_of_study = f.optional_with("field_of_study", optional).flatten();
        let location = f.optional_with("location", optional).flatten();
        let start_date = f.required_with("start_date", forms::date);
        let end_date = f.optional_with("end_date", forms::optional_date).flatten();
        let is_current = f
            .if_present_with("is_current", forms::boolean)
            .unwrap_or(false);
        let grade = f.optional_with("grade", optional).flatten();
        let description = f.optional_with("description", long).flatten();
        let order = order(f);
        let id = named_id(f);
        Some(Education {
            id,
            institution: institution?,
            degree: degree?,
            field_of_study,
            location,
            start_date: start_date?,
            end_date,
            is_current,
            grade,
            description,
            order,
        })
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn with_id(self, id: i64) -> Self {
        Education { id, ..self }
    }
}

fn skill_level(v: &Value) -> FieldResult<String> {
    match v.as_str() {
        Some(level) if SKILL_LEVELS.contains(&level) => Ok(level.to_string()),
        _ => Err(Cow::Owned(format!(
            "\"{}\" is not a valid choice.",
            v.as_str().map_or_else(|| v.to_string(), str::to_string)
        ))),
    }
}

impl Entry for Skill {
    const COUNTER: &'static str = "skill";

    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let name = f.required_with("name", text);
        let level = f
            .if_present_with("level", skill_level)
            .unwrap_or_else(|| "intermediate".into());
        let category = f.optional_with("category", optional).flatten();
        let order = order(f);
        let id = named_id(f);
        Some(Skill {
            id,
            name: name?,
            level,
            category,
            order,
        })
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn with_id(self, id: i64) -> Self {
        Skill { id, ..self }
    }
}

/// A list field's value, or DRF's error for it: a message, or one object per entry (`{}` for
/// a good one), as a `ListSerializer` answers.
pub type ListResult<T> = Result<Vec<T>, Value>;

fn as_list(value: &Value) -> Result<&Vec<Value>, Value> {
    match value {
        Value::Array(items) if items.len() <= MAX_ENTRIES => Ok(items),
        Value::Array(_) => Err(json!([format!(
            "Ensure this field has no more than {MAX_ENTRIES} elements."
        )])),
        other => Err(json!([format!(
            "Expected a list of items but got type \"{}\".",
            type_name(other)
        )])),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "dict",
        Value::String(_) => "str",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::Bool(_) => "bool",
        Value::Null => "NoneType",
        Value::Array(_) => "list",
    }
}

/// The entries of a list with ids, as sent (their ids not yet given).
pub fn read_entries<T: Entry>(value: &Value) -> ListResult<T> {
    let items = as_list(value)?;
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for item in items {
        let Value::Object(object) = item else {
            errors.push(json!({"non_field_errors": [format!(
                "Invalid data. Expected a dictionary, but got {}.", type_name(item)
            )]}));
            continue;
        };
        let mut fields = Fields::new(object, &DJANGO);
        let entry = T::read(&mut fields);
        match (entry, fields.finish()) {
            (Some(entry), Ok(())) => {
                entries.push(entry);
                errors.push(json!({}));
            }
            (_, Err(error)) => errors.push(web::error::styles::fields_object(&error.fields)),
            (None, Ok(())) => errors.push(json!({})),
        }
    }
    if errors
        .iter()
        .any(|e| e.as_object().is_some_and(|o| !o.is_empty()))
    {
        return Err(Value::Array(errors));
    }
    Ok(entries)
}

/// A JSON list of objects (languages, certifications, projects, custom sections).
pub fn read_objects(value: &Value) -> ListResult<Value> {
    let items = as_list(value)?;
    for item in items {
        if !item.is_object() {
            return Err(json!([format!(
                "Expected a list of objects but got an item of type \"{}\".",
                type_name(item)
            )]));
        }
    }
    Ok(items.clone())
}

/// `sent` replacing `current`: an entry that names one of the current ids keeps it, as does
/// one equal to a current entry but for its id; the rest are new (`None` ids, numbered by
/// the caller). Each current id is kept at most once.
pub fn merge<T: Entry>(current: &[T], sent: Vec<T>) -> Vec<(Option<i64>, T)> {
    let mut free: Vec<&T> = current.iter().collect();
    let mut take = |wanted: &dyn Fn(&T) -> bool| {
        let index = free.iter().position(|c| wanted(c))?;
        Some(free.remove(index).id())
    };
    sent.into_iter()
        .map(|entry| {
            let named = entry.id();
            let kept = take(&|c: &T| named != 0 && c.id() == named)
                .or_else(|| take(&|c: &T| c.clone().with_id(0) == entry.clone().with_id(0)));
            (kept, entry)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill(id: i64, name: &str) -> Skill {
        Skill {
            id,
            name: name.into(),
            level: "expert".into(),
            category: None,
            order: 0,
        }
    }

    #[test]
    fn unchanged_entries_keep_their_ids_and_new_ones_have_none() {
        let current = [skill(1, "React"), skill(2, "Django")];
        let sent = vec![skill(0, "Django"), skill(0, "AWS"), skill(0, "React")];
        let merged: Vec<_> = merge(&current, sent)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(merged, [Some(2), None, Some(1)]);
    }

    #[test]
    fn a_named_id_is_kept_once_and_changed_in_place() {
        let current = [skill(7, "Rust")];
        let sent = vec![skill(7, "Rust 2024"), skill(7, "Go")];
        let merged: Vec<_> = merge(&current, sent)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(merged, [Some(7), None]);
    }

    #[test]
    fn each_bad_entry_is_reported_at_its_place() {
        let sent = json!([{"name": "Rust"}, {"level": "guru"}, 3]);
        let error = read_entries::<Skill>(&sent).unwrap_err();
        assert_eq!(
            error,
            json!([{}, {"name": ["This field is required."], "level": ["\"guru\" is not a valid choice."]},
                   {"non_field_errors": ["Invalid data. Expected a dictionary, but got int."]}])
        );
        assert_eq!(
            read_entries::<Skill>(&json!({"name": "x"})).unwrap_err(),
            json!(["Expected a list of items but got type \"dict\"."])
        );
    }
}
