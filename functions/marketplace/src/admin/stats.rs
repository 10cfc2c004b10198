//! `marketplace-admin.md` §1: the dashboard's figures in one call, every one read from a
//! counter moved in the same transaction as the write that changes it, with the 5 latest
//! members and providers in full: two store round trips in sequence (the counters and the
//! latest lists beside each other, then the latest providers' accounts), never a scan.

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::payments::PaymentStatus;
use crate::payments::totals::Totals;
use crate::providers::view::ProviderView;
use crate::providers::{self, Provider, Verification};
use crate::role::Role;
use crate::users::{self, User, UserView};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use store::{DynStore, Query};
use web::auth::AuthUser;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::Choice;
use web::{ApiResult, counters};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(stats, Access::Roles(Role::ADMIN))]
}

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
struct Users {
    /// Tous les comptes (clients, prestataires, administrateurs).
    #[schema(example = json!(150))]
    total: u64,
    #[schema(example = json!(120))]
    clients: u64,
    #[schema(example = json!(30))]
    providers: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ProviderStats)]
struct Providers {
    #[schema(example = json!(30))]
    total: u64,
    /// Vérifiés (`isVerified = true`).
    #[schema(example = json!(25))]
    active: u64,
    /// Non vérifiés (`isVerified = false`).
    #[schema(example = json!(5))]
    pending: u64,
    /// Mis en avant.
    #[schema(example = json!(3))]
    featured: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ServiceStats)]
struct Services {
    /// Services actifs.
    #[schema(example = json!(85))]
    total: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ReviewStats)]
struct Reviews {
    /// Avis visibles.
    #[schema(example = json!(200))]
    total: u64,
    /// Moyenne des avis visibles, sur 5, avec deux décimales.
    #[schema(example = json!("4.35"))]
    average_rating: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ContactStats)]
struct Contacts {
    #[schema(example = json!(500))]
    total: u64,
    /// Non lues par le prestataire.
    #[schema(example = json!(45))]
    pending: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PaymentStats)]
struct Payments {
    #[schema(example = json!(150))]
    total: u64,
    /// Montant total accepté, en FCFA.
    #[schema(example = json!(2500000))]
    total_amount: u64,
    accepted: u64,
    pending: u64,
    refused: u64,
    cancelled: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct Dashboard {
    users: Users,
    providers: Providers,
    services: Services,
    reviews: Reviews,
    contacts: Contacts,
    payments: Payments,
    /// Les 5 derniers inscrits (clients et prestataires).
    recent_users: Vec<UserView>,
    /// Les 5 derniers prestataires, en entier.
    recent_providers: Vec<ProviderView>,
}

/// The `count` latest providers, from each verification status's list at once.
async fn latest_providers(store: &DynStore, count: u32) -> ApiResult<Vec<Provider>> {
    let lists = Verification::ALL.iter().map(|status| {
        let partition = providers::verification_partition(status.as_str());
        let query = Query::partition(providers::BY_VERIFICATION, partition)
            .backward()
            .limit(count);
        store.query(query)
    });
    let pages = futures_util::future::try_join_all(lists).await?;
    let mut latest: Vec<Provider> = pages
        .into_iter()
        .flat_map(|page| page.items)
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    latest.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    latest.truncate(count as usize);
    Ok(latest)
}

#[utoipa::path(
    get,
    path = "/api/admin/stats",
    tag = "Tableau de bord",
    operation_id = "adminStats",
    summary = "Tableau de bord principal",
    description = "Toutes les statistiques de la plateforme en un appel, chacune lue dans un compteur tenu par l'écriture qui la change (jamais en comptant la table), et les 5 derniers inscrits et prestataires en entier.",
    responses((status = 200, description = "Les statistiques.", body = Envelope<Dashboard>))
)]
async fn stats(
    State(state): State<AppState>,
    _caller: AuthUser,
) -> ApiResult<Json<Envelope<Dashboard>>> {
    let store = &state.store;
    let names: Vec<String> = COUNTERS.iter().map(|n| (*n).to_owned()).collect();
    let members = Query::partition(users::MEMBERS, users::MEMBERS_PARTITION)
        .backward()
        .limit(5);
    let members = async { Ok::<_, web::ApiError>(store.query(members).await?) };
    let (values, payments, members, latest) = tokio::try_join!(
        counters::totals(store, &names),
        Totals::read(store),
        members,
        latest_providers(store, 5),
    )?;
    let value = |name: &str| {
        COUNTERS
            .iter()
            .position(|n| *n == name)
            .and_then(|i| values.get(i).copied())
            .unwrap_or(0)
    };
    let recent_users: Vec<User> = members
        .items
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    let visible = value(crate::reviews::VISIBLE_TOTAL);
    let average = crate::reviews::rounded(value(crate::reviews::RATING_SUM), visible);
    Ok(answers::ok(Dashboard {
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
        recent_users: recent_users.iter().map(UserView::from).collect(),
        recent_providers: ProviderView::all(&state, latest).await?,
    }))
}
