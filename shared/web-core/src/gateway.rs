//! What a client is told when the payment gateway fails: the product's error body, never
//! the gateway's words (logged instead).

use crate::ApiError;
use crate::error::ErrorKind;
use payments::GatewayError;

impl From<GatewayError> for ApiError {
    fn from(error: GatewayError) -> Self {
        match error {
            GatewayError::NotConfigured => {
                ApiError::new(ErrorKind::Unavailable, "Payments are not configured")
            }
            GatewayError::NotFound => ApiError::not_found("Payment intent not found"),
            GatewayError::Refused(message) => {
                tracing::warn!(%message, "payment gateway refused a request");
                ApiError::new(
                    ErrorKind::Rejected,
                    "The payment provider refused the request",
                )
            }
            GatewayError::Unavailable(cause) => {
                tracing::error!(%cause, "payment gateway unavailable");
                ApiError::new(ErrorKind::Unavailable, "Payment provider unavailable")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_has_its_status() {
        let status = |e: GatewayError| ApiError::from(e).status().as_u16();
        assert_eq!(status(GatewayError::NotConfigured), 503);
        assert_eq!(status(GatewayError::NotFound), 404);
        assert_eq!(status(GatewayError::Refused("amount".into())), 400);
        assert_eq!(status(GatewayError::Unavailable("timeout".into())), 503);
    }
}
