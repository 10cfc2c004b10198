//! A consultation with an expert: a client signed in to their sanctuaire pays the shop's
//! price through Stripe (localstripe) for a talk about one of their own readings.

use super::backoffice::paid_order;
use super::checkout::stripe_client;
use super::sanctuaire::enter;
use super::staff::{admin_token, staff_account};
use super::*;
use payments::localstripe::CARD_OK;
use serde_json::json;

const PATH: &str = "/api/payments/create-payment-intent";

both!(
    a_client_pays_the_shops_price_for_a_consultation_about_their_reading,
    |app: ProductApp| async move {
        let app = &app;
        let reading = paid_order(app, "mystique_intuitive", "john@example.com").await;
        let others = paid_order(app, "initie_simple", "jane@example.com").await;
        staff_account(app, "Jean Dupont <jean@lumira.test>", "expert").await;
        let token = admin_token(app).await;
        let experts = lumira::accounts::find_by_email(&app.deps.store, "jean@lumira.test")
            .await
            .unwrap()
            .unwrap();
        let (client, _) = enter(app, "john@example.com").await;

        let reply = app
            .post(
                PATH,
                Some(&client),
                json!({"expertId": experts.id, "amount": 1400, "description": "Ma voie",
                       "metadata": {"orderId": reading}}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["amount"], 1400);
        assert_eq!(reply.body["expertName"], "Jean Dupont");
        let order_id = reply.body["orderId"].as_str().unwrap().to_owned();
        let secret = reply.body["clientSecret"].as_str().unwrap();
        let intent = secret.split("_secret").next().unwrap().to_owned();

        assert_eq!(
            stripe_client().pay(&intent, CARD_OK).await.unwrap(),
            "succeeded"
        );
        let confirmed = app
            .post(
                "/api/payments/confirm-payment",
                None,
                json!({"paymentIntentId": intent}),
            )
            .await;
        assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
        assert_eq!(confirmed.body["order"]["id"], order_id.as_str());
        assert_eq!(confirmed.body["order"]["service"], "consultation_expert");
        assert_eq!(confirmed.body["order"]["status"], "paid");
        let whole = app
            .get(&format!("/api/orders/{order_id}"), Some(&token))
            .await;
        assert_eq!(whole.body["userId"]["email"], "john@example.com");
        assert_eq!(whole.body["productId"], "consultation_expert");

        // The shop's price, a real expert, the client's own reading.
        for (body, status) in [
            (
                json!({"expertId": experts.id, "amount": 1}),
                StatusCode::BAD_REQUEST,
            ),
            (json!({"amount": 1400}), StatusCode::BAD_REQUEST),
            (
                json!({"expertId": "000000000000000000000000"}),
                StatusCode::NOT_FOUND,
            ),
            (
                json!({"expertId": experts.id, "metadata": {"orderId": others}}),
                StatusCode::NOT_FOUND,
            ),
            (
                json!({"expertId": experts.id, "metadata": {"orderId": "nope"}}),
                StatusCode::BAD_REQUEST,
            ),
        ] {
            let reply = app.post(PATH, Some(&client), body.clone()).await;
            assert_eq!(reply.status, status, "{body}: {:?}", reply.body);
        }
        let staff = app
            .post(PATH, Some(&token), json!({"expertId": experts.id}))
            .await;
        assert_eq!(staff.status, StatusCode::FORBIDDEN);
    }
);
