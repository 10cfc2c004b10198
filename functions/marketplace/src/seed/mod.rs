//! The local server's demo data: the admin of the demo login, clients to list and search, and
//! a marketplace in use (`market`).

mod client;
mod market;

pub use client::Client;
pub use market::demo_market;

use crate::role::Role;
use crate::users::{self, NewUser};
use store::DynStore;
use web::ApiResult;

pub const DEMO_ADMIN: &str = "admin@marketplace.local";

/// The demo clients: (first name, last name, email, gender).
const CLIENTS: &[(&str, &str, &str, &str)] = &[
    ("Fatou", "Onana", "fatou.onana@example.com", "female"),
    ("Jean", "Fokou", "jean.fokou@example.com", "male"),
    ("Élodie", "Mbarga", "elodie.mbarga@example.com", "female"),
    ("Marie", "Ndiaye", "marie.ndiaye@example.com", "female"),
];

/// Adds the demo accounts that are absent, all with `password`; whether any was added.
pub async fn demo_accounts(store: &DynStore, password: &str) -> ApiResult<bool> {
    let mut added = false;
    if users::find_by_email(store, DEMO_ADMIN).await?.is_none() {
        users::operator::ensure(store, DEMO_ADMIN, Role::Admin, Some(password)).await?;
        added = true;
    }
    let hash = web::auth::accounts::hash_password(password).await?;
    for (first, last, email, gender) in CLIENTS {
        if users::find_by_email(store, email).await?.is_some() {
            continue;
        }
        let user = NewUser {
            first_name: (*first).into(),
            last_name: (*last).into(),
            email: (*email).into(),
            phone_number: Some("+237 6 99 00 11 22".into()),
            country: Some("Cameroun".into()),
            gender: Some((*gender).into()),
            role: Role::Client,
            password_hash: hash.clone(),
        }
        .into_user(&web::time::now());
        added |= users::create(store, &user).await?;
    }
    Ok(added)
}
