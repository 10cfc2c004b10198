//! What a test does to localstripe that a shop's server never does: pay an intent as the
//! client's browser would (attach a test card, confirm), and register a webhook endpoint.
//! Only test builds enable it (feature `localstripe`).

use serde_json::Value;

/// A card Stripe's test mode (and localstripe) accepts.
pub const CARD_OK: &str = "4242424242424242";
/// A card that attaches but whose charge is declined (as in Stripe's test mode).
pub const CARD_DECLINED: &str = "4000000000000341";

pub struct LocalStripe {
    base: String,
    secret_key: String,
    http: reqwest::Client,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

impl LocalStripe {
    pub fn new(base: &str, secret_key: &str) -> Self {
        LocalStripe {
            base: base.trim_end_matches('/').to_owned(),
            secret_key: secret_key.to_owned(),
            http: reqwest::Client::new(),
        }
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Result<Value, Failure> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .basic_auth(&self.secret_key, Some(""))
            .form(form)
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        if !status.is_success() {
            return Err(format!("localstripe {path}: {status} {body}").into());
        }
        Ok(body)
    }

    /// Pays `intent` with the card `number` as Stripe.js would; returns the intent's status
    /// (`succeeded`, or `requires_payment_method` when declined).
    pub async fn pay(&self, intent: &str, number: &str) -> Result<String, Failure> {
        let method = self
            .post(
                "/v1/payment_methods",
                &[
                    ("type", "card"),
                    ("card[number]", number),
                    ("card[exp_month]", "12"),
                    ("card[exp_year]", "2030"),
                    ("card[cvc]", "123"),
                ],
            )
            .await?;
        let method = method["id"].as_str().ok_or("no payment method id")?;
        let path = format!("/v1/payment_intents/{intent}");
        self.post(&path, &[("payment_method", method)]).await?;
        let confirmed = self.post(&format!("{path}/confirm"), &[]).await;
        let status = match confirmed {
            Ok(intent) => intent["status"].as_str().unwrap_or_default().to_owned(),
            // A declined card fails the confirmation; the intent says what it is now.
            Err(_) => self.http_get(&path).await?["status"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        };
        Ok(status)
    }

    async fn http_get(&self, path: &str) -> Result<Value, Failure> {
        Ok(self
            .http
            .get(format!("{}{path}", self.base))
            .basic_auth(&self.secret_key, Some(""))
            .send()
            .await?
            .json()
            .await?)
    }

    /// Pays Checkout session `id` as its client would on the page (the stand-in beside
    /// localstripe: a subscription's is made in localstripe); the session after.
    pub async fn complete_checkout(&self, id: &str) -> Result<Value, Failure> {
        let response = self
            .http
            .post(format!(
                "{}/_config/checkout/sessions/{id}/complete",
                self.base
            ))
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        if !status.is_success() {
            return Err(format!("checkout {id}: {status} {body}").into());
        }
        Ok(body)
    }

    /// Cancels subscription `id` now, as a customer or the dashboard would.
    pub async fn cancel_subscription(&self, id: &str) -> Result<Value, Failure> {
        let response = self
            .http
            .delete(format!("{}/v1/subscriptions/{id}", self.base))
            .basic_auth(&self.secret_key, Some(""))
            .send()
            .await?;
        Ok(response.json().await?)
    }

    /// Subscription `id` as localstripe has it.
    pub async fn subscription(&self, id: &str) -> Result<Value, Failure> {
        self.http_get(&format!("/v1/subscriptions/{id}")).await
    }

    /// Has localstripe deliver every event to `url`, signed with `secret`; `id` names the
    /// endpoint (a second registration with the same id replaces it).
    pub async fn register_webhook(&self, id: &str, url: &str, secret: &str) -> Result<(), Failure> {
        let response = self
            .http
            .post(format!("{}/_config/webhooks/{id}", self.base))
            .form(&[("url", url), ("secret", secret)])
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("localstripe webhook {id}: {}", response.status()).into());
        }
        Ok(())
    }
}
