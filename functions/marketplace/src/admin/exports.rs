//! `marketplace-admin.md` §8: the users, providers, reviews and contacts as CSV files named
//! with the day, each read from its list (never a scan), newest first, every cell safe for
//! spreadsheets; a file too large for Lambda's answer waits behind a link.

use crate::AppState;
use crate::contacts::{self, Contact};
use crate::exports::csv_delivered;
use crate::providers::{self, Provider, Verification};
use crate::reviews::{self, Review};
use crate::role::Role;
use crate::users::{self, User};
use axum::extract::State;
use axum::response::Response;
use serde::de::DeserializeOwned;
use store::{DynStore, Index, Query};
use web::ApiResult;
use web::auth::AuthUser;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::Choice;

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(users_csv, Access::Roles(Role::ADMIN)),
        route!(providers_csv, Access::Roles(Role::ADMIN)),
        route!(reviews_csv, Access::Roles(Role::ADMIN)),
        route!(contacts_csv, Access::Roles(Role::ADMIN)),
    ]
}

/// Every record of the lists `partitions` of `index`, each list newest first.
async fn listed<T: DeserializeOwned>(
    store: &DynStore,
    index: Index,
    partitions: Vec<String>,
) -> ApiResult<Vec<T>> {
    let lists = partitions.into_iter().map(|partition| {
        web::pagination::read_all(store, Query::partition(index, partition).backward())
    });
    futures_util::future::try_join_all(lists)
        .await?
        .into_iter()
        .flatten()
        .map(web::item::parse)
        .collect()
}

/// `kind_YYYY-MM-DD.csv`.
fn file_name(kind: &str) -> String {
    format!("{kind}_{}.csv", &web::time::now()[..10])
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

#[utoipa::path(
    get,
    path = "/api/admin/export/users",
    tag = "Exports",
    operation_id = "exportUsers",
    summary = "Export des utilisateurs (CSV)",
    description = "Tous les comptes (clients, prestataires, administrateurs), du plus récent au plus ancien : `users_<date>.csv`. Un fichier de plus de 4 Mo (100 000 comptes) répond `303` vers un lien valable 10 minutes.",
    responses(
        (status = 200, description = "Le fichier CSV.", content_type = "text/csv"),
        (status = 303, description = "Le fichier, trop grand pour la réponse, derrière un lien (`Location`).", body = crate::answers::Envelope<crate::exports::Link>),
    )
)]
async fn users_csv(State(state): State<AppState>, _caller: AuthUser) -> ApiResult<Response> {
    let roles = Role::ALL
        .iter()
        .map(|r| users::role_partition(r.as_str()))
        .collect();
    let mut all: Vec<User> = listed(&state.store, users::BY_ROLE, roles).await?;
    all.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let rows = all.iter().map(|u| {
        vec![
            u.id.clone(),
            u.first_name.clone(),
            u.last_name.clone(),
            u.email.clone(),
            text(&u.phone_number),
            text(&u.country),
            text(&u.gender),
            u.role.clone(),
            u.is_active.to_string(),
            u.is_email_verified.to_string(),
            text(&u.last_login),
            u.created_at.clone(),
        ]
    });
    let header = [
        "id",
        "firstName",
        "lastName",
        "email",
        "phoneNumber",
        "country",
        "gender",
        "role",
        "isActive",
        "isEmailVerified",
        "lastLogin",
        "createdAt",
    ];
    csv_delivered(&state, &file_name("users"), &header, rows).await
}

#[utoipa::path(
    get,
    path = "/api/admin/export/providers",
    tag = "Exports",
    operation_id = "exportProviders",
    summary = "Export des prestataires (CSV)",
    description = "Tous les prestataires, du plus récent au plus ancien : `providers_<date>.csv`.",
    responses(
        (status = 200, description = "Le fichier CSV.", content_type = "text/csv"),
        (status = 303, description = "Le fichier, trop grand pour la réponse, derrière un lien (`Location`).", body = crate::answers::Envelope<crate::exports::Link>),
    )
)]
async fn providers_csv(State(state): State<AppState>, _caller: AuthUser) -> ApiResult<Response> {
    let statuses = Verification::ALL
        .iter()
        .map(|v| providers::verification_partition(v.as_str()))
        .collect();
    let mut all: Vec<Provider> = listed(&state.store, providers::BY_VERIFICATION, statuses).await?;
    all.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let rows = all.iter().map(|p| {
        vec![
            p.id.clone(),
            p.business_name.clone(),
            p.user_id.clone(),
            p.location.clone(),
            p.activities.join("; "),
            p.is_verified.to_string(),
            p.verification_status.clone(),
            p.is_featured.to_string(),
            text(&p.featured_until),
            p.is_active.to_string(),
            p.views_count.to_string(),
            p.contacts_count.to_string(),
            p.average_rating.to_string(),
            p.total_reviews.to_string(),
            p.created_at.clone(),
        ]
    });
    let header = [
        "id",
        "businessName",
        "userId",
        "location",
        "activities",
        "isVerified",
        "verificationStatus",
        "isFeatured",
        "featuredUntil",
        "isActive",
        "viewsCount",
        "contactsCount",
        "averageRating",
        "totalReviews",
        "createdAt",
    ];
    csv_delivered(&state, &file_name("providers"), &header, rows).await
}

#[utoipa::path(
    get,
    path = "/api/admin/export/reviews",
    tag = "Exports",
    operation_id = "exportReviews",
    summary = "Export des avis (CSV)",
    description = "Tous les avis, visibles ou masqués, du plus récent au plus ancien : `reviews_<date>.csv`.",
    responses(
        (status = 200, description = "Le fichier CSV.", content_type = "text/csv"),
        (status = 303, description = "Le fichier, trop grand pour la réponse, derrière un lien (`Location`).", body = crate::answers::Envelope<crate::exports::Link>),
    )
)]
async fn reviews_csv(State(state): State<AppState>, _caller: AuthUser) -> ApiResult<Response> {
    let partitions = vec![reviews::ALL_PARTITION.to_owned()];
    let all: Vec<Review> = listed(&state.store, reviews::ALL, partitions).await?;
    let rows = all.iter().map(|r| {
        vec![
            r.id.clone(),
            r.provider_id.clone(),
            r.user_id.clone(),
            r.author.clone(),
            r.rating.to_string(),
            r.comment.clone(),
            r.is_visible.to_string(),
            r.created_at.clone(),
        ]
    });
    let header = [
        "id",
        "providerId",
        "userId",
        "author",
        "rating",
        "comment",
        "isVisible",
        "createdAt",
    ];
    csv_delivered(&state, &file_name("reviews"), &header, rows).await
}

#[utoipa::path(
    get,
    path = "/api/admin/export/contacts",
    tag = "Exports",
    operation_id = "exportContacts",
    summary = "Export des demandes de contact (CSV)",
    description = "Toutes les demandes de contact, de la plus récente à la plus ancienne : `contacts_<date>.csv`.",
    responses(
        (status = 200, description = "Le fichier CSV.", content_type = "text/csv"),
        (status = 303, description = "Le fichier, trop grand pour la réponse, derrière un lien (`Location`).", body = crate::answers::Envelope<crate::exports::Link>),
    )
)]
async fn contacts_csv(State(state): State<AppState>, _caller: AuthUser) -> ApiResult<Response> {
    let partitions = vec![contacts::ALL_PARTITION.to_owned()];
    let all: Vec<Contact> = listed(&state.store, contacts::ALL, partitions).await?;
    let rows = all.iter().map(|c| {
        vec![
            c.id.clone(),
            c.provider_id.clone(),
            c.user_id.clone(),
            c.sender_name.clone(),
            c.sender_email.clone(),
            text(&c.phone_number),
            c.message.clone(),
            c.status.clone(),
            c.created_at.clone(),
            text(&c.read_at),
        ]
    });
    let header = [
        "id",
        "providerId",
        "userId",
        "senderName",
        "senderEmail",
        "phoneNumber",
        "message",
        "status",
        "createdAt",
        "readAt",
    ];
    csv_delivered(&state, &file_name("contacts"), &header, rows).await
}
