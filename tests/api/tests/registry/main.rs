//! Every registered product (`products::ALL`), through its route table and its registration
//! alone: the authorisation matrix and the fault sweep, on both stores. A product that lands
//! is tested here with no code of its own; its own test binary adds what needs its data
//! (another client's resources, bodies that get a write through).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: failing loudly is the point

mod accounts;
mod edge;
mod generated;
mod live;
mod load_plan;
mod openapi;

use api_tests::faults::{self, FaultCase};
use api_tests::{Backend, ProductApp};
use api_tests::{authz, report};
use std::collections::BTreeMap;
use web::product::{LoadPlan, Product};

/// Runs `check` on a fresh server of every product, on `backend`, and reports every failure.
macro_rules! every_product {
    ($name:ident, $check:path) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                every(Backend::Embedded, $check).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn dynamodb() {
                every(Backend::DynamoDb, $check).await;
            }
        }
    };
}

pub(crate) async fn every<F, Fut>(backend: Backend, check: F)
where
    F: Fn(&'static dyn Product, Backend) -> Fut,
    Fut: Future<Output = Vec<String>>,
{
    let mut failures = Vec::new();
    for product in products::ALL.iter().copied() {
        failures.extend(
            check(product, backend)
                .await
                .into_iter()
                .map(|f| format!("{}: {f}", product.name())),
        );
    }
    report(failures);
}

fn protected(product: &dyn Product) -> bool {
    product.routes().iter().any(|r| !r.access.is_public())
}

async fn bad_credentials(product: &'static dyn Product, backend: Backend) -> Vec<String> {
    if !protected(product) {
        return Vec::new();
    }
    let app = ProductApp::spawn(product, backend).await;
    let Some(top) = product.roles().last() else {
        return vec!["protected routes but no roles".into()];
    };
    let Some(keys) = product.token_keys(&app.env) else {
        return vec!["protected routes but no token keys".into()];
    };
    let caller = app.caller(top).await;
    let credentials = authz::bad_credentials(&caller.access_token, &caller.refresh_token, &keys);
    authz::unauthenticated_failures(&app, product.routes(), &credentials, product.absent_id()).await
}

/// Each route with fresh callers of every role, so a route that ends its caller's session
/// (a logout) cannot spoil the next.
async fn roles(product: &'static dyn Product, backend: Backend) -> Vec<String> {
    if !protected(product) {
        return Vec::new();
    }
    let app = ProductApp::spawn(product, backend).await;
    let mut failures = Vec::new();
    for route in product.routes().iter().filter(|r| !r.access.is_public()) {
        let mut tokens = BTreeMap::new();
        for role in product.roles() {
            tokens.insert(*role, app.caller(role).await.access_token);
        }
        failures.extend(
            authz::role_failures(
                &app,
                std::slice::from_ref(route),
                &[],
                &tokens,
                product.absent_id(),
            )
            .await,
        );
    }
    failures
}

/// The routes a caller can call with nothing prepared (reads without path parameters),
/// failed at every store operation in turn: each answers 503 in the product's dialect and
/// writes nothing, then succeeds once the store is back. Routes that need data or a body
/// are swept by the product's own tests.
async fn store_faults(product: &'static dyn Product, backend: Backend) -> Vec<String> {
    let (app, faulty) = ProductApp::spawn_faulty(product, backend).await;
    // With the demo data, every read has something to find (a route's example query too).
    app.seed_demo().await;
    // A caller of each role, for each route the most trusted role it admits.
    let mut tokens = BTreeMap::new();
    if protected(product) {
        for role in product.roles() {
            tokens.insert(*role, app.caller(role).await.access_token);
        }
    }
    let mut failures = Vec::new();
    for route in product
        .routes()
        .iter()
        .filter(|r| !r.writes() && !r.has_path_params())
    {
        let case = FaultCase {
            route: (route.method, route.path),
            path: route.concrete_uri(""),
            token: product
                .roles()
                .iter()
                .rev()
                .find(|role| !route.access.is_public() && route.access.admits(role))
                .and_then(|role| tokens.get(role).cloned()),
            body: None,
        };
        let is_error = |reply: &api_tests::Reply| app.is_error(reply);
        failures.extend(faults::sweep(&app, &faulty, &case, faults::bookkeeping, &is_error).await);
    }
    failures
}

every_product!(
    every_protected_route_refuses_every_bad_credential,
    bad_credentials
);
every_product!(
    every_role_gets_403_below_a_route_and_passes_at_or_above,
    roles
);
every_product!(reads_fail_whole_when_the_store_fails, store_faults);
every_product!(
    load_plan_lists_grow_by_their_own_adds,
    load_plan::lists_grow_with_their_writes
);
every_product!(
    load_plan_samples_name_demo_data,
    load_plan::samples_name_demo_data
);
every_product!(
    a_new_role_a_new_password_or_a_shut_out_ends_every_session,
    accounts::operator_changes_end_sessions
);
every_product!(
    failed_sign_ins_are_limited_per_account_over_every_address,
    accounts::failed_sign_ins_are_limited_per_account
);
every_product!(
    cors_lets_the_routes_headers_through_to_a_listed_origin,
    edge::cors_lets_the_routes_headers_through
);
every_product!(
    weak_passwords_are_refused_as_djangos_validators_refuse_them,
    accounts::weak_passwords_are_refused
);
every_product!(
    the_local_listener_refuses_other_hosts_and_oversized_requests_in_the_products_words,
    edge::the_local_listener_guards_itself
);
every_product!(
    stalled_and_idle_connections_are_closed,
    edge::stalled_connections_are_closed
);
every_product!(
    an_undeclared_method_is_a_405_in_the_products_words,
    undeclared_methods
);
every_product!(
    websocket_apis_need_the_products_token_and_end_with_the_session,
    live::connections_need_the_products_token_and_end_with_their_session
);

/// Each path's undeclared methods answer 405 with `Allow` and the product's error body.
async fn undeclared_methods(product: &'static dyn Product, backend: Backend) -> Vec<String> {
    let app = ProductApp::spawn(product, backend).await;
    let mut failures = Vec::new();
    for route in product.routes() {
        let declared = |method: &str| {
            product
                .routes()
                .iter()
                .any(|r| r.path == route.path && r.method == method)
        };
        let Some(method) = ["PATCH", "PUT", "DELETE", "POST"]
            .into_iter()
            .find(|m| !declared(m))
        else {
            continue;
        };
        let undeclared = web::routes::Route::new(method, route.path, route.access);
        let reply = app.call_route(&undeclared, "1", None, None).await;
        let allow = reply
            .headers
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if reply.status != reqwest::StatusCode::METHOD_NOT_ALLOWED
            || !allow.contains(route.method)
            || !app.is_error(&reply)
        {
            failures.push(format!(
                "{method} {}: {} (Allow: {allow}) {}",
                route.path, reply.status, reply.body
            ));
        }
    }
    failures
}
