//! The Amazon SES adapter against moto's server (`infra/scripts/emulator.sh moto`, started by
//! scripts/test.sh): what it sends is what the emulator received, from the verified
//! identity, and a sender SES does not know is refused.
#![cfg(feature = "ses")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: failing loudly is the point

use messaging::ses::SesMail;
use messaging::{Email, MailSender, MessageError};

fn endpoint() -> String {
    std::env::var("TEST_MOTO_ENDPOINT").expect(
        "TEST_MOTO_ENDPOINT is not set: run the tests with scripts/test.sh, which starts moto",
    )
}

fn sender(from: &str) -> SesMail {
    let endpoint = endpoint();
    SesMail::from_vars(from, |name| match name {
        "AWS_REGION" => Some("us-east-1".into()),
        "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" => Some("test".into()),
        "AWS_ENDPOINT_URL_SESV2" => Some(endpoint.clone()),
        _ => None,
    })
    .unwrap()
}

/// The emails moto received, as (from, to, subject).
async fn received() -> Vec<(String, String, String)> {
    let url = format!("{}/moto-api/data.json", endpoint());
    let body: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    body["ses"]["Message"]
        .as_array()
        .map(|messages| {
            messages
                .iter()
                .map(|m| {
                    let to = m["destinations"]["ToAddresses"][0].as_str().unwrap();
                    let field = |name: &str| m[name].as_str().unwrap().to_owned();
                    (field("source"), to.to_owned(), field("subject"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn email(subject: &str) -> Email {
    Email {
        to: "client@example.com".into(),
        subject: subject.into(),
        text: "Bonjour, votre lecture est prête.".into(),
        html: Some("<p>Bonjour, votre lecture est prête.</p>".into()),
    }
}

#[tokio::test]
async fn sends_from_the_verified_identity() {
    let from = "noreply@lumira.example";
    let mail = sender(from);
    mail.client()
        .create_email_identity()
        .email_identity(from)
        .send()
        .await
        .unwrap();
    let subject = format!("Votre lecture Oracle Lumira {}", uuid::Uuid::new_v4());
    mail.send_email(email(&subject)).await.unwrap();
    assert!(received().await.contains(&(
        from.to_owned(),
        "client@example.com".to_owned(),
        subject
    )));
}

#[tokio::test]
async fn a_sender_ses_does_not_know_is_refused() {
    let subject = format!("jamais envoyé {}", uuid::Uuid::new_v4());
    let error = sender("unknown@nowhere.example")
        .send_email(email(&subject))
        .await
        .unwrap_err();
    assert!(matches!(error, MessageError::Refused(_)), "{error:?}");
    assert!(!received().await.iter().any(|(_, _, s)| *s == subject));
}
