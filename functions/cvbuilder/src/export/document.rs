//! A résumé as a PDF document: its header, then each section it has, in its template's
//! design ([`super::design`]), with the headings of `templates/resume.html`.

use super::design::{Design, Levels};
use crate::resumes::Resume;
use crate::resumes::entries::SKILL_LEVELS;
use pdf::{Block, Document, Figure, Footer, Paragraph, Rgb, TextStyle, Watermark};
use serde_json::Value;

/// Across an unpaid export of a premium design (`cvbuilder.md` 3.6).
pub const WATERMARK: &str = "CV BUILDER";

const MONTHS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

/// `2020-03-01` as `mars 2020`; anything else as it is.
fn month_year(date: &str) -> String {
    let month = date
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    match (date.get(..4), month) {
        (Some(year), Some(month)) => format!("{month} {year}"),
        _ => date.to_owned(),
    }
}

/// `mars 2020 – aujourd'hui`.
fn period(start: &str, end: Option<&str>, current: bool) -> String {
    let end = match (current, end) {
        (true, _) => "aujourd'hui".to_owned(),
        (false, Some(end)) => month_year(end),
        (false, None) => return month_year(start),
    };
    format!("{} – {end}", month_year(start))
}

fn level_words(level: &str) -> &'static str {
    match level {
        "beginner" => "débutant",
        "intermediate" => "intermédiaire",
        "advanced" => "avancé",
        _ => "expert",
    }
}

fn stars(level: &str) -> String {
    let rank = SKILL_LEVELS.iter().position(|l| *l == level).unwrap_or(0);
    "★".repeat(rank + 1)
}

/// A field of an object in one of the free-form lists, if it is text.
fn field<'a>(object: &'a Value, name: &str) -> Option<&'a str> {
    object
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A hairline the content's width, in `color`.
fn rule(design: &Design, color: Rgb, thickness: f32) -> Block {
    let width = design.page.width - 2.0 * design.page.margin_x;
    let [r, g, b] = [color.0, color.1, color.2];
    Block::Figure(Figure {
        svg: format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{thickness}"><rect width="{width}" height="{thickness}" fill="rgb({r},{g},{b})"/></svg>"#
        ),
        width,
        align: pdf::Align::Start,
    })
}

/// Builds the blocks of one résumé in one design.
struct Writer<'a> {
    design: &'a Design,
    blocks: Vec<Block>,
}

impl Writer<'_> {
    fn push(&mut self, paragraph: Paragraph) {
        self.blocks.push(Block::Text(paragraph));
    }

    fn heading(&mut self, words: &str) {
        let design = self.design;
        let words = if design.uppercase_headings {
            words.to_uppercase()
        } else {
            words.to_owned()
        };
        let text = format!("{}{words}", design.heading_prefix);
        self.push(
            Paragraph::new(text, design.heading)
                .spacing(14.0, 3.0)
                .keep_with_next(),
        );
        if let Some(color) = design.heading_rule {
            self.blocks.push(rule(design, color, 0.6));
            self.blocks.push(Block::Space(5.0));
        }
    }

    /// An entry's first line: what, then where, then when.
    fn entry(&mut self, what: &str, organisation: &str, when: String) {
        let design = self.design;
        self.push(
            Paragraph::new(what, design.entry_title)
                .then(format!("  {organisation}"), design.organisation)
                .spacing(6.0, 1.0)
                .keep_with_next(),
        );
        self.push(Paragraph::new(when, design.when).spacing(0.0, 2.0));
    }

    fn text(&mut self, words: &str) {
        for paragraph in words.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            self.push(
                Paragraph::new(paragraph, self.design.body)
                    .line_height(1.4)
                    .spacing(0.0, 4.0),
            );
        }
    }

    fn header(&mut self, resume: &Resume) {
        let design = self.design;
        let align = design.header_align;
        self.push(Paragraph::new(&resume.full_name, design.name).align(align));
        if let Some(title) = resume.title.as_deref().filter(|t| !t.trim().is_empty()) {
            self.push(
                Paragraph::new(title, design.title)
                    .align(align)
                    .spacing(2.0, 0.0),
            );
        }
        let contact: Vec<&str> = [
            Some(resume.email.as_str()),
            resume.phone.as_deref(),
            resume.address.as_deref(),
            resume.website.as_deref(),
            resume.linkedin_url.as_deref(),
            resume.github_url.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|c| !c.trim().is_empty())
        .collect();
        self.push(
            Paragraph::new(contact.join(design.separator), design.contact)
                .align(align)
                .spacing(6.0, 8.0),
        );
        if let Some((color, thickness)) = design.header_rule {
            self.blocks.push(rule(design, color, thickness));
            self.blocks.push(Block::Space(4.0));
        }
    }

    fn experiences(&mut self, resume: &Resume) {
        if resume.experiences.is_empty() {
            return;
        }
        self.heading("Expérience");
        let mut entries: Vec<_> = resume.experiences.iter().collect();
        entries.sort_by_key(|e| e.order);
        for e in entries {
            let mut when = period(&e.start_date, e.end_date.as_deref(), e.is_current);
            if let Some(location) = e.location.as_deref() {
                when = format!("{when} · {location}");
            }
            self.entry(&e.position, &e.company, when);
            if let Some(description) = &e.description {
                self.text(description);
            }
        }
    }

    fn education(&mut self, resume: &Resume) {
        if resume.education.is_empty() {
            return;
        }
        self.heading("Formation");
        let mut entries: Vec<_> = resume.education.iter().collect();
        entries.sort_by_key(|e| e.order);
        for e in entries {
            let what = match &e.field_of_study {
                Some(field) => format!("{}, {field}", e.degree),
                None => e.degree.clone(),
            };
            let mut when = period(&e.start_date, e.end_date.as_deref(), e.is_current);
            for detail in [&e.location, &e.grade].into_iter().flatten() {
                when = format!("{when} · {detail}");
            }
            self.entry(&what, &e.institution, when);
            if let Some(description) = &e.description {
                self.text(description);
            }
        }
    }

    fn skills(&mut self, resume: &Resume) {
        if resume.skills.is_empty() {
            return;
        }
        let design = self.design;
        self.heading("Compétences");
        let mut skills: Vec<_> = resume.skills.iter().collect();
        skills.sort_by_key(|s| s.order);
        // Grouped by category, in the order each category first appears.
        let mut categories: Vec<Option<&str>> = Vec::new();
        for skill in &skills {
            if !categories.contains(&skill.category.as_deref()) {
                categories.push(skill.category.as_deref());
            }
        }
        for category in categories {
            let mut line = match category {
                Some(name) => Paragraph::new(format!("{name} : "), design.body.bold()),
                None => Paragraph::new("", design.body),
            };
            let of_category = skills.iter().filter(|s| s.category.as_deref() == category);
            for (index, skill) in of_category.enumerate() {
                if index > 0 {
                    line = line.then(", ", design.body);
                }
                let level = match design.levels {
                    Levels::Stars => stars(&skill.level),
                    Levels::Words => level_words(&skill.level).to_owned(),
                };
                line = line
                    .then(&skill.name, design.body)
                    .then(format!(" {level}"), design.level_style);
            }
            self.push(line.line_height(1.4).spacing(0.0, 3.0));
        }
    }

    /// One of the free-form lists, each object as the one line `line` makes of it (none: left out).
    fn list(&mut self, title: &str, items: &[Value], line: impl Fn(&Value) -> Option<String>) {
        let lines: Vec<String> = items.iter().filter_map(line).collect();
        if lines.is_empty() {
            return;
        }
        self.heading(title);
        for words in lines {
            self.push(
                Paragraph::new(format!("– {words}"), self.design.body)
                    .line_height(1.4)
                    .spacing(0.0, 2.0),
            );
        }
    }

    fn projects(&mut self, resume: &Resume) {
        let projects: Vec<&Value> = resume
            .projects_data
            .iter()
            .filter(|p| field(p, "name").is_some())
            .collect();
        if projects.is_empty() {
            return;
        }
        self.heading("Projets");
        for project in projects {
            let name = field(project, "name").unwrap_or_default();
            let url = field(project, "url").unwrap_or_default();
            self.entry(name, "", url.to_owned());
            if let Some(description) = field(project, "description") {
                self.text(description);
            }
        }
    }

    fn custom_sections(&mut self, resume: &Resume) {
        for section in &resume.custom_sections {
            let (Some(title), content) = (field(section, "title"), field(section, "content"))
            else {
                continue;
            };
            self.heading(title);
            if let Some(content) = content {
                self.text(content);
            }
        }
    }
}

fn language(item: &Value) -> Option<String> {
    let name = field(item, "language").or_else(|| field(item, "name"))?;
    Some(match field(item, "level") {
        Some(level) => format!("{name} — {level}"),
        None => name.to_owned(),
    })
}

fn certification(item: &Value) -> Option<String> {
    let mut words = field(item, "name")?.to_owned();
    if let Some(issuer) = field(item, "issuer") {
        words = format!("{words} — {issuer}");
    }
    if let Some(date) = field(item, "date") {
        words = format!("{words} ({})", month_year(date));
    }
    Some(words)
}

/// `resume` in `design`, across which `watermark` runs when there is one.
pub fn document(resume: &Resume, design: &Design, watermark: bool) -> Document {
    let mut writer = Writer {
        design,
        blocks: Vec::new(),
    };
    writer.header(resume);
    if let Some(summary) = resume.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        writer.heading("Profil");
        writer.text(summary);
    }
    writer.experiences(resume);
    writer.education(resume);
    writer.skills(resume);
    writer.list("Langues", &resume.languages_data, language);
    writer.list("Certifications", &resume.certifications_data, certification);
    writer.projects(resume);
    writer.custom_sections(resume);
    Document {
        title: format!("CV — {}", resume.full_name),
        author: resume.full_name.clone(),
        creator: "CV Builder".into(),
        language: "fr".into(),
        page: design.page,
        footer: Some(Footer {
            text: format!("{} · {{page}} / {{pages}}", resume.full_name),
            style: TextStyle::new(8.0, design.when.color),
        }),
        watermark: watermark.then(|| Watermark {
            text: WATERMARK.into(),
            style: TextStyle::new(84.0, Rgb(0x9a, 0xa5, 0xb1)).bold(),
            opacity: 0.22,
        }),
        background: design.background.map(|draw| draw(&design.page)),
        blocks: writer.blocks,
    }
}
