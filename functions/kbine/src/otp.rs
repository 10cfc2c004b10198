//! One-time login codes for clients (`LOGIN_MODE=otp`): the document's login takes a phone
//! number alone, so anyone who knows a client's number could open their account. In this
//! mode the first login call sends a 6-digit code by SMS and a second call with the code
//! gives the documented answer.
//!
//! A code lives 5 minutes, is used once, and allows 5 wrong tries; only its HMAC is
//! stored (`OTP#<phone>`), keyed by a server secret. Codes sent to one number are limited
//! too (3 per 15 minutes), so the route cannot be used to flood a number with SMS.

use crate::AppState;
use crate::phone::PhoneNumber;
use hmac::{Hmac, Mac};
use messaging::{MessageError, Sms};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;
use store::{Cond, Key, Update};
use web::rate_limit::{self, RateLimit};
use web::{ApiError, ApiResult};

pub const CODE_TTL_SECS: i64 = 5 * 60;
pub const MAX_ATTEMPTS: i64 = 5;
const CODE_DIGITS: usize = 6;

const CODES_PER_NUMBER: RateLimit = RateLimit {
    scope: "otp_sms",
    max: 3,
    window_secs: 15 * 60,
    message: "Trop de codes demandés pour ce numéro, veuillez réessayer plus tard",
};

/// How clients log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoginMode {
    /// The document's behaviour: the phone number alone.
    #[default]
    Phone,
    /// A code sent by SMS, then the number with the code.
    Otp,
}

impl std::str::FromStr for LoginMode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "phone" => Ok(LoginMode::Phone),
            "otp" => Ok(LoginMode::Otp),
            _ => Err("expected phone or otp".into()),
        }
    }
}

fn code_key(phone: &PhoneNumber) -> Key {
    Key::new(format!("OTP#{}", phone.as_str()), "OTP")
}

fn mac(state: &AppState, phone: &PhoneNumber) -> ApiResult<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(
        state.config.sessions.jwt_refresh_secret.expose().as_bytes(),
    )
    .map_err(ApiError::internal)?;
    mac.update(b"kbine-login-code\0");
    mac.update(phone.as_str().as_bytes());
    mac.update(b"\0");
    Ok(mac)
}

fn digest(state: &AppState, phone: &PhoneNumber, code: &str) -> ApiResult<String> {
    let mut mac = mac(state, phone)?;
    mac.update(code.as_bytes());
    Ok(format!("{:x}", mac.finalize().into_bytes()))
}

fn wrong_code() -> ApiError {
    ApiError::unauthorized("Code invalide ou expiré")
}

/// A code as the client sends it: six digits, as a string.
pub fn parse_code(value: &Value) -> ApiResult<String> {
    match value {
        Value::String(code)
            if code.len() == CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Ok(code.clone())
        }
        _ => Err(ApiError::bad_request("Code invalide").with_details("Le code est de 6 chiffres")),
    }
}

/// Sends a fresh code to `phone`, replacing any earlier one.
pub async fn send_code(state: &AppState, phone: &PhoneNumber) -> ApiResult<()> {
    rate_limit::hit(&state.store, &CODES_PER_NUMBER, phone.as_str()).await?;
    let random = uuid::Uuid::new_v4().as_u128() % 10u128.pow(CODE_DIGITS as u32);
    let code = format!("{random:0width$}", width = CODE_DIGITS);
    let now = chrono::Utc::now().timestamp();
    let mut item = code_key(phone).to_item();
    item.extend(web::item::record(&SentCode {
        digest: digest(state, phone, &code)?,
        expires_at: now + CODE_TTL_SECS,
        attempts_left: MAX_ATTEMPTS,
        ttl: now + CODE_TTL_SECS,
    })?);
    state.store.put(item, None).await?;
    let sms = Sms {
        to: phone.e164(),
        text: format!(
            "Votre code de connexion Kbine : {code}. Il expire dans 5 minutes. Ne le communiquez à personne."
        ),
    };
    state.sms.send(sms).await.map_err(|e| match e {
        MessageError::Refused(reason) => {
            tracing::warn!(%reason, "login code refused by the SMS service");
            ApiError::bad_request("Numéro de téléphone invalide")
                .with_details("Ce numéro ne reçoit pas de SMS")
        }
        MessageError::Unavailable(reason) => ApiError::unavailable(reason),
    })
}

/// A code sent to a number, as stored: only its digest, with its expiry (also the item's
/// `ttl`, for DynamoDB to remove it) and the tries it has left.
#[derive(Serialize, Deserialize)]
struct SentCode {
    digest: String,
    expires_at: i64,
    attempts_left: i64,
    ttl: i64,
}

/// Accepts `code` for `phone` once: a right code is spent, a wrong one costs a try.
pub async fn check_code(state: &AppState, phone: &PhoneNumber, code: &str) -> ApiResult<()> {
    let key = code_key(phone);
    let now = chrono::Utc::now().timestamp();
    let Some(stored) = state.store.get(&key).await? else {
        return Err(wrong_code());
    };
    let stored: SentCode = web::item::parse(stored)?;
    let expected = stored.digest.as_str();
    if stored.expires_at <= now {
        return Err(wrong_code());
    }
    let mut mac = mac(state, phone)?;
    mac.update(code.as_bytes());
    let right =
        web::text::decode_hex(expected).is_some_and(|bytes| mac.verify_slice(&bytes).is_ok());
    // Conditional on the code read: a code spent or replaced meanwhile is not this one.
    let same_code = Cond::eq("digest", expected);
    if right {
        return match state.store.delete(&key, Some(same_code)).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_condition_failed() => Err(wrong_code()),
            Err(e) => Err(e.into()),
        };
    }
    let spent = if stored.attempts_left <= 1 {
        state.store.delete(&key, Some(same_code)).await.map(drop)
    } else {
        let cond = same_code.and(Cond::gt("attempts_left", 1));
        let update = Update::new().add("attempts_left", -1);
        state.store.update(&key, update, Some(cond)).await.map(drop)
    };
    match spent {
        Ok(()) => Err(wrong_code()),
        Err(e) if e.is_condition_failed() => Err(wrong_code()),
        Err(e) => Err(e.into()),
    }
}
