//! `GET /api/health` and `GET /api/stats`.

use super::*;

both!(
    health_answers_with_its_store,
    |app: ProductApp| async move {
        let reply = app.get("/api/health", None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["status"], "ok");
        assert_eq!(reply.body["store"], "ok");
    }
);

both!(stats_count_what_was_written, |app: ProductApp| async move {
    let awa = fan(&app, "awa@example.com", "om").await;
    let moussa = fan(&app, "moussa@example.com", "psg").await;
    fund(&app, &awa, 30).await;
    for amount in [json!(5), json!(7.25)] {
        let body = json!({"recipientId": moussa.id, "amount": amount});
        let reply = app.post("/api/wallet/send", Some(&awa.token), body).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    app.caller("gate").await;
    let stats = app.get("/api/stats", None).await;
    assert_eq!(stats.status, StatusCode::OK, "{:?}", stats.body);
    assert_eq!(
        stats.body,
        json!({"fans": 2, "accounts": 3, "transactions": 3, "transfers": 2, "transferred": 12.25})
    );
});
