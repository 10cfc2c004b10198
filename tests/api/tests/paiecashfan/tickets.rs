//! Tickets: events with their seats, a purchase at the current price that never sells a seat
//! that is not there, QR codes a gate verifies with the public key alone, the gate's single
//! use, and refunds that revoke.

use super::*;
use paiecashfan::tickets::signing;

const DERBY: &str = "psg-om-2027-02-08";

async fn buy(app: &ProductApp, fan: &Fan, category: &str, price: Value) -> api_tests::Reply {
    let body = json!({"eventId": DERBY, "category": category, "price": price});
    app.post("/api/tickets/purchase", Some(&fan.token), body)
        .await
}

async fn public_key(app: &ProductApp) -> String {
    let events = app.get("/api/tickets/events?club=psg", None).await;
    events.body["events"][0]["publicKey"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The code of `fan`'s ticket `id`, read from its PNG QR code as a phone's camera would.
async fn scanned_code(app: &ProductApp, fan: &Fan, id: &str) -> String {
    let png = app
        .get_raw(
            &format!("/api/tickets/{id}/qr?format=png"),
            Some(&fan.token),
        )
        .await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(png.headers["content-type"], "image/png");
    scan(&png.bytes)
}

/// The text of a PNG QR code, read as a phone's camera would.
fn scan(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let (w, h) = (frame.width as usize, frame.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    let (_, text) = grids[0].decode().unwrap();
    text
}

both!(
    events_show_their_categories_and_seats_left,
    |app: ProductApp| async move {
        let all = app.get("/api/tickets/events", None).await;
        assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
        assert_eq!(all.body["events"].as_array().unwrap().len(), 3);
        let psg = app.get("/api/tickets/events?club=psg", None).await;
        let derby = &psg.body["events"][0];
        assert_eq!(
            (derby["id"].as_str(), derby["clubId"].as_str()),
            (Some(DERBY), Some("psg"))
        );
        assert_eq!(derby["price"], 35.0);
        assert_eq!(
            derby["categories"],
            json!([
                {"name": "tribune", "price": 35.0, "available": 200},
                {"name": "premium", "price": 89.99, "available": 50},
                {"name": "loge", "price": 250.0, "available": 1},
            ])
        );
        assert!(derby["publicKey"].as_str().unwrap().len() >= 43);
    }
);

both!(
    a_purchase_takes_a_seat_at_the_current_price,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        fund(&app, &awa, 100).await;
        let stale = buy(&app, &awa, "premium", json!(79.99)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{:?}", stale.body);
        assert_eq!(stale.body["error"]["details"]["price"], 89.99);
        let unknown = buy(&app, &awa, "pelouse", json!(10)).await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        let no_event = app
            .post(
                "/api/tickets/purchase",
                Some(&awa.token),
                json!({"eventId": "nope", "category": "premium", "price": 89.99}),
            )
            .await;
        assert_eq!(no_event.status, StatusCode::NOT_FOUND);
        let poor = buy(&app, &awa, "loge", json!(250)).await;
        assert_eq!(poor.status, StatusCode::BAD_REQUEST, "{:?}", poor.body);
        assert_eq!(poor.body["error"]["message"], "Solde insuffisant");

        let bought = buy(&app, &awa, "premium", json!(89.99)).await;
        assert_eq!(bought.status, StatusCode::CREATED, "{:?}", bought.body);
        let ticket = &bought.body["ticket"];
        assert_eq!(
            (ticket["category"].as_str(), ticket["status"].as_str()),
            (Some("premium"), Some("valid"))
        );
        assert_eq!(balance(&app, &awa).await, 10.01);
        let events = app.get("/api/tickets/events?club=psg", None).await;
        assert_eq!(events.body["events"][0]["categories"][1]["available"], 49);
        assert_eq!(events.body["events"][0]["categories"][2]["available"], 1);
        let mine = app.get("/api/tickets/my-tickets", Some(&awa.token)).await;
        assert_eq!(mine.body["tickets"][0]["id"], ticket["id"]);
        let report = ledger_holds(&app).await;
        assert_eq!(report.spent, 8999);
    }
);

both!(
    a_qr_code_is_verified_with_the_public_key_alone,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        let moussa = fan(&app, "moussa@example.com", "psg").await;
        fund(&app, &awa, 100).await;
        let ticket = buy(&app, &awa, "tribune", json!(35)).await.body["ticket"].clone();
        let id = ticket["id"].as_str().unwrap();

        let code = scanned_code(&app, &awa, id).await;
        let claims = signing::verify(&public_key(&app).await, &code).unwrap();
        assert_eq!(
            (claims.t.as_str(), claims.e.as_str(), claims.c.as_str()),
            (id, DERBY, "tribune")
        );
        let svg = app
            .get_raw(&format!("/api/tickets/{id}/qr"), Some(&awa.token))
            .await;
        assert_eq!(svg.headers["content-type"], "image/svg+xml");
        assert_eq!(
            String::from_utf8(svg.bytes.clone()).unwrap(),
            paiecashfan::qr::svg(&code).unwrap()
        );
        // Only its owner reads it.
        let theirs = app
            .get(&format!("/api/tickets/{id}/qr"), Some(&moussa.token))
            .await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);

        // A tampered code: another category in the payload, the signature kept.
        let parts: Vec<&str> = code.split('.').collect();
        let forged = signing::Claims {
            c: "loge".into(),
            ..claims
        };
        let payload = base64_url(&serde_json::to_vec(&forged).unwrap());
        let tampered = format!("PCF1.{payload}.{}", parts[2]);
        assert!(signing::verify(&public_key(&app).await, &tampered).is_none());

        let gate = app.caller("gate").await.access_token;
        let refused = app
            .post(
                "/api/tickets/redeem",
                Some(&gate),
                json!({"code": tampered}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{:?}",
            refused.body
        );
        assert_eq!(refused.body["error"]["message"], "Billet invalide");
        let fans_cannot = app
            .post(
                "/api/tickets/redeem",
                Some(&awa.token),
                json!({"code": code}),
            )
            .await;
        assert_eq!(fans_cannot.status, StatusCode::FORBIDDEN);
        let first = app
            .post("/api/tickets/redeem", Some(&gate), json!({"code": code}))
            .await;
        assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
        assert_eq!(first.body["valid"], true);
        let second = app
            .post("/api/tickets/redeem", Some(&gate), json!({"code": code}))
            .await;
        assert_eq!(second.status, StatusCode::CONFLICT, "{:?}", second.body);
        assert_eq!(
            second.body["error"]["details"]["firstUsedAt"],
            first.body["redeemedAt"]
        );
    }
);

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

both!(
    a_refund_credits_back_frees_the_seat_and_revokes_the_code,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        fund(&app, &awa, 100).await;
        let ticket = buy(&app, &awa, "premium", json!(89.99)).await.body["ticket"].clone();
        let id = ticket["id"].as_str().unwrap();
        let code = scanned_code(&app, &awa, id).await;

        let admin = app.caller("admin").await.access_token;
        let gate = app.caller("gate").await.access_token;
        let not_gate = app
            .post(&format!("/api/tickets/{id}/refund"), Some(&gate), json!({}))
            .await;
        assert_eq!(not_gate.status, StatusCode::FORBIDDEN);
        let refunded = app
            .post(
                &format!("/api/tickets/{id}/refund"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(refunded.status, StatusCode::OK, "{:?}", refunded.body);
        assert_eq!(refunded.body["ticket"]["status"], "refunded");
        assert_eq!(balance(&app, &awa).await, 100.0);
        let events = app.get("/api/tickets/events?club=psg", None).await;
        assert_eq!(events.body["events"][0]["categories"][1]["available"], 50);
        let again = app
            .post(
                &format!("/api/tickets/{id}/refund"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);

        let list = app
            .get(&format!("/api/tickets/events/{DERBY}/revoked"), Some(&gate))
            .await;
        assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
        assert_eq!(list.body["revoked"], json!([id]));
        assert_eq!(list.body["publicKey"], public_key(&app).await);
        let revoked = app
            .post("/api/tickets/redeem", Some(&gate), json!({"code": code}))
            .await;
        assert_eq!(revoked.status, StatusCode::CONFLICT, "{:?}", revoked.body);
        let qr = app
            .get(&format!("/api/tickets/{id}/qr"), Some(&awa.token))
            .await;
        assert_eq!(qr.status, StatusCode::CONFLICT);

        // A ticket used at the gate is not refunded.
        let used = buy(&app, &awa, "tribune", json!(35)).await.body["ticket"].clone();
        let used_id = used["id"].as_str().unwrap();
        let code = scanned_code(&app, &awa, used_id).await;
        let admitted = app
            .post("/api/tickets/redeem", Some(&gate), json!({"code": code}))
            .await;
        assert_eq!(admitted.status, StatusCode::OK);
        let late = app
            .post(
                &format!("/api/tickets/{used_id}/refund"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(late.status, StatusCode::CONFLICT, "{:?}", late.body);
        let report = ledger_holds(&app).await;
        assert_eq!(report.spent, 3500);
    }
);

both!(
    two_fans_buying_the_last_seat_one_wins,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        let moussa = fan(&app, "moussa@example.com", "psg").await;
        fund(&app, &awa, 300).await;
        fund(&app, &moussa, 300).await;
        let (a, m) = tokio::join!(
            buy(&app, &awa, "loge", json!(250)),
            buy(&app, &moussa, "loge", json!(250))
        );
        let loser = one_wins(&a, &m);
        assert_eq!(loser.body["error"]["message"], "Complet");
        let events = app.get("/api/tickets/events?club=psg", None).await;
        assert_eq!(events.body["events"][0]["categories"][2]["available"], 0);
        let report = ledger_holds(&app).await;
        assert_eq!((report.spent, report.wallets), (25000, 60000 - 25000));
    }
);

both!(
    seats_stored_before_they_were_listed_are_still_counted,
    |app: ProductApp| async move {
        use paiecashfan::tickets::{Category, Event, seats_key};
        let event = Event {
            id: "ol-asse-2027-04-04".into(),
            club_id: "ol".into(),
            name: "OL – ASSE".into(),
            venue: "Groupama Stadium".into(),
            starts_at: "2027-04-04T17:00:00.000Z".into(),
            categories: vec![
                Category {
                    name: "virage".into(),
                    price: 2000,
                    seats: 30,
                },
                Category {
                    name: "tribune".into(),
                    price: 4000,
                    seats: 10,
                },
            ],
        };
        for item in event.on_sale().unwrap() {
            app.deps.store.put(item, None).await.unwrap();
        }
        // One category's seats as older data stored them: beside the event, not listed.
        let mut bare = seats_key(&event.id, "tribune").to_item();
        bare.insert("available".into(), 7.into());
        app.deps.store.put(bare, None).await.unwrap();

        let listed = app.get("/api/tickets/events?club=ol", None).await;
        assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
        let categories = &listed.body["events"][0]["categories"];
        assert_eq!(
            (
                categories[0]["available"].as_i64(),
                categories[1]["available"].as_i64()
            ),
            (Some(30), Some(7))
        );
    }
);
