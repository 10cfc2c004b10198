//! Who opens a connection: the product's own access token, checked as its REST routes check
//! it (signature, expiry, and a session still open), and refusals in the product's own
//! error dialect.

use crate::connections::Caller;
use web_auth::Sessions;
use web_core::ApiError;
use web_core::error::{ErrorKind, ErrorStyle};

/// The caller a token names, or why it names nobody.
pub async fn authenticate(sessions: &Sessions, token: Option<&str>) -> Result<Caller, ApiError> {
    let token = token
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::of(ErrorKind::MissingToken))?;
    let claims = sessions
        .tokens()
        .verify_access(token)
        .map_err(|_| ApiError::of(ErrorKind::InvalidToken))?;
    if !sessions.is_active(&claims.sid).await? {
        return Err(ApiError::of(ErrorKind::InvalidToken));
    }
    Ok(Caller {
        user: claims.user_id.to_string(),
        role: claims.role,
        session: claims.sid,
    })
}

/// The message of an error body: `error`, `message` or `detail`, or the `message` of an
/// `error` object (PaieCashFan's `{"error": {"code", "message"}}`).
fn message_of(body: &serde_json::Value) -> Option<&str> {
    ["error", "message", "detail"]
        .iter()
        .find_map(|name| body.get(*name).and_then(|m| m.as_str()))
        .or_else(|| body["error"]["message"].as_str())
}

/// The message the product's REST API would give for `error` (every documented error body
/// has one).
pub fn refusal(style: &dyn ErrorStyle, error: &ApiError) -> String {
    let (_, body) = style.render(error);
    message_of(&body).unwrap_or("error").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_documented_error_body_has_its_message_found() {
        for body in [
            json!({"error": "Token invalide"}),
            json!({"success": false, "message": "Token invalide"}),
            json!({"detail": "Token invalide"}),
            json!({"error": {"code": "invalid_token", "message": "Token invalide"}}),
        ] {
            assert_eq!(message_of(&body), Some("Token invalide"), "{body}");
        }
    }
}
