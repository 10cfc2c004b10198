//! Tickets a gate verifies offline, as pretix's signed tickets are: the ticket's code is its
//! facts signed with its event's Ed25519 key, so a gate holding only the event's public key
//! tells a real code from a forged or altered one without asking the API.
//!
//! Each event's key pair is derived from `TICKET_SIGNING_SECRET` and the event's id (an
//! HMAC-SHA256 of the id is the key's seed): nothing secret is stored in the table, and
//! the secret's owner can give any event's public key. A code is
//! `PCF1.<payload>.<signature>`, both parts base64url without padding; the payload is the
//! JSON of [`Claims`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use web::{ApiError, ApiResult};

const PREFIX: &str = "PCF1";

/// What a ticket's code says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The ticket.
    pub t: String,
    /// Its event.
    pub e: String,
    /// Its category.
    pub c: String,
}

/// The key pair of `event` under `secret`.
pub fn event_key(secret: &[u8], event: &str) -> ApiResult<SigningKey> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(ApiError::internal)?;
    mac.update(b"paiecashfan ticket key:");
    mac.update(event.as_bytes());
    let seed: [u8; 32] = mac.finalize().into_bytes().into();
    Ok(SigningKey::from_bytes(&seed))
}

/// The public key a gate verifies `event`'s codes with, base64url.
pub fn public_key(secret: &[u8], event: &str) -> ApiResult<String> {
    Ok(URL_SAFE_NO_PAD.encode(event_key(secret, event)?.verifying_key().to_bytes()))
}

/// The code of `claims`, signed with its event's key.
pub fn sign(secret: &[u8], claims: &Claims) -> ApiResult<String> {
    let payload = serde_json::to_vec(claims).map_err(ApiError::internal)?;
    let signature = event_key(secret, &claims.e)?.sign(&payload);
    Ok(format!(
        "{PREFIX}.{}.{}",
        URL_SAFE_NO_PAD.encode(&payload),
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    ))
}

/// What `code` says, without checking it (to know which event's key checks it).
pub fn read(code: &str) -> Option<(Claims, Vec<u8>, Signature)> {
    let mut parts = code.split('.');
    let (Some(PREFIX), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let signature: [u8; 64] = URL_SAFE_NO_PAD.decode(signature).ok()?.try_into().ok()?;
    let claims = serde_json::from_slice(&payload).ok()?;
    Some((claims, payload, Signature::from_bytes(&signature)))
}

/// The claims of `code` if `public_key` (base64url) signed it: what a gate does offline.
pub fn verify(public_key: &str, code: &str) -> Option<Claims> {
    let (claims, payload, signature) = read(code)?;
    let key: [u8; 32] = URL_SAFE_NO_PAD.decode(public_key).ok()?.try_into().ok()?;
    let key = VerifyingKey::from_bytes(&key).ok()?;
    key.verify(&payload, &signature).ok()?;
    Some(claims)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_code_verifies_with_its_events_public_key_alone() {
        let secret = b"a ticket signing secret of some length";
        let claims = Claims {
            t: "ticket-1".into(),
            e: "event-1".into(),
            c: "premium".into(),
        };
        let code = sign(secret, &claims).unwrap();
        let key = public_key(secret, "event-1").unwrap();
        assert_eq!(verify(&key, &code), Some(claims.clone()));
        // Another event's key, a changed payload, a changed signature: refused.
        assert_eq!(verify(&public_key(secret, "event-2").unwrap(), &code), None);
        let parts: Vec<&str> = code.split('.').collect();
        let forged = Claims {
            c: "vip".into(),
            ..claims
        };
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        assert_eq!(verify(&key, &format!("PCF1.{payload}.{}", parts[2])), None);
        let mut signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        signature[0] ^= 1;
        let signature = URL_SAFE_NO_PAD.encode(signature);
        assert_eq!(
            verify(&key, &format!("PCF1.{}.{signature}", parts[1])),
            None
        );
        assert_eq!(verify(&key, "not a code"), None);
    }
}
