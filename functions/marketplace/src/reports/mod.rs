//! The global report (`GET /api/admin/export/report`): the platform's statistics, charts
//! drawn as vectors and the last six months' trends, as a PDF on the shared engine with its
//! text searchable. Only the report's function renders ([`PdfReports`]): the others carry
//! [`NoReports`], so the PDF engine is linked into that one binary alone.

mod charts;
mod document;
mod sample;

pub use document::PdfReports;
pub use sample::sample;

use crate::AppState;
use crate::admin::figures::{Figures, figures};
use crate::role::Role;
use crate::trends::{self, Month};
use axum::extract::State;
use axum::response::Response;
use std::sync::Arc;
use web::auth::AuthUser;
use web::error::ErrorKind;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(report, Access::Roles(Role::ADMIN))]
}

/// How many months the trends show.
const MONTHS: u32 = 6;

/// What the report shows.
pub struct Report {
    pub generated_at: chrono::DateTime<chrono::Utc>,
    pub figures: Figures,
    /// Oldest first.
    pub months: Vec<Month>,
}

/// Lays a report out as a PDF.
pub trait Reports: Send + Sync {
    fn render(&self, report: &Report) -> Result<Vec<u8>, String>;
}

pub type DynReports = Arc<dyn Reports>;

/// The functions that render no report.
pub struct NoReports;

impl Reports for NoReports {
    fn render(&self, _: &Report) -> Result<Vec<u8>, String> {
        Err("reports are rendered by the report function only".into())
    }
}

#[utoipa::path(
    get,
    path = "/api/admin/export/report",
    tag = "Exports",
    operation_id = "exportReport",
    summary = "Rapport global (PDF)",
    description = "Un PDF (`rapport_<date>.pdf`, texte cherchable) : les statistiques de la plateforme, des graphiques vectoriels (comptes par rôle, prestataires, paiements encaissés par type) et les tendances des six derniers mois (inscriptions, montants encaissés).",
    responses(
        (status = 200, description = "Le PDF.", content_type = "application/pdf"),
        (status = 303, description = "Le fichier, trop grand pour la réponse, derrière un lien (`Location`).", body = crate::answers::Envelope<crate::exports::Link>),
    )
)]
async fn report(State(state): State<AppState>, _caller: AuthUser) -> ApiResult<Response> {
    let now = chrono::Utc::now();
    let (figures, months) = tokio::try_join!(
        figures(&state.store),
        trends::last_months(&state.store, now, MONTHS)
    )?;
    let report = Report {
        generated_at: now,
        figures,
        months,
    };
    let reports = state.reports.clone();
    // Laying out and writing a PDF is a few hundred milliseconds of work: off the runtime.
    let bytes = tokio::task::spawn_blocking(move || reports.render(&report))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "the report could not be rendered");
            ApiError::new(ErrorKind::Unavailable, "Le rapport n'a pas pu être généré")
        })?;
    let name = format!("rapport_{}.pdf", &web::time::format(now)[..10]);
    crate::exports::delivered(&state, &name, "application/pdf", bytes).await
}
