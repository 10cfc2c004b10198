//! The Stripe adapter against localstripe (`infra/scripts/emulator.sh localstripe`, started
//! by scripts/test.sh): what it creates is what Stripe holds, a repeated key finds the first
//! intent, and an unknown intent is `NotFound`.

#![cfg(feature = "localstripe")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use payments::localstripe::{CARD_DECLINED, CARD_OK, LocalStripe};
use payments::stripe::StripeGateway;
use payments::{Gateway, GatewayError, IntentStatus, NewIntent};
use std::collections::BTreeMap;

fn endpoint() -> String {
    std::env::var("TEST_STRIPE_ENDPOINT").expect(
        "TEST_STRIPE_ENDPOINT is not set: run the tests with scripts/test.sh, which starts localstripe",
    )
}

fn gateway() -> StripeGateway {
    StripeGateway::new("sk_test_payments_adapter", Some(&endpoint())).unwrap()
}

fn new_intent(key: &str) -> NewIntent {
    NewIntent {
        amount: 1400,
        currency: "eur".into(),
        metadata: BTreeMap::from([("orderId".into(), key.into())]),
        idempotency_key: format!("test:{key}:intent"),
    }
}

#[tokio::test]
async fn an_intent_is_created_and_read_back() {
    let key = uuid::Uuid::new_v4().to_string();
    let created = gateway().create_intent(&new_intent(&key)).await.unwrap();
    assert!(created.id.starts_with("pi_"), "{created:?}");
    assert!(
        created
            .client_secret
            .as_deref()
            .unwrap_or("")
            .starts_with(&created.id)
    );
    assert_eq!(created.status, IntentStatus::RequiresPaymentMethod);
    assert_eq!((created.amount, created.currency.as_str()), (1400, "eur"));
    assert_eq!(created.metadata.get("orderId"), Some(&key));

    let read = gateway().intent(&created.id).await.unwrap();
    assert_eq!(read.id, created.id);
    assert_eq!(read.metadata, created.metadata);
}

#[tokio::test]
async fn the_same_key_finds_the_first_intent_and_another_key_makes_another() {
    let key = uuid::Uuid::new_v4().to_string();
    let first = gateway().create_intent(&new_intent(&key)).await.unwrap();
    let again = gateway().create_intent(&new_intent(&key)).await.unwrap();
    assert_eq!(again.id, first.id);
    let other = gateway()
        .create_intent(&new_intent(&uuid::Uuid::new_v4().to_string()))
        .await
        .unwrap();
    assert_ne!(other.id, first.id);
}

#[tokio::test]
async fn a_paid_intent_reads_as_succeeded() {
    let key = uuid::Uuid::new_v4().to_string();
    let created = gateway().create_intent(&new_intent(&key)).await.unwrap();
    let client = LocalStripe::new(&endpoint(), "sk_test_payments_adapter");
    assert_eq!(client.pay(&created.id, CARD_OK).await.unwrap(), "succeeded");
    assert_eq!(
        gateway().intent(&created.id).await.unwrap().status,
        IntentStatus::Succeeded
    );
}

#[tokio::test]
async fn a_declined_card_leaves_the_intent_unpaid() {
    let key = uuid::Uuid::new_v4().to_string();
    let created = gateway().create_intent(&new_intent(&key)).await.unwrap();
    let client = LocalStripe::new(&endpoint(), "sk_test_payments_adapter");
    assert_ne!(
        client.pay(&created.id, CARD_DECLINED).await.unwrap(),
        "succeeded"
    );
    assert_ne!(
        gateway().intent(&created.id).await.unwrap().status,
        IntentStatus::Succeeded
    );
}

#[tokio::test]
async fn an_unknown_intent_is_not_found_and_an_unreachable_stripe_is_unavailable() {
    assert_eq!(
        gateway().intent("pi_doesnotexist").await,
        Err(GatewayError::NotFound)
    );
    let nowhere = StripeGateway::new("sk_test_x", Some("http://127.0.0.1:9")).unwrap();
    assert!(matches!(
        nowhere.intent("pi_1").await,
        Err(GatewayError::Unavailable(_))
    ));
}
