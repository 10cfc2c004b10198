//! The HTTPS client async-stripe's requests are sent with: the crate's own extension point
//! (`StripeClient`, which its hyper and async-std clients implement), over hyper with rustls.
//!
//! async-stripe's hyper client decodes every error answer into Stripe's whole error object,
//! which embeds a PaymentIntent, a PaymentMethod, a SetupIntent and a payment source: the
//! generated decoders of those objects were 3.7 MB of every binary that takes payments
//! (measured on a linker map), for the status and message this port reports. This client
//! reads only those, and speaks HTTP/1.1 alone (Stripe's API does not need HTTP/2).

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;
use stripe_client_core::{CustomizedStripeRequest, StripeClient, StripeClientErr, StripeMethod};

const STRIPE_API: &str = "https://api.stripe.com/";
const AGENT: &str = concat!("payments/", env!("CARGO_PKG_VERSION"), " async-stripe/1.0");

/// Why a call to Stripe failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Stripe answered with an error status and, usually, a message.
    #[error("Stripe answered {status}: {message}")]
    Api { status: u16, message: String },
    /// Stripe could not be reached, or the answer could not be read.
    #[error("Stripe could not be reached: {0}")]
    Unreachable(String),
    /// No answer within the attempt's time.
    #[error("Stripe did not answer in time")]
    Timeout,
    /// A success whose body is not what the request promises.
    #[error("Stripe's answer could not be read: {0}")]
    Decode(String),
}

impl StripeClientErr for Failure {
    fn deserialize_err(message: impl std::fmt::Display) -> Self {
        Failure::Decode(message.to_string())
    }
}

/// What Stripe says of an error: `{"error": {"message": ...}}`.
#[derive(miniserde::Deserialize)]
struct ErrorBody {
    error: ErrorFields,
}

#[derive(miniserde::Deserialize)]
struct ErrorFields {
    message: Option<String>,
}

/// Sends async-stripe's requests to Stripe (or to `api_base`, a stand-in).
pub struct StripeHttp {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    /// Ends with `/`: request paths are appended to `{api_base}v1`.
    api_base: String,
    authorization: HeaderValue,
    timeout: Duration,
}

impl StripeHttp {
    pub fn new(
        secret_key: &str,
        api_base: Option<&str>,
        timeout: Duration,
    ) -> Result<Self, Failure> {
        let mut authorization = HeaderValue::try_from(format!("Bearer {secret_key}"))
            .map_err(|_| Failure::Unreachable("the Stripe key is not a header value".into()))?;
        authorization.set_sensitive(true);
        let mut api_base = api_base.unwrap_or(STRIPE_API).to_owned();
        if !api_base.ends_with('/') {
            api_base.push('/');
        }
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        Ok(StripeHttp {
            client: Client::builder(TokioExecutor::new()).build(connector),
            api_base,
            authorization,
            timeout,
        })
    }

    fn request(
        &self,
        request: CustomizedStripeRequest,
    ) -> Result<(Request<Full<Bytes>>, Duration), Failure> {
        let (request, overrides) = request.into_pieces();
        let mut uri = format!("{}v1{}", self.api_base, request.path);
        if let Some(query) = &request.query {
            uri.push('?');
            uri.push_str(query);
        }
        let method = match request.method {
            StripeMethod::Get => Method::GET,
            StripeMethod::Post => Method::POST,
            StripeMethod::Delete => Method::DELETE,
        };
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(USER_AGENT, AGENT)
            .header("stripe-version", stripe_client_core::VERSION.as_str());
        if let Some(key) = overrides
            .request_strategy
            .as_ref()
            .and_then(|s| s.get_key())
        {
            builder = builder.header("idempotency-key", key.as_str());
        }
        let body = match request.body {
            Some(form) => {
                builder = builder.header(CONTENT_TYPE, "application/x-www-form-urlencoded");
                Bytes::from(form)
            }
            None => Bytes::new(),
        };
        let request = builder
            .body(Full::new(body))
            .map_err(|e| Failure::Unreachable(e.to_string()))?;
        Ok((request, overrides.timeout.unwrap_or(self.timeout)))
    }
}

impl StripeClient for StripeHttp {
    type Err = Failure;

    async fn execute(&self, request: CustomizedStripeRequest) -> Result<Bytes, Failure> {
        let (request, timeout) = self.request(request)?;
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| Failure::Unreachable(e.to_string()))?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| Failure::Unreachable(e.to_string()))?
                .to_bytes();
            Ok::<_, Failure>((status, body))
        };
        let (status, body) = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| Failure::Timeout)??;
        if status.is_success() {
            Ok(body)
        } else {
            Err(Failure::Api {
                status: status.as_u16(),
                message: error_message(&body),
            })
        }
    }
}

/// Stripe's message in an error answer, or nothing when it has none.
fn error_message(body: &[u8]) -> String {
    std::str::from_utf8(body)
        .ok()
        .and_then(|text| miniserde::json::from_str::<ErrorBody>(text).ok())
        .and_then(|body| body.error.message)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_answer_gives_its_message_or_nothing() {
        let answer = br#"{"error": {"type": "invalid_request_error", "message": "No such payment_intent: 'pi_x'", "param": "id"}}"#;
        assert_eq!(error_message(answer), "No such payment_intent: 'pi_x'");
        assert_eq!(error_message(br#"{"error": {"type": "api_error"}}"#), "");
        assert_eq!(error_message(b"<html>bad gateway</html>"), "");
    }
}
