//! What the benchmarks trust of every product's load plan: each paginated list's `total`
//! pointer counts its items, and its `add` request adds one (lists that share an `add` grow
//! together). A plan that broke this would make the scale benchmark time the wrong sizes.

use super::*;
use reqwest::Method;
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};

/// The `k`-th body of the plan's `template`, its `{n}` and `{n8}` made unique, as the load
/// generator makes them.
fn nth_body(template: &str, k: usize) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed) + 90_000_000;
    template
        .replace("{n8}", &format!("{:08}", n % 100_000_000))
        .replace("{n}", &n.to_string())
        .replace("{k}", &k.to_string())
}

/// The product's server with its demo data, and a token of its most trusted role (none
/// for a product without roles).
async fn demo_app(product: &'static dyn Product, backend: Backend) -> (ProductApp, Option<String>) {
    let app = ProductApp::spawn(product, backend).await;
    app.seed_demo().await;
    let token = match product.roles().last() {
        Some(top) => Some(app.caller(top).await.access_token),
        None => None,
    };
    (app, token)
}

async fn counts(app: &ProductApp, token: Option<&str>, plan: &LoadPlan) -> Vec<Option<u64>> {
    let mut counts = Vec::new();
    for list in plan.paginated {
        let reply = app
            .get(&format!("{}?page=1&limit=20", list.list), token)
            .await;
        counts.push(reply.body.pointer(list.total).and_then(Value::as_u64));
    }
    counts
}

pub(crate) async fn lists_grow_with_their_writes(
    product: &'static dyn Product,
    backend: Backend,
) -> Vec<String> {
    let plan = product.load_plan();
    if plan.paginated.is_empty() {
        return Vec::new();
    }
    let (app, token) = demo_app(product, backend).await;
    let before = counts(&app, token.as_deref(), &plan).await;
    let mut failures = Vec::new();
    let mut sent = Vec::new();
    for list in plan.paginated.iter().filter(|l| {
        let first = !sent.contains(&l.add);
        sent.push(l.add);
        first
    }) {
        let (method, path, body) = list.add;
        for k in 1..=2 {
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let reply = app
                .raw(method, path, token.as_deref(), &nth_body(body, k))
                .await;
            if !reply.status.is_success() {
                failures.push(format!(
                    "{} add: {} {:?}",
                    list.entity, reply.status, reply.body
                ));
            }
        }
    }
    let after = counts(&app, token.as_deref(), &plan).await;
    for ((list, before), after) in plan.paginated.iter().zip(before).zip(after) {
        match (before, after) {
            (Some(b), Some(a)) if a == b + 2 => {}
            _ => failures.push(format!(
                "{} ({} at {}): {before:?} before two adds, {after:?} after",
                list.entity, list.list, list.total
            )),
        }
    }
    failures
}

/// Each sample of the load plan reads a value from the demo data and what one of each of
/// the plan's writes made, and its route answers 200 at the path made with it, as the
/// benchmarks will read it (the warm reads, the cold-start probes).
pub(crate) async fn samples_name_demo_data(
    product: &'static dyn Product,
    backend: Backend,
) -> Vec<String> {
    let plan = product.load_plan();
    if plan.samples.is_empty() {
        return Vec::new();
    }
    let (app, token) = demo_app(product, backend).await;
    let routes = product.routes();
    let mut paths: Vec<(&str, String)> = Vec::new();
    let mut failures = Vec::new();
    for (method, path, body) in plan.writes {
        let public = routes
            .iter()
            .any(|r| r.method == *method && r.path == *path && r.access.is_public());
        let caller = token.as_deref().filter(|_| !public);
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let reply = app.raw(method, path, caller, &nth_body(body, 1)).await;
        if !reply.status.is_success() {
            failures.push(format!("write {path}: {} {:?}", reply.status, reply.body));
        }
    }
    for sample in plan.samples {
        let from = paths
            .iter()
            .find(|(route, _)| *route == sample.from)
            .map_or_else(|| sample.from.to_string(), |(_, path)| path.clone());
        let reply = app.get(&from, token.as_deref()).await;
        let Some(value) = sample.value_in(&reply.body) else {
            failures.push(format!(
                "{}: GET {from} answered {} with nothing at {}",
                sample.route, reply.status, sample.pointer
            ));
            continue;
        };
        let Some(route) = routes
            .iter()
            .find(|r| r.method == "GET" && r.path == sample.route)
        else {
            failures.push(format!("{}: no such GET route", sample.route));
            continue;
        };
        let path = route.concrete_uri(&value);
        let read = app.get(&path, token.as_deref()).await;
        if read.status != reqwest::StatusCode::OK {
            failures.push(format!("GET {path}: {} {:?}", read.status, read.body));
        }
        paths.push((sample.route, path));
    }
    failures
}

/// Every document of the load plans is made by its product's own code, as a PDF (and its
/// page, where it has one): the render benchmark and the rendering functions' limits read
/// them.
#[test]
fn load_plan_documents_render_as_pdfs() {
    for product in products::ALL {
        for document in product.load_plan().documents {
            let pdf = (document.render)()
                .unwrap_or_else(|e| panic!("{}: {}: {e}", product.name(), document.name));
            assert!(pdf.starts_with(b"%PDF-"), "{}", document.name);
            if let Some(page) = document.html {
                let html = page().unwrap_or_else(|e| panic!("{}: {e}", document.name));
                assert!(html.contains("<html"), "{}", document.name);
            }
        }
    }
}
