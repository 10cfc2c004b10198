//! The client sanctuaire (`lumira.md`, "Authentification Sanctuaire"): a client with a paid
//! order signs in by email and reads their delivered readings
//! (`GET /api/users/orders/completed`) with a sanctuaire token: role `client`, short-lived,
//! scoped to the client's own data.
//!
//! The document's sign-in answers a token for a bare email, so anyone who knows an address
//! reads that client's readings. That mode stays (`SANCTUAIRE_MODE=token`, for the old
//! client), but the default is `magic_link`: the route answers the documented success
//! without a token, whether the email is known or not, and emails a one-time link whose code
//! `POST /api/users/auth/sanctuaire/verify` trades for the documented answer. Both are rate
//! limited per IP and per email.

mod readings;
mod settings;

pub use settings::{Mode, Settings};

use crate::AppState;
use crate::customers::{self, Customer};
use crate::orders::status;
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use messaging::{Email, MessageError};
use serde::Serialize;
use serde_json::{Map, Value, json};
use web::extract::Command;
use web::rate_limit;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub const SIGN_IN_PATH: &str = "/api/users/auth/sanctuaire";
pub const VERIFY_PATH: &str = "/api/users/auth/sanctuaire/verify";

/// The rate-limit class of sign-ins and their links ([`Settings::ip_limit`]).
pub const SIGN_IN_LIMIT: &str = "sanctuaire";

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(sign_in, Access::Public).limited(SIGN_IN_LIMIT),
        route!(verify, Access::Public).limited(SIGN_IN_LIMIT),
        route!(readings::completed, Access::Roles(Role::CLIENT)),
    ]
}

/// The purpose one-time sign-in codes are issued for.
const LINK: &str = "sanctuaire";

/// Whether the client has an order they may read: paid, at any later stage.
fn has_paid_order(customer: &Customer) -> bool {
    [
        status::PAID,
        status::PROCESSING,
        status::AWAITING_VALIDATION,
        status::COMPLETED,
    ]
    .iter()
    .any(|s| customer.count(s) > 0)
}

/// Who asks for a sign-in link: a client's email, normalised.
#[derive(utoipa::ToSchema)]
#[schema(as = SanctuaireSignIn)]
struct LinkRequest {
    #[schema(example = json!("john.doe@example.com"))]
    email: String,
}

impl TryFrom<&Map<String, Value>> for LinkRequest {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        body.get("email")
            .and_then(Value::as_str)
            .and_then(web::validate::email)
            .map(|email| LinkRequest { email })
            .ok_or_else(|| ApiError::bad_request("A valid email is required"))
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct SanctuaireUser {
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    id: String,
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
    /// The highest level the client ordered.
    #[schema(value_type = i64)]
    level: u8,
}

impl From<&Customer> for SanctuaireUser {
    fn from(c: &Customer) -> Self {
        SanctuaireUser {
            id: c.id.clone(),
            email: c.email.clone(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            level: c.level(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = SanctuaireToken)]
pub(crate) struct SignedIn {
    success: bool,
    /// A sanctuaire token (role `client`, 1 hour): the client's own readings only.
    token: String,
    user: SanctuaireUser,
}

async fn signed_in(state: &AppState, customer: &Customer) -> ApiResult<Json<SignedIn>> {
    let session = state
        .sessions
        .open((&customer.id).into(), Role::Client.as_str())
        .await?;
    Ok(Json(SignedIn {
        success: true,
        token: session.access_token,
        user: SanctuaireUser::from(customer),
    }))
}

fn no_reading() -> ApiError {
    ApiError::not_found("No paid order for this email")
}

#[utoipa::path(
    post,
    path = SIGN_IN_PATH,
    tag = "Sanctuaire",
    operation_id = "sanctuaireSignIn",
    summary = "Sanctuaire sign-in",
    description = "With `SANCTUAIRE_MODE=magic_link` (the default) answers `{success, message}` whether or not the email has a paid order, and emails a one-time sign-in link to a client who has one. With `SANCTUAIRE_MODE=token` (the document's) answers a sanctuaire token for an email with a paid order, 404 otherwise. Rate limited per IP and per email.",
    request_body = LinkRequest,
    responses(
        (status = 200, description = "The link is on its way (magic_link), or the token (token).", body = inline(crate::openapi::schemas::SignInAnswer)),
        (status = 404, description = "No paid order for this email (token mode).", body = crate::openapi::schemas::Error, example = json!({"error": "No paid order for this email"})),
        (status = 429, description = "Too many sign-in attempts from this IP or for this email.", body = crate::openapi::schemas::Error, example = json!({"error": "Too many sign-in attempts, please try again later"})),
    )
)]
async fn sign_in(
    State(state): State<AppState>,
    Command(LinkRequest { email }, _): Command<LinkRequest>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    rate_limit::hit(&state.store, &state.config.sanctuaire.email_limit(), &email).await?;
    let customer = customers::find_by_email(&state.store, &email)
        .await?
        .filter(has_paid_order);
    match state.config.sanctuaire.mode {
        Mode::Token => {
            let customer = customer.ok_or_else(no_reading)?;
            Ok(signed_in(&state, &customer).await?.into_response())
        }
        Mode::MagicLink => {
            if let Some(customer) = customer {
                send_link(&state, &customer).await?;
            }
            // The same answer either way: the route tells no one whether an email is a client.
            Ok(Json(LinkSent {
                success: true,
                message: "If this email has a reading, a sign-in link is on its way",
            })
            .into_response())
        }
    }
}

async fn send_link(state: &AppState, customer: &Customer) -> ApiResult<()> {
    let ttl = state.config.sanctuaire.link_ttl_secs;
    let code = web::one_time::issue(&state.store, LINK, json!(customer.id), ttl).await?;
    let link = format!("{}?token={code}", state.config.sanctuaire.link_url);
    let minutes = ttl / 60;
    let text = format!(
        "Bonjour,\n\nVoici votre lien pour entrer dans votre sanctuaire Oracle Lumira :\n{link}\n\n\
         Il est valable {minutes} minutes et ne sert qu'une fois. Si vous n'avez rien demandé, \
         ignorez ce message.\n\nOracle Lumira"
    );
    let email = Email {
        to: customer.email.clone(),
        subject: "Votre lien vers le sanctuaire Oracle Lumira".into(),
        text,
        html: None,
    };
    state.mail.send_email(email).await.map_err(|e| match e {
        MessageError::Refused(reason) => {
            tracing::warn!(%reason, "sanctuaire link refused by the mail service");
            ApiError::bad_request("This email cannot receive messages")
        }
        MessageError::Unavailable(reason) => ApiError::unavailable(reason),
    })
}

/// What trades an emailed sign-in link for a token.
#[derive(utoipa::ToSchema)]
#[schema(as = SanctuaireVerify)]
struct LinkCode {
    /// The code of the emailed link (`?token=`).
    token: String,
}

impl TryFrom<&Map<String, Value>> for LinkCode {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        match body.get("token") {
            Some(Value::String(code)) => Ok(LinkCode {
                token: code.clone(),
            }),
            _ => Err(ApiError::bad_request("token is required")),
        }
    }
}

#[utoipa::path(
    post,
    path = VERIFY_PATH,
    tag = "Sanctuaire",
    operation_id = "sanctuaireVerify",
    summary = "Trade a sign-in link for a sanctuaire token",
    description = "The code of an emailed link, used once, within 15 minutes by default.",
    request_body = LinkCode,
    responses(
        (status = 200, description = "Signed in, as documented.", body = SignedIn),
        (status = 401, description = "Unknown, spent or expired code.", body = crate::openapi::schemas::Error, example = json!({"error": "Invalid or expired sign-in link"})),
        (status = 429, description = "Too many sign-in attempts from this IP or for this email.", body = crate::openapi::schemas::Error, example = json!({"error": "Too many sign-in attempts, please try again later"})),
    )
)]
async fn verify(
    State(state): State<AppState>,
    Command(LinkCode { token: code }, _): Command<LinkCode>,
) -> ApiResult<Json<SignedIn>> {
    let invalid = || ApiError::unauthorized("Invalid or expired sign-in link");
    let subject = web::one_time::redeem(&state.store, LINK, &code)
        .await?
        .ok_or_else(invalid)?;
    let id = subject.as_str().ok_or_else(invalid)?;
    let customer = customers::find(&state.store, id)
        .await?
        .ok_or_else(invalid)?;
    signed_in(&state, &customer).await
}

/// The magic-link mode's answer, the same whether or not the email is a client's.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LinkSent {
    success: bool,
    message: &'static str,
}
