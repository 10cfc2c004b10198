//! The lists' query parameters as the document describes them. The handlers read each as
//! sent and check it with its own message (`crate::listing`).
#![allow(dead_code)] // described, never built

use super::schemas::{OrderState, SubscriptionStatus};

/// `GET /api/users`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    /// Page number (from 1).
    #[param(minimum = 1, maximum = 100000, default = 1)]
    page: Option<i64>,
    /// Items per page (capped at 100).
    #[param(minimum = 1, default = 20)]
    limit: Option<i64>,
    email: Option<String>,
    #[param(inline)]
    status: Option<SubscriptionStatus>,
}

/// `GET /api/orders`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrdersQuery {
    /// Page number (from 1).
    #[param(minimum = 1, maximum = 100000, default = 1)]
    page: Option<i64>,
    /// Items per page (capped at 100).
    #[param(minimum = 1, default = 10)]
    limit: Option<i64>,
    #[param(inline)]
    status: Option<OrderState>,
    #[param(minimum = 1, maximum = 4)]
    level: Option<i64>,
    email: Option<String>,
    #[param(rename = "dateFrom")]
    date_from: Option<String>,
    #[param(rename = "dateTo")]
    date_to: Option<String>,
}

/// `GET /api/expert/orders/pending`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    #[param(minimum = 1, maximum = 100000, default = 1)]
    page: Option<i64>,
    #[param(minimum = 1, default = 20)]
    limit: Option<i64>,
}
