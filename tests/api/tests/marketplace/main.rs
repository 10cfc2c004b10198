//! Black-box tests of the services marketplace (`marketplace-admin.md` and the public side
//! issue 24 fixes), over HTTP, on both stores.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: failing loudly is the point

mod accounts;
mod admin_users;
mod analytics;
mod applications;
mod audit;
mod banners;
mod contacts;
mod deletion;
mod demo;
mod exports;
mod favorites;
mod jobs;
mod mails;
mod own_profile;
mod payments;
mod providers;
mod public;
mod report;
mod reviews;
mod security;
mod services;
mod stats;

use api_tests::{Backend, ProductApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn marketplace(backend: Backend) -> ProductApp {
    ProductApp::spawn(&marketplace::Marketplace, backend).await
}

macro_rules! both {
    ($name:ident, $scenario:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                ($scenario)(marketplace(Backend::Embedded).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn dynamodb() {
                ($scenario)(marketplace(Backend::DynamoDb).await).await;
            }
        }
    };
}
pub(crate) use both;

pub const PASSWORD: &str = "un mot de passe solide";

/// A registration body for `email`, with `first` and `last` names.
pub fn registration(email: &str, first: &str, last: &str) -> Value {
    json!({
        "email": email,
        "password": PASSWORD,
        "firstName": first,
        "lastName": last,
        "phoneNumber": "+237 6 99 00 11 22",
        "country": "Cameroun",
        "gender": "female",
    })
}

/// Registers a client; returns the answer's `data` (token, refreshToken, user).
pub async fn register(app: &ProductApp, email: &str, first: &str, last: &str) -> Value {
    let reply = app
        .post("/api/auth/register", None, registration(email, first, last))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["data"].clone()
}

/// Signs `email` in; returns the whole reply.
pub async fn login(app: &ProductApp, email: &str, password: &str) -> api_tests::Reply {
    app.post(
        "/api/auth/login",
        None,
        json!({"email": email, "password": password}),
    )
    .await
}

/// An admin's access token and account id (an admin made as an operator would, signed in).
pub async fn admin(app: &ProductApp) -> (String, String) {
    let email = format!("{}@admins.marketplace.test", uuid::Uuid::new_v4().simple());
    use web::product::Product;
    marketplace::Marketplace
        .admin_create(&app.deps.store, &email, "admin", Some(PASSWORD))
        .await
        .unwrap();
    let reply = login(app, &email, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let data = &reply.body["data"];
    (
        data["token"].as_str().unwrap().to_owned(),
        data["user"]["id"].as_str().unwrap().to_owned(),
    )
}
