//! Black-box tests of the Oracle Lumira API (`lumira.md`), over HTTP, on both stores.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: failing loudly is the point

use api_tests::{Backend, ProductApp};
use reqwest::StatusCode;

async fn lumira(backend: Backend) -> ProductApp {
    ProductApp::spawn(&lumira::Lumira, backend).await
}

macro_rules! both {
    ($name:ident, $scenario:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                ($scenario)(lumira(Backend::Embedded).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn dynamodb() {
                ($scenario)(lumira(Backend::DynamoDb).await).await;
            }
        }
    };
}

both!(
    health_reports_the_documented_fields,
    |app: ProductApp| async move {
        let reply = app.get("/api/health", None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let body = &reply.body;
        assert_eq!(body["status"], "healthy");
        assert_eq!(body["services"]["database"], "connected");
        assert_eq!(body["services"]["storage"], "connected");
        // The test command's localstripe.
        assert_eq!(body["services"]["stripe"], "configured");
        assert_eq!(body["environment"], "test");
        assert!(body["uptime"].is_u64() && body["version"].is_string());
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
        let memory = &body["memory"];
        assert!(memory["used"].as_u64().unwrap() <= memory["total"].as_u64().unwrap());
        assert!(memory["percentage"].as_u64().unwrap() <= 100);
    }
);

both!(ready_reports_each_service, |app: ProductApp| async move {
    let reply = app.get("/api/ready", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let services = &reply.body["services"];
    assert_eq!(reply.body["ready"], true);
    assert_eq!(services["mongodb"]["connected"], true);
    assert!(services["mongodb"]["responseTime"].is_u64());
    assert_eq!(services["storage"]["connected"], true);
    assert_eq!(services["stripe"]["initialized"], true);
    assert_eq!(services["memory"]["status"], "ok");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_does_not_answer_gives_the_documented_503() {
    let (app, faulty) = ProductApp::spawn_faulty(&lumira::Lumira, Backend::Embedded).await;
    // The rate limit's count and its read of the previous window are the first two store
    // operations; the health check's read the third.
    faulty.fail_after(2);
    let health = app.get("/api/health", None).await;
    faulty.fail_after(2);
    let ready = app.get("/api/ready", None).await;
    faulty.heal();
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    let mut body = health.body.clone();
    assert!(body["timestamp"].is_string());
    body["timestamp"] = "T".into();
    assert_eq!(
        body,
        serde_json::json!({"status": "unhealthy", "timestamp": "T",
                           "error": "Health check failed", "details": "Database connection failed"})
    );
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.body["ready"], false);
    assert_eq!(ready.body["services"]["mongodb"]["connected"], false);
    assert_eq!(app.get("/api/health", None).await.status, StatusCode::OK);
}

both!(errors_are_express_style, |app: ProductApp| async move {
    let reply = app.get("/api/nothing-here", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body, serde_json::json!({"error": "Route not found"}));
});

both!(
    the_catalogue_lists_every_level_as_documented,
    |app: ProductApp| async move {
        let reply = app.get("/api/products", None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let products = reply.body["products"].as_array().unwrap();
        // The document's two products, field for field, first.
        assert_eq!(
            products[..2],
            [
                serde_json::json!({"id": "initie_simple", "name": "Lecture Initiatique Simple",
                    "level": 1, "amountCents": 0, "currency": "eur",
                    "description": "1 carte + PDF 2 pages"}),
                serde_json::json!({"id": "mystique_intuitive", "name": "Lecture Mystique Intuitive",
                    "level": 2, "amountCents": 1400, "currency": "eur",
                    "description": "Profil âme + PDF 4 pages + audio 5 minutes"}),
            ]
        );
        let levels: Vec<_> = products
            .iter()
            .map(|p| p["level"].as_u64().unwrap())
            .collect();
        assert_eq!(levels, [1, 2, 3, 4]);
        assert!(products.iter().all(|p| p["currency"] == "eur"));
        let wrong = app.post("/api/products", None, serde_json::json!({})).await;
        assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(wrong.body["error"].is_string());
    }
);

// After the macro, which they use.
mod backoffice;
mod checkout;
mod consultation;
mod delivery;
mod expert;
mod sanctuaire;
mod staff;
mod submission;
mod webhooks;
