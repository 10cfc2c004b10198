//! A full résumé of a realistic size (two pages, every section, a premium design with its
//! watermark), for the render benchmark and the export tests.

use super::{ResumePdfs, TypesetResumes};
use crate::resumes::Resume;
use serde_json::{Value, json};

fn experience(id: i64, company: &str, position: &str, start: &str, end: Option<&str>) -> Value {
    json!({
        "id": id, "company": company, "position": position, "location": "Paris, France",
        "start_date": start, "end_date": end, "is_current": end.is_none(),
        "description": "Conduite de projets de transformation numérique pour des clients du \
            CAC 40 : cadrage, feuille de route, pilotage d'équipes pluridisciplinaires de \
            huit à quinze personnes et suivi budgétaire. Mise en place de rituels agiles, \
            d'indicateurs de valeur partagés avec les directions métier et d'une démarche \
            d'amélioration continue qui a réduit de moitié le délai de mise en production.",
        "order": id,
    })
}

/// Marie Dubois's résumé, in the Creative Designer template.
pub fn resume() -> Result<Resume, String> {
    let skills: Vec<Value> = [
        ("Gestion de projet", "expert", "Management"),
        ("Agile/Scrum", "advanced", "Méthodologie"),
        ("Kanban", "advanced", "Méthodologie"),
        ("Analyse de données", "intermediate", "Technique"),
        ("SQL", "intermediate", "Technique"),
        ("Figma", "beginner", "Design"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, level, category))| {
        json!({"id": i + 1, "name": name, "level": level, "category": category, "order": i})
    })
    .collect();
    let value = json!({
        "id": 1, "session_id": null, "user": 1, "template": 2,
        "full_name": "Marie Dubois-Lefèvre", "email": "marie.dubois@example.com",
        "phone": "+33699887766", "address": "45 Avenue des Champs-Élysées, 75008 Paris",
        "website": "https://mariedubois.fr", "linkedin_url": "https://linkedin.com/in/mariedubois",
        "github_url": "https://github.com/mariedubois", "photo": null,
        "title": "Chef de Projet Digital",
        "summary": "Chef de projet avec sept ans d'expérience dans la transformation digitale \
            des grands comptes, à l'aise entre les équipes techniques et les directions métier.",
        "experiences": [
            experience(1, "Digital Agency", "Chef de Projet Senior", "2020-03-01", None),
            experience(2, "Conseil & Stratégie", "Chef de Projet", "2017-09-01", Some("2020-02-28")),
            experience(3, "Start-up Énergie", "Product Owner", "2015-09-01", Some("2017-08-31")),
            experience(4, "Banque Privée", "Analyste fonctionnelle", "2013-01-01", Some("2015-08-31")),
            experience(5, "Éditions Numériques", "Assistante chef de projet", "2011-09-01", Some("2012-12-31")),
        ],
        "education": [
            {"id": 1, "institution": "ESSEC Business School", "degree": "MBA",
             "field_of_study": "Marketing Digital", "location": "Cergy, France",
             "start_date": "2015-09-01", "end_date": "2017-06-30", "is_current": false,
             "grade": "Distinction", "description": null, "order": 0},
            {"id": 2, "institution": "Université Paris-Dauphine", "degree": "Master",
             "field_of_study": "Systèmes d'information", "location": "Paris, France",
             "start_date": "2009-09-01", "end_date": "2011-06-30", "is_current": false,
             "grade": "Mention bien", "description": null, "order": 1},
        ],
        "skills": skills,
        "languages_data": [
            {"language": "Français", "level": "Natif"},
            {"language": "Anglais", "level": "Bilingue"},
            {"language": "Espagnol", "level": "Intermédiaire"},
        ],
        "certifications_data": [
            {"name": "PMP Certification", "issuer": "PMI", "date": "2019-11-20"},
            {"name": "Professional Scrum Master I", "issuer": "Scrum.org", "date": "2018-04-12"},
        ],
        "projects_data": [
            {"name": "Refonte site e-commerce",
             "description": "Direction de la refonte complète d'un site e-commerce (2 M€ de budget).",
             "url": null},
        ],
        "custom_sections": [
            {"title": "Engagement associatif",
             "content": "Mentorat de jeunes diplômées au sein de l'association Elles bougent."},
        ],
        "is_paid": false, "payment_type": "free",
        "created_at": "2026-12-01T09:00:00Z", "updated_at": "2026-12-01T09:00:00Z",
        "last_accessed": "2026-12-01T09:00:00Z", "version": 1,
    });
    serde_json::from_value(value).map_err(|e| format!("the sample résumé: {e}"))
}

/// The sample résumé as a client creates it (`POST /api/resumes/`): its content under the
/// names the API takes, without what the server sets. The benchmarks create it to export it.
pub fn create_request() -> Result<String, String> {
    let stored = serde_json::to_value(resume()?).map_err(|e| e.to_string())?;
    let Value::Object(mut fields) = stored else {
        return Err("the sample résumé is not an object".into());
    };
    for server_set in [
        "id",
        "session_id",
        "user",
        "photo",
        "is_paid",
        "payment_type",
        "created_at",
        "updated_at",
        "last_accessed",
        "version",
    ] {
        fields.remove(server_set);
    }
    for (stored, sent) in [
        ("experiences", "experience_data"),
        ("education", "education_data"),
        ("skills", "skills_data"),
    ] {
        let mut entries = fields.remove(stored).unwrap_or_default();
        for entry in entries.as_array_mut().into_iter().flatten() {
            if let Some(entry) = entry.as_object_mut() {
                entry.remove("id");
            }
        }
        fields.insert(sent.into(), entries);
    }
    Ok(Value::Object(fields).to_string())
}

/// The sample résumé as its template's HTML page (`templates/resume.html` with its design's
/// stylesheet, Django's syntax read by minijinja), as a browser would print it: the render
/// benchmark's peer.
pub fn sample_html() -> Result<String, String> {
    let resume = resume()?;
    let template = crate::templates::find(resume.template).ok_or("the sample's template")?;
    let mut pages = minijinja::Environment::new();
    pages.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    pages
        .add_template("resume.html", crate::templates::HTML)
        .map_err(|e| e.to_string())?;
    let context = minijinja::context! {
        resume => minijinja::Value::from_serialize(&resume),
        template_css => minijinja::Value::from_safe_string(template.css.to_owned()),
    };
    pages
        .get_template("resume.html")
        .and_then(|page| page.render(context))
        .map_err(|e| e.to_string())
}

/// The sample résumé typeset, watermarked, as an unpaid premium export is.
pub fn sample() -> Result<Vec<u8>, String> {
    TypesetResumes.render(&resume()?, true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn the_sample_is_also_its_templates_html_page() {
        let html = super::sample_html().unwrap();
        assert!(
            html.contains("<h1 class=\"name\">Marie Dubois-Lefèvre</h1>"),
            "{html}"
        );
        assert!(html.contains("Chef de Projet Senior"), "{html}");
        assert!(
            html.contains("grid-template-columns"),
            "the design's CSS: {html}"
        );
        assert!(!html.contains("{{") && !html.contains("{%"), "{html}");
    }

    #[test]
    fn the_sample_is_two_watermarked_pages() {
        let pdf = super::sample().unwrap();
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        assert!(text.contains("Marie Dubois-Lefèvre · 2 / 2"), "{text}");
        assert!(!text.contains("/ 3"), "{text}");
        assert_eq!(text.matches(super::super::document::WATERMARK).count(), 2);
    }
}
