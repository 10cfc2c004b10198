//! The Amazon SNS adapter against moto's server (`infra/scripts/emulator.sh moto`, started by
//! scripts/test.sh): what it publishes is what the emulator received, and a number that is
//! not E.164 is refused as the caller's input.
#![cfg(feature = "sns")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: failing loudly is the point

use messaging::sns::SnsSms;
use messaging::{MessageError, Sms, SmsSender};

fn endpoint() -> String {
    std::env::var("TEST_MOTO_ENDPOINT").expect(
        "TEST_MOTO_ENDPOINT is not set: run the tests with scripts/test.sh, which starts moto",
    )
}

fn sender() -> SnsSms {
    let endpoint = endpoint();
    SnsSms::from_vars(Some("Kbine".into()), |name| match name {
        "AWS_REGION" => Some("us-east-1".into()),
        "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" => Some("test".into()),
        "AWS_ENDPOINT_URL_SNS" => Some(endpoint.clone()),
        _ => None,
    })
    .unwrap()
}

/// The SMS moto received, as (number, text).
async fn received() -> Vec<(String, String)> {
    let url = format!("{}/moto-api/data.json", endpoint());
    let body: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    body["sns"]["SMS"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let field = |name: &str| m[name].as_str().unwrap().to_owned();
            (field("phone_number"), field("message"))
        })
        .collect()
}

#[tokio::test]
async fn publishes_the_text_to_the_number() {
    let text = format!("Votre code de connexion Kbine : {}", uuid::Uuid::new_v4());
    let sms = Sms {
        to: "+2250701020304".into(),
        text: text.clone(),
    };
    sender().send(sms).await.unwrap();
    assert!(
        received()
            .await
            .contains(&("+2250701020304".to_owned(), text))
    );
}

#[tokio::test]
async fn a_number_that_is_not_international_is_refused() {
    let sms = Sms {
        to: "0701020304".into(),
        text: "jamais envoyé".into(),
    };
    let error = sender().send(sms).await.unwrap_err();
    assert!(matches!(error, MessageError::Refused(_)), "{error:?}");
    assert!(!received().await.iter().any(|(_, t)| t == "jamais envoyé"));
}
