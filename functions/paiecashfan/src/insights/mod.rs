//! Insights (`/api/ai/...`): recommendations, a summary of the fan's money, and predictions,
//! each computed from the fan's own data (every posting of their wallet in the ledger, their
//! orders, tickets and eSIMs, their club) and the club's catalogue. Nothing is random and no
//! figure is fixed: the same data gives the same answer, the totals are the ledger's to the
//! cent, and every answer says what it was computed from (`computedFrom`).

mod fan;
mod flows;
mod overview;
mod predict;
mod recommend;

use crate::AppState;
use web::route;
use web::routes::{Access, Endpoint};

pub use predict::WINDOW_DAYS;

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(recommend::recommendations, Access::AnyUser),
        route!(overview::insights, Access::AnyUser),
        route!(predict::predictions, Access::AnyUser),
    ]
}
