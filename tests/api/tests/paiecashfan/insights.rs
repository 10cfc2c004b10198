//! Insights (`/api/ai/...`): computed from the fan's own ledger, purchases and club, their
//! totals the ledger's to the cent, each answer saying what it read.

use super::*;
use chrono::NaiveDate;
use paiecashfan::shop::Product;

const DERBY: &str = "psg-om-2027-02-08";

async fn send(app: &ProductApp, from: &Fan, to: &Fan, euros: f64) {
    let body = json!({"recipientId": to.id, "amount": euros});
    let reply = app.post("/api/wallet/send", Some(&from.token), body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
}

async fn buy_product(app: &ProductApp, fan: &Fan, product: &str, total: f64) {
    let line = json!({"productId": product, "quantity": 1});
    let added = app.post("/api/shop/cart/add", Some(&fan.token), line).await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let paid = app
        .post(
            "/api/shop/checkout",
            Some(&fan.token),
            json!({"total": total}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
}

async fn buy_seat(app: &ProductApp, fan: &Fan, category: &str, price: f64) -> String {
    let body = json!({"eventId": DERBY, "category": category, "price": price});
    let reply = app
        .post("/api/tickets/purchase", Some(&fan.token), body)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["ticket"]["id"].as_str().unwrap().to_owned()
}

async fn ask(app: &ProductApp, fan: &Fan, what: &str) -> Value {
    let reply = app.get(&format!("/api/ai/{what}"), Some(&fan.token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

/// The fan's whole history as the wallet route answers it.
async fn transactions(app: &ProductApp, fan: &Fan) -> Vec<Value> {
    let reply = app
        .get("/api/wallet/transactions?limit=100", Some(&fan.token))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["transactions"].as_array().unwrap().clone()
}

fn cents(value: &Value) -> i64 {
    (value.as_f64().unwrap() * 100.0).round() as i64
}

fn kinds(side: &Value) -> Vec<(String, i64, i64)> {
    side["byKind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap().to_owned(),
                cents(&k["amount"]),
                k["share"].as_i64().unwrap(),
            )
        })
        .collect()
}

both!(
    insights_add_up_to_the_ledger,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        let moussa = fan(&app, "moussa@example.com", "om").await;
        fund(&app, &awa, 100).await;
        fund(&app, &moussa, 50).await;
        send(&app, &moussa, &awa, 20.0).await;
        buy_product(&app, &awa, "psg-echarpe", 19.99).await;
        let ticket = buy_seat(&app, &awa, "tribune", 35.0).await;
        send(&app, &awa, &moussa, 5.0).await;

        let answer = ask(&app, &awa, "insights").await;
        let insights = &answer["insights"];
        assert_eq!(
            insights["balance"].as_f64(),
            Some(balance(&app, &awa).await)
        );
        assert_eq!(insights["balance"], 60.01);
        assert_eq!(insights["currency"], "EUR");
        // Each side is the wallet's history added up.
        let history = transactions(&app, &awa).await;
        let spent: i64 = history
            .iter()
            .map(|t| cents(&t["amount"]))
            .filter(|c| *c < 0)
            .sum();
        let received: i64 = history
            .iter()
            .map(|t| cents(&t["amount"]))
            .filter(|c| *c > 0)
            .sum();
        assert_eq!(cents(&insights["spent"]["total"]), -spent);
        assert_eq!(cents(&insights["received"]["total"]), received);
        assert_eq!(
            kinds(&insights["received"]),
            [
                ("deposit".into(), 10_000, 83),
                ("transfer".into(), 2_000, 17)
            ]
        );
        assert_eq!(
            kinds(&insights["spent"]),
            [
                ("ticket".into(), 3_500, 58),
                ("shop".into(), 1_999, 33),
                ("transfer".into(), 500, 8)
            ]
        );
        let months = insights["months"].as_array().unwrap();
        assert_eq!(months.len(), 1);
        assert_eq!(
            (cents(&months[0]["received"]), cents(&months[0]["spent"])),
            (12_000, 5_999)
        );
        assert_eq!(
            insights["purchases"],
            json!({"orders": 1, "articles": 1, "tickets": 1, "esims": 0, "favouriteCategory": "supporters"})
        );
        assert_eq!(
            insights["highlights"][0],
            "Reçu : 120,00 € ; dépensé : 59,99 € ; solde : 60,01 €."
        );
        assert_eq!(
            insights["highlights"][1],
            "Premier poste de dépense : la billetterie (35,00 €, 58 % de vos dépenses)."
        );
        let from = &answer["computedFrom"];
        assert_eq!(from["ledgerAccount"], format!("wallet:{}", awa.id));
        assert_eq!(from["postings"].as_u64(), Some(history.len() as u64));
        assert_eq!(from["lastPostingAt"], history[0]["createdAt"]);
        assert_eq!(
            (from["clubId"].as_str(), from["orders"].as_u64()),
            (Some("psg"), Some(1))
        );

        // A refund is money received back; the ticket no longer counts.
        let admin = app.caller("admin").await.access_token;
        let refund = app
            .post(
                &format!("/api/tickets/{ticket}/refund"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(refund.status, StatusCode::OK, "{:?}", refund.body);
        let insights = ask(&app, &awa, "insights").await["insights"].clone();
        assert_eq!(
            insights["balance"].as_f64(),
            Some(balance(&app, &awa).await)
        );
        assert_eq!(insights["balance"], 95.01);
        assert!(kinds(&insights["received"]).contains(&("refund".into(), 3_500, 23)));
        assert_eq!(insights["purchases"]["tickets"], 0);
        ledger_holds(&app).await;

        // A fan with no movement yet is told so, with zeros read from an empty ledger.
        let newcomer = fan(&app, "nouveau@example.com", "ol").await;
        let empty = ask(&app, &newcomer, "insights").await;
        assert_eq!(empty["insights"]["balance"], 0.0);
        assert_eq!(
            empty["insights"]["spent"],
            json!({"total": 0.0, "byKind": []})
        );
        assert_eq!(empty["computedFrom"]["postings"], 0);
        assert_eq!(empty["computedFrom"]["lastPostingAt"], Value::Null);
    }
);

both!(
    recommendations_follow_what_the_fan_bought_and_can_pay,
    |app: ProductApp| async move {
        for (id, stock) in [("psg-bonnet", 10), ("psg-fanion", 0)] {
            let product = Product {
                id: id.into(),
                club_id: "psg".into(),
                category: "supporters".into(),
                name: id.into(),
                price: Money::from_minor(1_499),
                stock,
            };
            app.deps
                .store
                .put(product.stored().unwrap(), None)
                .await
                .unwrap();
        }
        let awa = fan(&app, "awa@example.com", "psg").await;
        let moussa = fan(&app, "moussa@example.com", "om").await;
        fund(&app, &awa, 100).await;
        buy_product(&app, &awa, "psg-echarpe", 19.99).await;

        let answer = ask(&app, &awa, "recommendations").await;
        let picks = answer["recommendations"].as_array().unwrap();
        let ids: Vec<&str> = picks.iter().map(|p| p["id"].as_str().unwrap()).collect();
        // The same category as the scarf and affordable first; then what the balance covers,
        // cheapest first; then the rest. Nothing bought, sold out or of another club.
        assert_eq!(
            ids,
            ["psg-bonnet", "psg-data-5", DERBY, "psg-maillot-domicile"]
        );
        assert_eq!(
            picks[0]["reasons"][1],
            "Vous avez pris 1 article(s) en « supporters »."
        );
        // The derby's seats: the dearest the balance (80.01 €) covers.
        assert_eq!(
            (picks[2]["type"].as_str(), picks[2]["category"].as_str()),
            (Some("event"), Some("tribune"))
        );
        assert_eq!(picks[2]["price"], 35.0);
        assert_eq!(picks[3]["affordable"], false);
        assert_eq!(
            picks[3]["reasons"].as_array().unwrap().last().unwrap(),
            "Il vous manque 9,98 €."
        );
        assert!(
            picks
                .iter()
                .all(|p| p["clubId"] == "psg" && p["price"].is_number())
        );
        assert_eq!(
            answer["computedFrom"]["catalogue"],
            json!({"products": 4, "events": 1, "plans": 1})
        );

        // What the fan now holds leaves the list.
        buy_seat(&app, &awa, "tribune", 35.0).await;
        let activated = app
            .post(
                "/api/esim/activate",
                Some(&awa.token),
                json!({"planId": "psg-data-5"}),
            )
            .await;
        assert_eq!(
            activated.status,
            StatusCode::CREATED,
            "{:?}",
            activated.body
        );
        let after = ask(&app, &awa, "recommendations").await;
        let ids: Vec<&str> = after["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["psg-bonnet", "psg-maillot-domicile"]);

        // Another fan's picks come from their own club.
        let theirs = ask(&app, &moussa, "recommendations").await;
        let picks = theirs["recommendations"].as_array().unwrap();
        assert!(!picks.is_empty());
        assert!(picks.iter().all(|p| p["clubId"] == "om"), "{picks:?}");
    }
);

both!(
    predictions_extend_the_fans_own_rate,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        fund(&app, &awa, 100).await;
        buy_product(&app, &awa, "psg-echarpe", 19.99).await;

        let answer = ask(&app, &awa, "predictions").await;
        let p = &answer["predictions"];
        let window = &p["window"];
        let days = window["days"].as_i64().unwrap();
        // Everything happened today (or yesterday, if the test ran over midnight).
        assert!((1..=2).contains(&days), "{window}");
        let from: NaiveDate = window["from"].as_str().unwrap().parse().unwrap();
        let today = from + chrono::Days::new(days as u64 - 1);
        assert_eq!(window["netSpending"], 19.99);
        let rounded = |n: i64| (n + days / 2) / days;
        assert_eq!(cents(&p["averageDailySpending"]), rounded(1_999));
        let next30 = rounded(1_999 * 30);
        assert_eq!(cents(&p["next30Days"]["spending"]), next30);
        assert_eq!(cents(&p["next30Days"]["balance"]), (8_001 - next30).max(0));
        assert_eq!(
            cents(&p["next30Days"]["shortfall"]),
            (next30 - 8_001).max(0)
        );
        assert_eq!(p["balanceLastsDays"].as_i64(), Some(8_001 * days / 1_999));
        assert_eq!(p["balance"], 80.01);

        let event = &p["nextEvent"];
        assert_eq!(
            (event["id"].as_str(), event["category"].as_str()),
            (Some(DERBY), Some("tribune"))
        );
        assert_eq!(
            (event["price"].as_f64(), event["affordableNow"].as_bool()),
            (Some(35.0), Some(true))
        );
        let match_day: NaiveDate = "2027-02-08".parse().unwrap();
        let until = (match_day - today).num_days();
        let then = (8_001 - rounded(1_999 * until)).max(0);
        assert_eq!(cents(&event["projectedBalance"]), then);
        assert_eq!(event["affordableThen"].as_bool(), Some(then >= 3_500));
        assert_eq!(answer["computedFrom"]["postings"], 2);

        // Holding a seat for the club's only match: no next event to save for.
        buy_seat(&app, &awa, "tribune", 35.0).await;
        let after = ask(&app, &awa, "predictions").await;
        assert_eq!(after["predictions"]["nextEvent"], Value::Null);
        assert_eq!(after["predictions"]["window"]["netSpending"], 54.99);

        // Without spending, the balance lasts indefinitely: no figure is made up.
        let newcomer = fan(&app, "nouveau@example.com", "psg").await;
        let idle = ask(&app, &newcomer, "predictions").await["predictions"].clone();
        assert_eq!(idle["balanceLastsDays"], Value::Null);
        assert_eq!(idle["averageDailySpending"], 0.0);
        assert_eq!(idle["window"]["days"], 1);
        assert_eq!(idle["nextEvent"]["category"], "tribune");
        assert_eq!(idle["nextEvent"]["affordableNow"], false);
    }
);
