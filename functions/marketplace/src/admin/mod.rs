//! The admin API of `marketplace-admin.md`, under `/api/admin`: every route needs the
//! `admin` role.

pub mod analytics;
pub mod applications;
pub mod audit;
pub mod exports;
pub mod figures;
pub mod payments;
pub mod providers;
pub mod security;
pub mod stats;
pub mod users;

use crate::AppState;
use web::routes::{Endpoint, joined};

pub fn routes() -> Vec<Endpoint<AppState>> {
    joined([
        stats::routes(),
        analytics::routes(),
        users::routes(),
        crate::deletion::route::routes(),
        applications::routes(),
        providers::routes(),
        crate::reviews::admin::routes(),
        payments::routes(),
        security::routes(),
        audit::routes(),
        exports::routes(),
    ])
}
