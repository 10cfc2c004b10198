//! `marketplace-admin.md` §6: every payment of the platform for the financial follow-up,
//! filtered by status and type, with the totals by status and type read from counters.

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::paging::{Pagination, choice_filter};
use crate::payments::totals::{Summary, Totals};
use crate::payments::{self, Payment, PaymentStatus, PaymentType};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::{Cond, Query};
use web::ApiResult;
use web::auth::AuthUser;
use web::extract::Query as QueryParams;
use web::pagination::{Pager, read_page};
use web::route;
use web::routes::{Access, Endpoint};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(list, Access::Roles(Role::ADMIN))]
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Éléments par page (défaut 20, plafonné à 100).
    #[param(value_type = Option<i64>, minimum = 1, default = 20)]
    limit: Option<String>,
    #[param(value_type = Option<PaymentStatus>)]
    status: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<PaymentType>)]
    kind: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = PaymentPage)]
struct Payments {
    payments: Vec<Payment>,
    pagination: Pagination,
    /// Les totaux de la plateforme, quels que soient les filtres.
    totals: Summary,
}

#[utoipa::path(
    get,
    path = "/api/admin/payments",
    tag = "Paiements",
    operation_id = "adminPayments",
    summary = "Historique des paiements",
    description = "Tous les paiements, du plus récent au plus ancien : montant (FCFA), type, statut, dates, l'utilisateur et le prestataire. `status` et `type` filtrent. Les totaux (encaissé, en attente, par statut, par type pour les paiements acceptés) sont tenus par des compteurs écrits avec chaque paiement. Les paiements d'un compte supprimé sont gardés, anonymisés, pour ces totaux.",
    params(ListParams),
    responses(
        (status = 200, description = "Une page de paiements et les totaux.", body = Envelope<Payments>),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn list(
    State(state): State<AppState>,
    _caller: AuthUser,
    QueryParams(params): QueryParams<ListParams>,
) -> ApiResult<Json<Envelope<Payments>>> {
    let pager = Pager::parse(params.page.as_deref(), params.limit.as_deref(), 20)?;
    let status = choice_filter::<PaymentStatus>("status", params.status.as_deref())?;
    let kind = choice_filter::<PaymentType>("type", params.kind.as_deref())?;
    let query = match (status, kind) {
        (Some(status), Some(kind)) => {
            Query::partition(payments::BY_STATUS, payments::status_partition(status))
                .filter(Cond::eq("type", kind.as_str()))
        }
        (Some(status), None) => {
            Query::partition(payments::BY_STATUS, payments::status_partition(status))
        }
        (None, Some(kind)) => Query::partition(payments::BY_TYPE, payments::type_partition(kind)),
        (None, None) => Query::partition(store::Index::Table, payments::PARTITION),
    };
    let (items, totals) = tokio::join!(
        read_page(&state.store, query.backward(), pager),
        Totals::read(&state.store)
    );
    let totals = totals?;
    let payments = items?
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok(answers::ok(Payments {
        payments,
        pagination: Pagination::new(pager, totals.of(status, kind).count),
        totals: Summary::from(&totals),
    }))
}
