//! JSON Resume (jsonresume.org, schema 1.0.0), the open format Reactive Resume and most
//! résumé tools read and write, so a user can leave with their résumé and come back:
//! `GET /api/resumes/{id}/export_json/` writes one, `POST /api/resumes/import_json/` makes a
//! new résumé of one. What JSON Resume has no place for (the design, custom sections, an
//! education's place and description) travels in `meta.cvbuilder`, which other tools keep
//! and ignore. An import is read as a create request made of the document, so its errors
//! are the create's, named by CV Builder's fields.

use super::Resume;
use serde_json::{Map, Value, json};
use web::ApiError;
use web::error::FieldErrors;

pub const SCHEMA: &str =
    "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json";

/// Puts `value` at `key` unless it is absent or blank: JSON Resume leaves out what is
/// unknown rather than writing `null`.
fn put(object: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
        object.insert(key.into(), Value::from(value));
    }
}

fn object(pairs: &[(&str, Option<&str>)]) -> Value {
    let mut out = Map::new();
    for (key, value) in pairs {
        put(&mut out, key, *value);
    }
    Value::Object(out)
}

/// The résumé as a JSON Resume document.
pub fn export(resume: &Resume) -> Value {
    let mut basics = Map::new();
    for (key, value) in [
        ("name", Some(resume.full_name.as_str())),
        ("label", resume.title.as_deref()),
        ("image", resume.photo.as_deref()),
        ("email", Some(resume.email.as_str())),
        ("phone", resume.phone.as_deref()),
        ("url", resume.website.as_deref()),
        ("summary", resume.summary.as_deref()),
    ] {
        put(&mut basics, key, value);
    }
    if let Some(address) = &resume.address {
        basics.insert("location".into(), object(&[("address", Some(address))]));
    }
    let profiles: Vec<Value> = [
        ("LinkedIn", &resume.linkedin_url),
        ("GitHub", &resume.github_url),
    ]
    .into_iter()
    .filter_map(|(network, url)| {
        let url = url.as_deref()?;
        Some(object(&[("network", Some(network)), ("url", Some(url))]))
    })
    .collect();
    basics.insert("profiles".into(), Value::from(profiles));
    let mut experiences: Vec<_> = resume.experiences.iter().collect();
    experiences.sort_by_key(|e| e.order);
    let work: Vec<Value> = experiences
        .iter()
        .map(|e| {
            let end = if e.is_current {
                None
            } else {
                e.end_date.as_deref()
            };
            object(&[
                ("name", Some(&e.company)),
                ("position", Some(&e.position)),
                ("location", e.location.as_deref()),
                ("startDate", Some(&e.start_date)),
                ("endDate", end),
                ("summary", e.description.as_deref()),
            ])
        })
        .collect();
    let mut schools: Vec<_> = resume.education.iter().collect();
    schools.sort_by_key(|e| e.order);
    let education: Vec<Value> = schools
        .iter()
        .map(|e| {
            let end = if e.is_current {
                None
            } else {
                e.end_date.as_deref()
            };
            object(&[
                ("institution", Some(&e.institution)),
                ("studyType", Some(&e.degree)),
                ("area", e.field_of_study.as_deref()),
                ("startDate", Some(&e.start_date)),
                ("endDate", end),
                ("score", e.grade.as_deref()),
            ])
        })
        .collect();
    let school_extras: Vec<Value> = schools
        .iter()
        .map(|e| {
            object(&[
                ("location", e.location.as_deref()),
                ("description", e.description.as_deref()),
            ])
        })
        .collect();
    let mut skills: Vec<_> = resume.skills.iter().collect();
    skills.sort_by_key(|s| s.order);
    let skills: Vec<Value> = skills
        .iter()
        .map(|s| {
            json!({"name": s.name, "level": s.level,
                   "keywords": s.category.iter().collect::<Vec<_>>()})
        })
        .collect();
    let languages: Vec<Value> = resume
        .languages_data
        .iter()
        .map(|l| {
            let text = |k: &str| l.get(k).and_then(Value::as_str);
            object(&[
                ("language", text("language").or(text("name"))),
                ("fluency", text("level")),
            ])
        })
        .collect();
    let kept = |items: &[Value], keys: &[&str]| -> Vec<Value> {
        items
            .iter()
            .map(|item| {
                let pairs: Vec<(&str, Option<&str>)> = keys
                    .iter()
                    .map(|k| (*k, item.get(*k).and_then(Value::as_str)))
                    .collect();
                object(&pairs)
            })
            .collect()
    };
    json!({
        "$schema": SCHEMA,
        "basics": basics,
        "work": work,
        "education": education,
        "skills": skills,
        "languages": languages,
        "certificates": kept(&resume.certifications_data, &["name", "issuer", "date", "url"]),
        "projects": kept(&resume.projects_data, &["name", "description", "url"]),
        "meta": {
            "version": "v1.0.0",
            "lastModified": resume.updated_at,
            "cvbuilder": {
                "template": resume.template,
                "custom_sections": resume.custom_sections,
                "education": school_extras,
            },
        },
    })
}

/// A JSON Resume date (`2020-03-01`, `2020-03` or `2020`) as a day; anything else as it is,
/// for the create's validation to name.
fn day(value: Option<&Value>) -> Value {
    let Some(Value::String(date)) = value else {
        return value.cloned().unwrap_or(Value::Null);
    };
    let date = date.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    Value::from(match date.split('-').collect::<Vec<_>>().as_slice() {
        [y] if y.len() == 4 && digits(y) => format!("{y}-01-01"),
        [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => format!("{y}-{m}-01"),
        _ => date.to_owned(),
    })
}

/// An entry's end date as sent; none (so, current) when left out, null or blank.
fn end_date(entry: &Value) -> Option<&Value> {
    entry
        .get("endDate")
        .filter(|e| !e.is_null() && (text(entry, "endDate").is_some() || !e.is_string()))
}

/// A JSON Resume skill level in CV Builder's words, if it says one.
fn level(value: Option<&str>) -> Option<&'static str> {
    Some(match value?.trim().to_lowercase().as_str() {
        "beginner" | "novice" | "basic" | "débutant" => "beginner",
        "intermediate" | "medium" | "intermédiaire" => "intermediate",
        "advanced" | "avancé" => "advanced",
        "expert" | "master" | "native" => "expert",
        _ => return None,
    })
}

fn text<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    object
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn list<'a>(object: &'a Value, key: &str) -> &'a [Value] {
    object
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A summary and its highlights, one per line.
fn with_highlights(item: &Value, summary_key: &str) -> Option<String> {
    let highlights: Vec<String> = list(item, "highlights")
        .iter()
        .filter_map(Value::as_str)
        .map(|h| format!("• {h}"))
        .collect();
    let parts: Vec<String> = text(item, summary_key)
        .map(str::to_owned)
        .into_iter()
        .chain((!highlights.is_empty()).then(|| highlights.join("\n")))
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// The sections that are lists of objects.
const LISTS: &[&str] = &[
    "work",
    "education",
    "skills",
    "languages",
    "certificates",
    "projects",
    "volunteer",
    "awards",
    "publications",
    "interests",
    "references",
];

/// A JSON value's type as Python (and so DRF's messages) names it.
fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

fn not_a_dict(value: &Value) -> String {
    format!(
        "Invalid data. Expected a dictionary, but got {}.",
        python_type(value)
    )
}

/// Refuses a document whose sections are not what JSON Resume says they are (`basics` and
/// `meta` objects, the others lists of objects), each wrong section at once, in DRF's words.
pub fn check_shape(document: &Value) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    for key in ["basics", "meta"] {
        match document.get(key) {
            None | Some(Value::Object(_)) => {}
            Some(other) => errors.add(key, not_a_dict(other)),
        }
    }
    for key in LISTS {
        match document.get(*key) {
            None => {}
            Some(Value::Array(items)) => {
                if let Some(item) = items.iter().find(|i| !i.is_object()) {
                    errors.add(*key, not_a_dict(item));
                }
            }
            Some(other) => errors.add(
                *key,
                format!(
                    "Expected a list of items but got type \"{}\".",
                    python_type(other)
                ),
            ),
        }
    }
    errors.into_result()
}

/// The create request a JSON Resume document makes.
pub fn to_create_body(document: &Value) -> Map<String, Value> {
    let basics = document.get("basics").cloned().unwrap_or(Value::Null);
    let ours = document
        .pointer("/meta/cvbuilder")
        .cloned()
        .unwrap_or(Value::Null);
    let mut body = Map::new();
    body.insert(
        "template".into(),
        ours.get("template").cloned().unwrap_or(json!(1)),
    );
    // Required by the create: left out when missing, so that it says so.
    for (ours_key, theirs) in [("full_name", "name"), ("email", "email")] {
        if let Some(value) = basics.get(theirs) {
            body.insert(ours_key.into(), value.clone());
        }
    }
    for (ours_key, theirs) in [
        ("title", "label"),
        ("phone", "phone"),
        ("website", "url"),
        ("summary", "summary"),
    ] {
        if let Some(value) = text(&basics, theirs) {
            body.insert(ours_key.into(), Value::from(value));
        }
    }
    if let Some(location) = basics.get("location") {
        let city = [text(location, "postalCode"), text(location, "city")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let address: Vec<&str> = [
            text(location, "address"),
            Some(city.as_str()),
            text(location, "region"),
            text(location, "countryCode"),
        ]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect();
        if !address.is_empty() {
            body.insert("address".into(), Value::from(address.join(", ")));
        }
    }
    for profile in list(&basics, "profiles") {
        let network = text(profile, "network").unwrap_or_default().to_lowercase();
        let field = match network.as_str() {
            "linkedin" => "linkedin_url",
            "github" => "github_url",
            _ => continue,
        };
        if let Some(url) = text(profile, "url") {
            body.insert(field.into(), Value::from(url));
        }
    }
    let experiences: Vec<Value> = list(document, "work")
        .iter()
        .enumerate()
        .map(|(order, job)| {
            let end = end_date(job);
            json!({
                "company": job.get("name").or_else(|| job.get("company")),
                "position": job.get("position"),
                "location": text(job, "location"),
                "start_date": day(job.get("startDate")),
                "end_date": end.map_or(Value::Null, |e| day(Some(e))),
                "is_current": end.is_none(),
                "description": with_highlights(job, "summary"),
                "order": order,
            })
        })
        .collect();
    let extras = list(&ours, "education");
    let education: Vec<Value> = list(document, "education")
        .iter()
        .enumerate()
        .map(|(order, school)| {
            let extra = extras.get(order).cloned().unwrap_or(Value::Null);
            let (degree, field) = match text(school, "studyType") {
                Some(degree) => (Some(degree), text(school, "area")),
                None => (text(school, "area"), None),
            };
            let end = end_date(school);
            let courses: Vec<&str> = list(school, "courses")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let description = text(&extra, "description")
                .map(str::to_owned)
                .or_else(|| (!courses.is_empty()).then(|| courses.join(", ")));
            json!({
                "institution": school.get("institution"),
                "degree": degree,
                "field_of_study": field,
                "location": text(&extra, "location"),
                "start_date": day(school.get("startDate")),
                "end_date": end.map_or(Value::Null, |e| day(Some(e))),
                "is_current": end.is_none(),
                "grade": text(school, "score"),
                "description": description,
                "order": order,
            })
        })
        .collect();
    body.insert("experience_data".into(), Value::from(experiences));
    body.insert("education_data".into(), Value::from(education));
    body.insert(
        "skills_data".into(),
        Value::from(skills(document, !ours.is_null())),
    );
    let languages: Vec<Value> = list(document, "languages")
        .iter()
        .filter_map(|l| {
            Some(object(&[
                ("language", Some(text(l, "language")?)),
                ("level", text(l, "fluency")),
            ]))
        })
        .collect();
    body.insert("languages_data".into(), Value::from(languages));
    let certificates: Vec<Value> = list(document, "certificates")
        .iter()
        .filter(|c| text(c, "name").is_some())
        .map(|c| {
            object(&[
                ("name", text(c, "name")),
                ("issuer", text(c, "issuer")),
                ("date", text(c, "date")),
                ("url", text(c, "url")),
            ])
        })
        .collect();
    body.insert("certifications_data".into(), Value::from(certificates));
    let projects: Vec<Value> = list(document, "projects")
        .iter()
        .filter(|p| text(p, "name").is_some())
        .map(|p| {
            let description = with_highlights(p, "description");
            object(&[
                ("name", text(p, "name")),
                ("description", description.as_deref()),
                ("url", text(p, "url")),
            ])
        })
        .collect();
    body.insert("projects_data".into(), Value::from(projects));
    body.insert(
        "custom_sections".into(),
        Value::from(custom_sections(document, &ours)),
    );
    body
}

/// Skills. CV Builder's own exports hold one skill each, its category as the one keyword;
/// other tools' hold a group each (`Web Development`: `HTML`, `CSS`), whose keywords become
/// skills of that category.
fn skills(document: &Value, ours: bool) -> Vec<Value> {
    let mut skills = Vec::new();
    for group in list(document, "skills") {
        let keywords: Vec<&str> = list(group, "keywords")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let level = level(text(group, "level"));
        let mut add = |name: Option<&str>, category: Option<&str>| {
            let mut skill = object(&[("name", name), ("level", level), ("category", category)]);
            if let Some(fields) = skill.as_object_mut() {
                fields.insert("order".into(), Value::from(skills.len()));
            }
            skills.push(skill);
        };
        if ours || keywords.is_empty() {
            add(text(group, "name"), keywords.first().copied());
        } else {
            for keyword in keywords {
                add(Some(keyword), text(group, "name"));
            }
        }
    }
    skills
}

/// CV Builder's custom sections, then JSON Resume's sections it has no list for, one
/// section each, as text.
fn custom_sections(document: &Value, ours: &Value) -> Vec<Value> {
    let mut sections: Vec<Value> = list(ours, "custom_sections").to_vec();
    let line = |item: &Value, keys: &[&str]| -> String {
        keys.iter()
            .filter_map(|k| text(item, k))
            .collect::<Vec<_>>()
            .join(" — ")
    };
    for (key, title, keys) in [
        (
            "volunteer",
            "Bénévolat",
            &["position", "organization", "summary"][..],
        ),
        (
            "awards",
            "Distinctions",
            &["title", "awarder", "date", "summary"][..],
        ),
        (
            "publications",
            "Publications",
            &["name", "publisher", "releaseDate"][..],
        ),
        ("interests", "Centres d'intérêt", &["name"][..]),
        ("references", "Références", &["name", "reference"][..]),
    ] {
        let lines: Vec<String> = list(document, key)
            .iter()
            .map(|item| line(item, keys))
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            sections.push(json!({"title": title, "content": lines.join("\n\n")}));
        }
    }
    sections
}
