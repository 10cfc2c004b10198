//! `/api/templates/` (`cvbuilder.md` 2): the résumé designs. They ship with the code, as the
//! three the document lists: one page of HTML (`templates/resume.html`, Django template
//! syntax) dressed by each design's own CSS, and the same design in the exported PDF.

use crate::AppState;
use axum::Json;
use serde::Serialize;
use web::ApiResult;
use web::extract::PathId;
use web::route;
use web::routes::{Access, Endpoint};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(list, Access::Public),
        route!(free, Access::Public),
        route!(premium, Access::Public),
        route!(detail, Access::Public),
    ]
}

/// A design.
#[derive(Debug)]
pub struct Template {
    pub id: i64,
    pub name: &'static str,
    pub description: &'static str,
    pub is_premium: bool,
    pub css: &'static str,
    pub created_at: &'static str,
}

pub const HTML: &str = include_str!("../templates/resume.html");

pub const ALL: &[Template] = &[
    Template {
        id: 1,
        name: "Modern Professional",
        description: "Un template moderne et épuré pour professionnels",
        is_premium: false,
        css: include_str!("../templates/modern_professional.css"),
        created_at: "2025-10-01T10:00:00Z",
    },
    Template {
        id: 2,
        name: "Creative Designer",
        description: "Template coloré idéal pour les créatifs",
        is_premium: true,
        css: include_str!("../templates/creative_designer.css"),
        created_at: "2025-10-01T11:00:00Z",
    },
    Template {
        id: 3,
        name: "Executive Elite",
        description: "Template premium pour cadres supérieurs",
        is_premium: true,
        css: include_str!("../templates/executive_elite.css"),
        created_at: "2025-10-01T12:00:00Z",
    },
];

/// The design `id`, if there is one.
pub fn find(id: i64) -> Option<&'static Template> {
    ALL.iter().find(|t| t.id == id)
}

// A design in a list.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Template)]
struct Listed {
    id: i64,
    name: &'static str,
    description: &'static str,
    /// No picture ships with the designs yet: `null`.
    // No picture ships with the designs yet: `null`, as Django's empty `ImageField` says.
    #[schema(required = true)]
    thumbnail: Option<&'static str>,
    is_premium: bool,
    is_active: bool,
    #[schema(format = DateTime, example = json!("2025-10-29T10:30:00Z"))]
    created_at: &'static str,
}

impl From<&'static Template> for Listed {
    fn from(t: &'static Template) -> Self {
        Listed {
            id: t.id,
            name: t.name,
            description: t.description,
            thumbnail: None,
            is_premium: t.is_premium,
            is_active: true,
            created_at: t.created_at,
        }
    }
}

// A design whole: the list's fields and its HTML and CSS.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = TemplateDetail)]
struct Detail {
    id: i64,
    name: &'static str,
    description: &'static str,
    /// No picture ships with the designs yet: `null`.
    #[schema(required = true)]
    thumbnail: Option<&'static str>,
    is_premium: bool,
    is_active: bool,
    /// The page, in Django template syntax.
    template_html: &'static str,
    template_css: &'static str,
    #[schema(format = DateTime, example = json!("2025-10-29T10:30:00Z"))]
    created_at: &'static str,
}

fn listed(keep: impl Fn(&Template) -> bool) -> Json<Vec<Listed>> {
    Json(ALL.iter().filter(|t| keep(t)).map(Listed::from).collect())
}

#[utoipa::path(
    get,
    path = "/api/templates/",
    tag = "Templates",
    operation_id = "listTemplates",
    summary = "Every design",
    responses(
        (status = 200, description = "The designs.", body = Vec<Listed>),
    )
)]
async fn list() -> Json<Vec<Listed>> {
    listed(|_| true)
}

#[utoipa::path(
    get,
    path = "/api/templates/free/",
    tag = "Templates",
    operation_id = "freeTemplates",
    summary = "The free designs",
    responses(
        (status = 200, description = "The free designs.", body = Vec<Listed>),
    )
)]
async fn free() -> Json<Vec<Listed>> {
    listed(|t| !t.is_premium)
}

#[utoipa::path(
    get,
    path = "/api/templates/premium/",
    tag = "Templates",
    operation_id = "premiumTemplates",
    summary = "The premium designs",
    responses(
        (status = 200, description = "The premium designs.", body = Vec<Listed>),
    )
)]
async fn premium() -> Json<Vec<Listed>> {
    listed(|t| t.is_premium)
}

#[utoipa::path(
    get,
    path = "/api/templates/{id}/",
    tag = "Templates",
    operation_id = "getTemplate",
    summary = "A design, with its HTML and CSS",
    params(("id" = i64, Path, minimum = 1, example = 1)),
    responses(
        (status = 200, description = "The design.", body = Detail),
    )
)]
async fn detail(PathId(id): PathId) -> ApiResult<Json<Detail>> {
    let t = find(id).ok_or_else(|| web::ApiError::not_found("Not found."))?;
    Ok(Json(Detail {
        id: t.id,
        name: t.name,
        description: t.description,
        thumbnail: None,
        is_premium: t.is_premium,
        is_active: true,
        template_html: HTML,
        template_css: t.css,
        created_at: t.created_at,
    }))
}
