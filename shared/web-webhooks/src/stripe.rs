//! The Stripe settings of a product that takes card payments, read from its environment the
//! same way by every such product.

use payments::stripe::StripeGateway;
use payments::{DynGateway, NotConfigured};
use std::sync::Arc;
use web_core::config::{ConfigError, Env};

#[derive(Debug, Clone, Default)]
pub struct StripeSettings {
    /// `STRIPE_SECRET_KEY` (`sk_...`; a test key for a local stand-in): without it, payment
    /// routes answer 503.
    pub secret_key: Option<String>,
    /// `STRIPE_API_BASE`: where Stripe's API is, when not `https://api.stripe.com/`
    /// (localstripe).
    pub api_base: Option<String>,
    /// `STRIPE_WEBHOOK_SECRET`: the webhook endpoint's signing secret (`whsec_...`): without
    /// it, webhooks answer 503.
    pub webhook_secret: Option<String>,
}

impl StripeSettings {
    /// From `env`. The secrets are the product's own (`own_var`): a local server serving
    /// several products never hands one product's key to another.
    pub fn from_env(env: &Env) -> Self {
        let api_base = env.var("STRIPE_API_BASE").filter(|u| !u.is_empty());
        StripeSettings {
            secret_key: payments::stripe::key_for(
                env.own_var("STRIPE_SECRET_KEY").as_deref(),
                api_base.as_deref(),
            ),
            api_base,
            webhook_secret: env
                .own_var("STRIPE_WEBHOOK_SECRET")
                .filter(|s| !s.is_empty()),
        }
    }

    /// The payment gateway these settings describe: Stripe, or one that answers 503.
    pub fn gateway(&self) -> Result<DynGateway, ConfigError> {
        let Some(key) = &self.secret_key else {
            return Ok(Arc::new(NotConfigured));
        };
        let stripe = StripeGateway::new(key, self.api_base.as_deref()).map_err(|e| {
            ConfigError::Invalid {
                name: "STRIPE_SECRET_KEY".into(),
                reason: e.to_string(),
            }
        })?;
        Ok(Arc::new(stripe))
    }
}

/// A payment gateway's refusal in French (the marketplace's and PaieCashFan's words): 503
/// when Stripe is not configured or does not answer (the cause logged), else the gateway's
/// own error.
pub fn gateway_refusal_in_french(error: payments::GatewayError) -> web_core::ApiError {
    use payments::GatewayError;
    use web_core::error::ErrorKind;
    match error {
        GatewayError::NotConfigured => web_core::ApiError::new(
            ErrorKind::Unavailable,
            "Les paiements ne sont pas configurés",
        ),
        GatewayError::Unavailable(cause) => {
            tracing::error!(%cause, "Stripe unavailable");
            web_core::ApiError::new(
                ErrorKind::Unavailable,
                "Le service de paiement est momentanément indisponible",
            )
        }
        other => web_core::ApiError::from(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_stand_in_needs_no_key_and_stripe_itself_does() {
        let local =
            StripeSettings::from_env(&Env::given([("STRIPE_API_BASE", "http://127.0.0.1:8420")]));
        assert_eq!(
            local.secret_key.as_deref(),
            Some(payments::stripe::LOCAL_TEST_KEY)
        );
        let unset = StripeSettings::from_env(&Env::given([
            ("STRIPE_API_BASE", "https://api.stripe.com"),
            ("STRIPE_WEBHOOK_SECRET", ""),
        ]));
        assert_eq!(unset.secret_key, None);
        assert_eq!(unset.webhook_secret, None);
        let set = StripeSettings::from_env(&Env::given([
            ("STRIPE_SECRET_KEY", "sk_test_123"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_456"),
        ]));
        assert_eq!(set.secret_key.as_deref(), Some("sk_test_123"));
        assert_eq!(set.webhook_secret.as_deref(), Some("whsec_456"));
        assert!(set.gateway().is_ok());
    }
}
