//! `marketplace-admin.md` §1: the dashboard's figures in one call, every one read from a
//! counter moved in the same transaction as the write that changes it, with the 5 latest
//! members and providers in full: one store round trip in sequence (the counters, the latest
//! lists and the latest providers' accounts beside each other), never a scan.

use super::figures::{Contacts, Payments, Providers, Reviews, Services, Users, figures};
use crate::AppState;
use crate::answers::{self, Envelope};
use crate::providers::view::ProviderView;
use crate::providers::{self, Provider, Verification};
use crate::role::Role;
use crate::users::{self, User, UserView};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use store::{DynStore, Query};
use web::ApiResult;
use web::auth::AuthUser;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::Choice;

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(stats, Access::Roles(Role::ADMIN))]
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

/// How many of the latest members and providers the dashboard shows.
const RECENT: u32 = 5;

/// The `count` latest providers, from each verification status's list at once.
async fn latest_providers(store: &DynStore, count: u32) -> ApiResult<Vec<Provider>> {
    let lists = Verification::ALL.iter().map(|status| {
        let partition = providers::verification_partition(status.as_str());
        let query = Query::partition(providers::BY_VERIFICATION, partition)
            .backward()
            .limit(count);
        web::item::first_page::<Provider>(store, query)
    });
    let pages = futures_util::future::try_join_all(lists).await?;
    let mut latest: Vec<Provider> = pages.into_iter().flatten().collect();
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
    let members = Query::partition(users::MEMBERS, users::MEMBERS_PARTITION)
        .backward()
        .limit(5);
    let accounts = Query::partition(users::PROVIDER_ACCOUNTS, users::PROVIDER_ACCOUNTS_PARTITION)
        .backward()
        .limit(RECENT);
    let (figures, members, latest, accounts) = tokio::try_join!(
        figures(store),
        web::item::first_page::<User>(store, members),
        latest_providers(store, RECENT),
        web::item::first_page::<User>(store, accounts),
    )?;
    Ok(answers::ok(Dashboard {
        users: figures.users,
        providers: figures.providers,
        services: figures.services,
        reviews: figures.reviews,
        contacts: figures.contacts,
        payments: figures.payments,
        recent_users: members.iter().map(UserView::from).collect(),
        recent_providers: ProviderView::all_with(&state, latest, accounts).await?,
    }))
}
