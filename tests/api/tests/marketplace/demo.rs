//! The local server's demo data: a marketplace in use, with something in every list and
//! every state, made through the API itself.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_marketplace_has_every_state_and_counts_it() {
    let app = marketplace(api_tests::Backend::Embedded).await;
    app.seed_demo().await;
    app.seed_demo().await; // a second start adds nothing
    let password = app.env.own_var("DEMO_PASSWORD").unwrap();
    let signed = login(&app, "admin@marketplace.local", &password).await;
    let admin = signed.body["data"]["token"].as_str().unwrap().to_owned();
    let stats = app.get("/api/admin/stats", Some(&admin)).await;
    let data = &stats.body["data"];
    assert_eq!(
        data["providers"],
        json!({"total": 4, "active": 2, "pending": 2, "featured": 1}),
        "{data}"
    );
    assert_eq!(data["services"]["total"], 3);
    assert_eq!(
        data["reviews"],
        json!({"total": 2, "averageRating": "4.50"})
    );
    assert_eq!(data["contacts"], json!({"total": 2, "pending": 2}));
    assert_eq!(
        data["payments"],
        json!({"total": 5, "totalAmount": 7000, "accepted": 2, "pending": 1, "refused": 1, "cancelled": 1})
    );
    let public = app.get("/api/providers", None).await;
    assert_eq!(public.body["data"]["pagination"]["total"], 2);
    let first = &public.body["data"]["providers"][0];
    assert_eq!(
        first["businessName"], "Salon Awa Coiffure",
        "featured first"
    );
    assert_eq!(public.body["data"]["providers"][1]["isBoosted"], true);
    let banners = app.get("/api/banners", None).await;
    assert_eq!(banners.body["data"]["banners"].as_array().unwrap().len(), 2);
    for (status, count) in [("pending", 1), ("revisions_requested", 1), ("approved", 4)] {
        let path = format!("/api/admin/provider-applications?status={status}");
        let list = app.get(&path, Some(&admin)).await;
        assert_eq!(list.body["data"]["pagination"]["total"], count, "{status}");
    }
    let refused = app
        .get(
            "/api/admin/security-logs?eventType=login_failed",
            Some(&admin),
        )
        .await;
    assert_eq!(refused.body["data"]["logs"].as_array().unwrap().len(), 2);
    let chain = app.get("/api/admin/audit-logs/verify", Some(&admin)).await;
    assert_eq!(chain.body["data"]["valid"], true, "{:?}", chain.body);
}
