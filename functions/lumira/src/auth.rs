//! Staff sign-in (the document marks its admin routes "Token JWT requis" and names an expert
//! desk, `expert.ts`, without documenting either login): email and password, an access token
//! and a refresh token that rotates, and logout. `POST /api/auth/login` is the back office's,
//! `POST /api/expert/login` the expert desk's; both take any staff account, and the token's
//! role decides what it opens.

use crate::AppState;
use crate::accounts::{self, Account, AccountView};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Map, Value, json};
use web::auth::AuthUser;
use web::auth::accounts::{Candidate, RefreshBody, Rotation};
use web::extract::{Command, OptionalJson};
use web::rate_limit::{LoginThrottle, WriteGate};
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub const REFRESH_PATH: &str = "/api/auth/refresh";
pub const LOGIN_PATH: &str = "/api/auth/login";
pub const EXPERT_LOGIN_PATH: &str = "/api/expert/login";

/// The back office's sign-in, token rotation and sign-out.
pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        // Reads the account beside its rate-limit counts.
        route!(login, Access::Public).signs_in(),
        route!(refresh, Access::Public),
        route!(logout, Access::Roles(Role::STAFF)),
    ]
}

/// The expert desk's login, served by the expert group.
pub fn expert_routes() -> Vec<Endpoint<AppState>> {
    vec![route!(expert_login, Access::Public).signs_in()]
}

/// A staff sign-in: an email (normalised) and a password, both required.
#[derive(utoipa::ToSchema)]
#[schema(as = LoginRequest)]
struct Credentials {
    #[schema(example = json!("admin@lumira.local"))]
    email: String,
    #[schema(example = json!("correct horse battery"), min_length = 1)]
    password: String,
}

impl TryFrom<&Map<String, Value>> for Credentials {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let (email, password) =
            web::auth::accounts::email_and_password(body, "Email and password are required")?;
        Ok(Credentials { email, password })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct SignedIn {
    success: bool,
    /// The access token (1 hour by default).
    token: String,
    /// Trades for a new pair at `/api/auth/refresh`; rotates on every use.
    refresh_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    user: Option<AccountView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    expert: Option<AccountView>,
}

/// Checks the credentials once the rate limits let the attempt through, then opens a
/// session.
async fn sign_in(
    state: &AppState,
    gate: &mut WriteGate,
    throttle: &LoginThrottle,
    body: Result<Command<Credentials>, ApiError>,
) -> ApiResult<(Account, String, String)> {
    let Command(Credentials { email, password }, _) = body?;
    // The account is read while the rate limits are counted (the route has early reads);
    // the password is checked, and the session written, once they let the attempt through.
    let find = accounts::find_by_email(&state.store, &email);
    let account = Candidate::read(throttle, &email, find).await?;
    gate.open().await?;
    let account = accounts::verify(throttle, &email, account, password).await?;
    let session = state
        .sessions
        .open((&account.id).into(), &account.role)
        .await?;
    Ok((account, session.access_token, session.refresh_token))
}

#[utoipa::path(
    post,
    path = LOGIN_PATH,
    tag = "Auth",
    operation_id = "login",
    summary = "Staff login (back office)",
    description = "Signs an admin or an expert in with their email and password. Rate limited per IP.",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in.", body = SignedIn),
        (status = 401, description = "Unknown email or wrong password.", body = crate::openapi::schemas::Error, example = json!({"error": "Invalid email or password"})),
        (status = 403, description = "The right password of an account an operator shut out.", body = crate::openapi::schemas::Error, example = json!({"error": "This account has been deactivated"})),
    )
)]
async fn login(
    State(state): State<AppState>,
    mut gate: WriteGate,
    throttle: LoginThrottle,
    body: Result<Command<Credentials>, ApiError>,
) -> ApiResult<Json<SignedIn>> {
    let (account, token, refresh_token) = sign_in(&state, &mut gate, &throttle, body).await?;
    Ok(Json(SignedIn {
        success: true,
        token,
        refresh_token,
        user: Some(AccountView::from(&account)),
        expert: None,
    }))
}

#[utoipa::path(
    post,
    path = EXPERT_LOGIN_PATH,
    tag = "Expert",
    operation_id = "expertLogin",
    summary = "Staff login (expert desk)",
    description = "As `/api/auth/login`, answering the account as `expert`.",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in.", body = SignedIn),
        (status = 401, description = "Unknown email or wrong password.", body = crate::openapi::schemas::Error, example = json!({"error": "Invalid email or password"})),
        (status = 403, description = "The right password of an account an operator shut out.", body = crate::openapi::schemas::Error, example = json!({"error": "This account has been deactivated"})),
    )
)]
async fn expert_login(
    State(state): State<AppState>,
    mut gate: WriteGate,
    throttle: LoginThrottle,
    body: Result<Command<Credentials>, ApiError>,
) -> ApiResult<Json<SignedIn>> {
    let (account, token, refresh_token) = sign_in(&state, &mut gate, &throttle, body).await?;
    Ok(Json(SignedIn {
        success: true,
        token,
        refresh_token,
        user: None,
        expert: Some(AccountView::from(&account)),
    }))
}

#[utoipa::path(
    post,
    path = REFRESH_PATH,
    tag = "Auth",
    operation_id = "refresh",
    summary = "New tokens for a refresh token",
    description = "Trades a refresh token for a new pair; the old one is spent.",
    request_body = crate::openapi::bodies::RefreshRequest,
    responses(
        (status = 200, description = "New tokens.", body = SignedIn),
        (status = 401, description = "The refresh token is invalid, spent or of an ended session.", body = crate::openapi::schemas::Error, example = json!({"error": "Session expired or invalid"})),
    )
)]
async fn refresh(
    State(state): State<AppState>,
    OptionalJson(body): OptionalJson<RefreshBody>,
) -> ApiResult<Json<SignedIn>> {
    let token = RefreshBody::token(body, "refreshToken is required")?;
    // A sanctuaire session has no refresh: its client is no staff account.
    let find = async |id: String| accounts::find(&state.store, &id).await;
    let (account, session) = state
        .sessions
        .refresh(&token, Rotation::Rotate, find, web::auth::session_expired)
        .await?;
    Ok(Json(SignedIn {
        success: true,
        token: session.access_token,
        refresh_token: session.refresh_token,
        user: Some(AccountView::from(&account)),
        expert: None,
    }))
}

/// Ends the caller's session.
#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "Auth",
    operation_id = "logout",
    summary = "Log out",
    description = "Ends the caller's session: its tokens stop working at once. Experts and admins.",
    responses(
        (status = 200, description = "Logged out.", body = crate::openapi::schemas::LoggedOut, example = json!({"success": true, "message": "Logged out"})),
    )
)]
async fn logout(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<Value>> {
    state.sessions.revoke(&caller.session).await?;
    Ok(Json(json!({"success": true, "message": "Logged out"})))
}
