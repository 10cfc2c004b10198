//! A résumé's body, as `ResumeSerializer` reads it: on create `template`, `full_name` and
//! `email` are required; on a partial update only what is sent changes. Every failing
//! field, nested lists included, is reported at once.

use super::Resume;
use super::entries::{self, Education, Entry, Experience, ListResult, Skill, merge};
use crate::forms::{self, FieldResult};
use crate::templates;
use serde_json::{Map, Value};
use store::DynStore;
use web::validate::{DJANGO, Fields};
use web::{ApiError, ApiResult};

const MAX_TEXT: usize = 200;
const MAX_PHONE: usize = 20;
const MAX_SUMMARY: usize = 10_000;

/// What a request changes; `None` for what it does not send.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    template: Option<i64>,
    full_name: Option<String>,
    email: Option<String>,
    phone: Option<Option<String>>,
    address: Option<Option<String>>,
    website: Option<Option<String>>,
    linkedin_url: Option<Option<String>>,
    github_url: Option<Option<String>>,
    title: Option<Option<String>>,
    summary: Option<Option<String>>,
    experiences: Option<Vec<Experience>>,
    education: Option<Vec<Education>>,
    skills: Option<Vec<Skill>>,
    languages: Option<Vec<Value>>,
    certifications: Option<Vec<Value>>,
    projects: Option<Vec<Value>>,
    custom_sections: Option<Vec<Value>>,
}

fn template(value: &Value) -> FieldResult<i64> {
    let id = forms::primary_key(value)?;
    templates::find(id)
        .map(|t| t.id)
        .ok_or_else(|| format!("Invalid pk \"{id}\" - object does not exist.").into())
}

fn optional(max: usize) -> impl Fn(&Value) -> FieldResult<Option<String>> {
    move |v| forms::optional_text(v, max)
}

fn url(v: &Value) -> FieldResult<Option<String>> {
    forms::optional_url(v, MAX_TEXT)
}

/// A list field: its entries, or its errors kept for the answer.
fn list<T>(
    body: &Map<String, Value>,
    name: &'static str,
    read: fn(&Value) -> ListResult<T>,
    nested: &mut Map<String, Value>,
) -> Option<Vec<T>> {
    let value = body.get(name)?;
    if value.is_null() {
        nested.insert(
            name.into(),
            Value::from(vec!["This field may not be null."]),
        );
        return None;
    }
    match read(value) {
        Ok(items) => Some(items),
        Err(error) => {
            nested.insert(name.into(), error);
            None
        }
    }
}

/// A new résumé's body: its template, name and email required.
pub struct NewResume(pub Changes);

impl TryFrom<&Map<String, Value>> for NewResume {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        Changes::read(body, true).map(NewResume)
    }
}

/// An auto-save's body: only the fields sent change.
pub struct ResumePatch(pub Changes);

impl TryFrom<&Map<String, Value>> for ResumePatch {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        Changes::read(body, false).map(ResumePatch)
    }
}

impl Changes {
    /// Reads `body`; `creating` makes the three fields of a new résumé required.
    pub fn read(body: &Map<String, Value>, creating: bool) -> ApiResult<Changes> {
        let mut fields = Fields::new(body, &DJANGO);
        let name = |v: &Value| forms::name(v, MAX_TEXT, false);
        let (template, full_name, email) = if creating {
            (
                fields.required_with("template", template),
                fields.required_with("full_name", name),
                fields.required_with("email", forms::email),
            )
        } else {
            (
                fields.if_present_with("template", template),
                fields.if_present_with("full_name", name),
                fields.if_present_with("email", forms::email),
            )
        };
        let mut nested = Map::new();
        let changes = Changes {
            template,
            full_name,
            email,
            phone: fields.if_present_with("phone", optional(MAX_PHONE)),
            address: fields.if_present_with("address", optional(MAX_TEXT)),
            website: fields.if_present_with("website", url),
            linkedin_url: fields.if_present_with("linkedin_url", url),
            github_url: fields.if_present_with("github_url", url),
            title: fields.if_present_with("title", optional(MAX_TEXT)),
            summary: fields.if_present_with("summary", optional(MAX_SUMMARY)),
            experiences: list(body, "experience_data", entries::read_entries, &mut nested),
            education: list(body, "education_data", entries::read_entries, &mut nested),
            skills: list(body, "skills_data", entries::read_entries, &mut nested),
            languages: list(body, "languages_data", entries::read_objects, &mut nested),
            certifications: list(
                body,
                "certifications_data",
                entries::read_objects,
                &mut nested,
            ),
            projects: list(body, "projects_data", entries::read_objects, &mut nested),
            custom_sections: list(body, "custom_sections", entries::read_objects, &mut nested),
        };
        match fields.finish() {
            Ok(()) if nested.is_empty() => Ok(changes),
            Ok(()) => Err(ApiError::invalid(Value::Object(nested))),
            Err(error) if nested.is_empty() => Err(error),
            Err(error) => Err(error.with_details(Value::Object(nested))),
        }
    }

    /// An empty résumé made at `now`, before its id, owner and first changes are set.
    pub fn blank(now: &str) -> Resume {
        Resume {
            id: 0,
            session_id: None,
            user: None,
            template: 1,
            full_name: String::new(),
            email: String::new(),
            phone: None,
            address: None,
            website: None,
            linkedin_url: None,
            github_url: None,
            photo: None,
            title: None,
            summary: None,
            experiences: Vec::new(),
            education: Vec::new(),
            skills: Vec::new(),
            languages_data: Vec::new(),
            certifications_data: Vec::new(),
            projects_data: Vec::new(),
            custom_sections: Vec::new(),
            is_paid: false,
            payment_type: "free".into(),
            created_at: now.to_string(),
            updated_at: now.to_string(),
            last_accessed: now.to_string(),
            version: 0,
        }
    }

    fn apply_fields(&mut self, r: &mut Resume) {
        fn set<T>(target: &mut T, value: Option<T>) {
            if let Some(value) = value {
                *target = value;
            }
        }
        set(&mut r.template, self.template.take());
        set(&mut r.full_name, self.full_name.take());
        set(&mut r.email, self.email.take());
        set(&mut r.phone, self.phone.take());
        set(&mut r.address, self.address.take());
        set(&mut r.website, self.website.take());
        set(&mut r.linkedin_url, self.linkedin_url.take());
        set(&mut r.github_url, self.github_url.take());
        set(&mut r.title, self.title.take());
        set(&mut r.summary, self.summary.take());
        set(&mut r.languages_data, self.languages.take());
        set(&mut r.certifications_data, self.certifications.take());
        set(&mut r.projects_data, self.projects.take());
        set(&mut r.custom_sections, self.custom_sections.take());
    }

    /// Applies the changes to `resume` (read from the store), numbering new entries.
    pub async fn apply(mut self, store: &DynStore, resume: &mut Resume) -> ApiResult<()> {
        self.apply_fields(resume);
        if let Some(sent) = self.experiences.take() {
            resume.experiences = numbered(store, &resume.experiences, sent).await?;
        }
        if let Some(sent) = self.education.take() {
            resume.education = numbered(store, &resume.education, sent).await?;
        }
        if let Some(sent) = self.skills.take() {
            resume.skills = numbered(store, &resume.skills, sent).await?;
        }
        Ok(())
    }
}

/// `sent` replacing `current`, each entry with its kept or new id, in the order sent.
async fn numbered<T: Entry>(store: &DynStore, current: &[T], sent: Vec<T>) -> ApiResult<Vec<T>> {
    let merged = merge(current, sent);
    let new = merged.iter().filter(|(kept, _)| kept.is_none()).count();
    let mut ids = web::counters::next_ids(store, T::COUNTER, new)
        .await?
        .into_iter();
    Ok(merged
        .into_iter()
        .map(|(kept, entry)| {
            let id = kept.or_else(|| ids.next()).unwrap_or_default();
            entry.with_id(id)
        })
        .collect())
}
