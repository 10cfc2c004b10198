//! The platform's figures, every one read from a counter moved in the same transaction as
//! the write that changes it: the dashboard's (`GET /api/admin/stats`) and the global
//! report's. Read in one store round trip (the counters and the payments' tally at once).

use crate::payments::PaymentStatus;
use crate::payments::totals::Totals;
use serde::Serialize;
use store::DynStore;
use web::{ApiResult, counters};

/// The counters the dashboard reads, in this order.
const COUNTERS: &[&str] = &[
    "users#client",
    "users#provider",
    "users#admin",
    "providers",
    "providers#verified",
    "providers#unverified",
    "providers#featured",
    "services#active",
    crate::reviews::VISIBLE_TOTAL,
    crate::reviews::RATING_SUM,
    "contacts",
    "contacts#unread",
];

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = UserStats)]
pub struct Users {
    /// Tous les comptes (clients, prestataires, administrateurs).
    #[schema(example = json!(150))]
    pub total: u64,
    #[schema(example = json!(120))]
    pub clients: u64,
    #[schema(example = json!(30))]
    pub providers: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ProviderStats)]
pub struct Providers {
    #[schema(example = json!(30))]
    pub total: u64,
    /// Vérifiés (`isVerified = true`).
    #[schema(example = json!(25))]
    pub active: u64,
    /// Non vérifiés (`isVerified = false`).
    #[schema(example = json!(5))]
    pub pending: u64,
    /// Mis en avant.
    #[schema(example = json!(3))]
    pub featured: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ServiceStats)]
pub struct Services {
    /// Services actifs.
    #[schema(example = json!(85))]
    pub total: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ReviewStats)]
pub struct Reviews {
    /// Avis visibles.
    #[schema(example = json!(200))]
    pub total: u64,
    /// Moyenne des avis visibles, sur 5, avec deux décimales.
    #[schema(example = json!("4.35"))]
    pub average_rating: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ContactStats)]
pub struct Contacts {
    #[schema(example = json!(500))]
    pub total: u64,
    /// Non lues par le prestataire.
    #[schema(example = json!(45))]
    pub pending: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PaymentStats)]
pub struct Payments {
    #[schema(example = json!(150))]
    pub total: u64,
    /// Montant total accepté, en FCFA.
    #[schema(example = json!(2500000))]
    pub total_amount: u64,
    pub accepted: u64,
    pub pending: u64,
    pub refused: u64,
    pub cancelled: u64,
}

/// Every figure, at once.
pub struct Figures {
    pub users: Users,
    pub providers: Providers,
    pub services: Services,
    pub reviews: Reviews,
    pub contacts: Contacts,
    pub payments: Payments,
    /// The payments' counts and amounts by status and type.
    pub payment_totals: Totals,
}

/// Reads every figure.
pub async fn figures(store: &DynStore) -> ApiResult<Figures> {
    let names: Vec<String> = COUNTERS.iter().map(|n| (*n).to_owned()).collect();
    let (values, payments) =
        tokio::try_join!(counters::totals(store, &names), Totals::read(store))?;
    let value = |name: &str| {
        COUNTERS
            .iter()
            .position(|n| *n == name)
            .and_then(|i| values.get(i).copied())
            .unwrap_or(0)
    };
    Ok(Figures::of(value, payments))
}

impl Figures {
    /// The figures of the counters' values (`value` of each counter's name) and the
    /// payments' tally.
    pub fn of(value: impl Fn(&str) -> u64, payments: Totals) -> Figures {
        let visible = value(crate::reviews::VISIBLE_TOTAL);
        let average = crate::reviews::rounded(value(crate::reviews::RATING_SUM), visible);
        Figures {
            users: Users {
                total: value("users#client") + value("users#provider") + value("users#admin"),
                clients: value("users#client"),
                providers: value("users#provider"),
            },
            providers: Providers {
                total: value("providers"),
                active: value("providers#verified"),
                pending: value("providers#unverified"),
                featured: value("providers#featured"),
            },
            services: Services {
                total: value("services#active"),
            },
            reviews: Reviews {
                total: visible,
                average_rating: format!("{average:.2}"),
            },
            contacts: Contacts {
                total: value("contacts"),
                pending: value("contacts#unread"),
            },
            payments: Payments {
                total: payments.of(None, None).count,
                total_amount: payments.of(Some(PaymentStatus::Accepted), None).amount,
                accepted: payments.of(Some(PaymentStatus::Accepted), None).count,
                pending: payments.of(Some(PaymentStatus::Pending), None).count,
                refused: payments.of(Some(PaymentStatus::Refused), None).count,
                cancelled: payments.of(Some(PaymentStatus::Cancelled), None).count,
            },
            payment_totals: payments,
        }
    }
}
