//! LinkedIn's data export ("Get a copy of your data": a zip of CSV files), read into a
//! résumé's create body. Each CSV is known by its header row, not its name, so the archive
//! and its files loose are read alike: `Profile.csv`, `Email Addresses.csv`,
//! `PhoneNumbers.csv`, `Positions.csv`, `Education.csv`, `Skills.csv`, `Languages.csv`,
//! `Certifications.csv`, `Projects.csv`. Every other file (messages, connections...) is
//! left unread.

use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// One CSV: its rows, each by column name.
type Table = Vec<HashMap<String, String>>;

/// The tables of an export, by what they hold.
#[derive(Debug, Default)]
pub struct Export {
    tables: HashMap<&'static str, Table>,
}

/// What each table holds, known by the columns its header starts with.
const KINDS: &[(&str, &[&str])] = &[
    ("profile", &["First Name", "Last Name", "Maiden Name"]),
    ("emails", &["Email Address"]),
    ("phones", &["Extension", "Number"]),
    ("positions", &["Company Name", "Title"]),
    ("education", &["School Name"]),
    ("certifications", &["Name", "Url", "Authority"]),
    ("languages", &["Name", "Proficiency"]),
    ("projects", &["Title", "Description", "Url"]),
    ("skills", &["Name"]),
];

/// Largest CSV read out of an archive: a whole profile is a few kilobytes; more is not one.
const MAX_TABLE_BYTES: u64 = 1024 * 1024;

impl Export {
    /// Adds a CSV file; `false` if it is none of LinkedIn's résumé tables.
    pub fn add_csv(&mut self, text: &str) -> bool {
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let Ok(header) = reader.headers().map(|h| {
            h.iter()
                .map(str::trim)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }) else {
            return false;
        };
        let Some((kind, _)) = KINDS.iter().find(|(_, columns)| {
            header.len() >= columns.len() && header.iter().zip(columns.iter()).all(|(h, c)| h == c)
        }) else {
            return false;
        };
        // Skills has one column: a table with more is something else named "Name".
        if *kind == "skills" && header.len() != 1 {
            return false;
        }
        let rows = reader
            .records()
            .filter_map(Result::ok)
            .map(|record| {
                header
                    .iter()
                    .cloned()
                    .zip(record.iter().map(|v| v.trim().to_owned()))
                    .collect()
            })
            .collect();
        self.tables.insert(kind, rows);
        true
    }

    /// Adds every table of a zip archive: how many it found, or why it cannot (not an
    /// archive; a CSV in it that is encrypted, corrupt or not text, named).
    pub fn add_archive(&mut self, bytes: &[u8]) -> Result<usize, String> {
        let unreadable = "The archive cannot be read: it is not a zip file, or it is corrupt.";
        let mut archive =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable.to_owned())?;
        let mut found = 0;
        for index in 0..archive.len() {
            let name = match archive.name_for_index(index) {
                Some(Ok(name)) => name.into_owned(),
                _ => return Err(unreadable.to_owned()),
            };
            if !name.to_ascii_lowercase().ends_with(".csv") {
                continue;
            }
            let refused =
                || format!("{name} in the archive cannot be read: it is encrypted or corrupt.");
            // Read at most the limit, whatever the entry claims to hold uncompressed.
            let mut text = String::new();
            archive
                .by_index(index)
                .map_err(|_| refused())?
                .take(MAX_TABLE_BYTES)
                .read_to_string(&mut text)
                .map_err(|_| refused())?;
            if self.add_csv(&text) {
                found += 1;
            }
        }
        Ok(found)
    }

    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    fn rows(&self, kind: &str) -> &[HashMap<String, String>] {
        self.tables.get(kind).map_or(&[], Vec::as_slice)
    }

    /// The create body the export makes.
    pub fn to_create_body(&self) -> Map<String, Value> {
        let mut body = Map::new();
        let mut put = |key: &str, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                body.insert(key.into(), Value::from(value));
            }
        };
        if let Some(profile) = self.rows("profile").first() {
            let name = [cell(profile, "First Name"), cell(profile, "Last Name")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            put("full_name", Some(name));
            put("title", cell(profile, "Headline").map(str::to_owned));
            put("summary", cell(profile, "Summary").map(str::to_owned));
            let place = cell(profile, "Geo Location").or(cell(profile, "Address"));
            put("address", place.map(str::to_owned));
            put("website", cell(profile, "Websites").and_then(first_url));
        }
        let emails = self.rows("emails");
        let primary = emails
            .iter()
            .find(|e| cell(e, "Primary") == Some("Yes"))
            .or(emails.first());
        put(
            "email",
            primary
                .and_then(|e| cell(e, "Email Address"))
                .map(str::to_owned),
        );
        let phone = self.rows("phones").first().and_then(|p| cell(p, "Number"));
        put("phone", phone.map(str::to_owned));

        let mut unplaced = Vec::new();
        let experiences = self.positions(&mut unplaced);
        let education = self.schools(&mut unplaced);
        body.insert("experience_data".into(), Value::from(experiences));
        body.insert("education_data".into(), Value::from(education));
        let skills: Vec<Value> = self
            .rows("skills")
            .iter()
            .filter_map(|s| cell(s, "Name"))
            .enumerate()
            .map(|(order, name)| json!({"name": name, "order": order}))
            .collect();
        body.insert("skills_data".into(), Value::from(skills));
        let languages: Vec<Value> = self
            .rows("languages")
            .iter()
            .filter_map(|l| {
                let name = cell(l, "Name")?;
                Some(match cell(l, "Proficiency") {
                    Some(level) => json!({"language": name, "level": level}),
                    None => json!({"language": name}),
                })
            })
            .collect();
        body.insert("languages_data".into(), Value::from(languages));
        let certifications: Vec<Value> = self
            .rows("certifications")
            .iter()
            .filter_map(|c| {
                let mut out = Map::new();
                out.insert("name".into(), Value::from(cell(c, "Name")?));
                for (ours, theirs) in [("issuer", "Authority"), ("url", "Url")] {
                    if let Some(value) = cell(c, theirs) {
                        out.insert(ours.into(), Value::from(value));
                    }
                }
                if let Some(date) = cell(c, "Started On").and_then(day) {
                    out.insert("date".into(), Value::from(date));
                }
                Some(Value::Object(out))
            })
            .collect();
        body.insert("certifications_data".into(), Value::from(certifications));
        let projects: Vec<Value> = self
            .rows("projects")
            .iter()
            .filter_map(|p| {
                Some(
                    json!({"name": cell(p, "Title")?, "description": cell(p, "Description"),
                            "url": cell(p, "Url")}),
                )
            })
            .collect();
        body.insert("projects_data".into(), Value::from(projects));
        if !unplaced.is_empty() {
            body.insert(
                "custom_sections".into(),
                json!([{"title": UNPLACED, "content": unplaced.join("\n\n")}]),
            );
        }
        body
    }

    /// Positions with a start date; the others, as text, into `unplaced`.
    fn positions(&self, unplaced: &mut Vec<String>) -> Vec<Value> {
        let mut entries = Vec::new();
        for p in self.rows("positions") {
            let (Some(company), Some(title)) = (cell(p, "Company Name"), cell(p, "Title")) else {
                continue;
            };
            let Some(start) = cell(p, "Started On").and_then(day) else {
                unplaced.push(described(&[
                    Some(title),
                    Some(company),
                    cell(p, "Description"),
                ]));
                continue;
            };
            let end = cell(p, "Finished On").and_then(day);
            entries.push(json!({
                "company": company, "position": title, "location": cell(p, "Location"),
                "start_date": start, "is_current": end.is_none(), "end_date": end,
                "description": cell(p, "Description"), "order": entries.len(),
            }));
        }
        entries
    }

    /// Schools with a degree and a start date; the others, as text, into `unplaced`.
    fn schools(&self, unplaced: &mut Vec<String>) -> Vec<Value> {
        let mut entries = Vec::new();
        for s in self.rows("education") {
            let Some(school) = cell(s, "School Name") else {
                continue;
            };
            let degree = cell(s, "Degree Name");
            let start = cell(s, "Start Date").and_then(day);
            let (Some(degree), Some(start)) = (degree, start) else {
                let dates = [cell(s, "Start Date"), cell(s, "End Date")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" – ");
                unplaced.push(described(&[
                    Some(school),
                    degree,
                    Some(dates.as_str()),
                    cell(s, "Notes"),
                ]));
                continue;
            };
            let end = cell(s, "End Date").and_then(day);
            let notes = [cell(s, "Notes"), cell(s, "Activities")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n\n");
            entries.push(json!({
                "institution": school, "degree": degree, "start_date": start,
                "end_date": end, "is_current": false,
                "description": (!notes.is_empty()).then_some(notes), "order": entries.len(),
            }));
        }
        entries
    }
}

/// The custom section of what LinkedIn gave without what a résumé's entry needs (a start
/// date, a degree): kept as text for the user to complete, never guessed.
pub const UNPLACED: &str = "Importé de LinkedIn (à compléter)";

fn described(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" — ")
}

fn cell<'a>(row: &'a HashMap<String, String>, column: &str) -> Option<&'a str> {
    row.get(column)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// The first http(s) address in LinkedIn's `Websites` cell (`[PORTFOLIO:https://...]`).
fn first_url(cell: &str) -> Option<String> {
    let start = cell.find("http://").or_else(|| cell.find("https://"))?;
    let url: String = cell[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ']' | ',' | ';'))
        .collect();
    Some(url)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// LinkedIn's dates (`Jan 2020`, `2020`, `2020-01-15`) as a day; `None` for anything else.
fn day(date: &str) -> Option<String> {
    let date = date.trim();
    let digits = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    match date.split_whitespace().collect::<Vec<_>>().as_slice() {
        [year] if digits(year) => Some(format!("{year}-01-01")),
        [month, year] if digits(year) => {
            let month = month.get(..3)?.to_ascii_lowercase();
            let index = MONTHS.iter().position(|m| *m == month)?;
            Some(format!("{year}-{:02}-01", index + 1))
        }
        [iso] if iso.len() == 10 && iso.as_bytes().get(4) == Some(&b'-') => Some((*iso).to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linkedins_dates_become_days() {
        assert_eq!(day("Jan 2020").as_deref(), Some("2020-01-01"));
        assert_eq!(day("Sept 2019").as_deref(), Some("2019-09-01"));
        assert_eq!(day("2012").as_deref(), Some("2012-01-01"));
        assert_eq!(day("2021-03-04").as_deref(), Some("2021-03-04"));
        assert_eq!(day("someday"), None);
    }

    #[test]
    fn tables_are_known_by_their_header() {
        let mut export = Export::default();
        assert!(export.add_csv("\u{feff}Name\nRust\nSQL\n"));
        assert!(export.add_csv("Name,Proficiency\nFrançais,Native or bilingual proficiency\n"));
        assert!(
            !export.add_csv("First Name,Company,Position\nAna,X,Y\n"),
            "connections"
        );
        let body = export.to_create_body();
        assert_eq!(body["skills_data"][1]["name"], "SQL");
        assert_eq!(body["languages_data"][0]["language"], "Français");
        assert_eq!(
            first_url("[PORTFOLIO:https://ana.dev],[BLOG:https://b.dev]").as_deref(),
            Some("https://ana.dev")
        );
    }
}
