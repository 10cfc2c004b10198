//! Accounts as their owners use them: `register(email, password, name, clubId)` and
//! `login(email, password)` of the document's client, each answering `{token, user}` (with
//! the refresh token beside them), and the token's renewal.

use crate::AppState;
use crate::accounts::{self, NewUser, User, UserView};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use store::{Cond, TxOp};
use web::auth::accounts::{self as shared, Candidate, RefreshBody, Rotation, SignIn};
use web::extract::{Command, OptionalJson};
use web::rate_limit::{LOGIN, LoginThrottle, WriteGate};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

pub const LOGIN_PATH: &str = "/api/auth/login";
pub const REFRESH_PATH: &str = "/api/auth/refresh";

/// Passwords: long enough to resist guessing, short enough to hash cheaply.
const MIN_PASSWORD_LEN: usize = 8;
const MAX_PASSWORD_LEN: usize = 128;
const MAX_NAME_LEN: usize = 100;

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(register, Access::Public).limited(LOGIN),
        // Reads the account beside its rate-limit counts.
        route!(login, Access::Public).signs_in(),
        route!(refresh, Access::Public),
    ]
}

// `POST /api/auth/register`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "camelCase")]
#[schema(as = RegisterRequest, example = json!({"email": "awa@example.com", "password": "Allez les rouges 2026", "name": "Awa Diop", "clubId": "psg"}))]
pub struct Registration {
    #[schema(format = Email)]
    email: String,
    #[schema(min_length = 8, max_length = 128)]
    password: String,
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    name: String,
    /// Le club soutenu (`psg`, `om`, ...).
    #[schema(min_length = 1, max_length = 40, pattern = "^[a-z0-9-]+$")]
    club_id: String,
}

fn name(value: &Value) -> Result<String, Cow<'static, str>> {
    match value.as_str().map(str::trim) {
        Some("") | None => Err("doit être un texte non vide".into()),
        Some(text) if text.chars().count() > MAX_NAME_LEN => {
            Err(format!("doit contenir au plus {MAX_NAME_LEN} caractères").into())
        }
        Some(text) => Ok(text.to_owned()),
    }
}

/// What the password rules say of `password`, in French.
pub fn password_problems(password: &str, attributes: &[(&'static str, &str)]) -> Vec<String> {
    web::password::problems_in_french(password, MIN_PASSWORD_LEN, MAX_PASSWORD_LEN, attributes)
}

impl TryFrom<&Map<String, Value>> for Registration {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let email = fields.required_with("email", |v| {
            v.as_str()
                .and_then(web::validate::email)
                .ok_or_else(|| "Email invalide".into())
        });
        let name = fields.required_with("name", name);
        let club_id = fields.required_with("clubId", |v| {
            v.as_str()
                .filter(|id| crate::clubs::is_club_id(id))
                .map(str::to_owned)
                .ok_or_else(|| "Club inconnu".into())
        });
        let password = fields.required_str("password");
        if let Some(password) = password {
            let attributes = [
                ("email", email.as_deref().unwrap_or_default()),
                ("name", name.as_deref().unwrap_or_default()),
            ];
            for problem in password_problems(password, &attributes) {
                fields.refuse("password", problem);
            }
        }
        match (email, password, name, club_id) {
            (Some(email), Some(password), Some(name), Some(club_id)) => {
                fields.finish()?;
                Ok(Registration {
                    email,
                    password: password.to_owned(),
                    name,
                    club_id,
                })
            }
            _ => Err(fields.into_error()),
        }
    }
}

// `POST /api/auth/login`.
#[derive(utoipa::ToSchema)]
#[schema(as = LoginRequest, example = json!({"email": "demo@paiecashfan.com", "password": "Allez les rouges 2026"}))]
pub struct Credentials {
    #[schema(format = Email)]
    email: String,
    #[schema(min_length = 1)]
    password: String,
}

impl TryFrom<&Map<String, Value>> for Credentials {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let (email, password) = shared::email_and_password(body, "Email et mot de passe requis")?;
        Ok(Credentials { email, password })
    }
}

// A session just opened, with its account.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    /// Le token d'accès (1 heure) : `Authorization: Bearer <token>`.
    #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
    token: String,
    /// S'échange contre une nouvelle paire sur `/api/auth/refresh` ; chaque usage le dépense.
    #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
    refresh_token: String,
    user: UserView,
}

fn signed_in(user: &User, session: shared::Opened) -> SignedIn {
    SignedIn {
        token: session.access_token,
        refresh_token: session.refresh_token,
        user: UserView::from(user),
    }
}

/// The registration's step that fails when its club does not exist.
const CLUB: &str = "club";

#[utoipa::path(
    post,
    path = "/api/auth/register",
    tag = "Auth",
    operation_id = "register",
    summary = "Créer un compte fan",
    description = "`register(email, password, name, clubId)` : crée un compte `fan` avec son portefeuille (0 €) et ouvre sa session. L'email est unique (sans tenir compte de la casse) ; `clubId` nomme un club existant.",
    request_body = Registration,
    responses(
        (status = 201, description = "Compte créé, session ouverte.", body = SignedIn),
        (status = 409, description = "Email déjà utilisé.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "conflict", "message": "Cet email est déjà utilisé"}})),
    )
)]
async fn register(
    State(state): State<AppState>,
    Command(registration, _): Command<Registration>,
) -> ApiResult<(StatusCode, Json<SignedIn>)> {
    let unknown_club = || ApiError::field("clubId", "Club inconnu");
    if !crate::clubs::is_club_id(&registration.club_id) {
        return Err(unknown_club());
    }
    let password_hash = shared::hash_password(&registration.password).await?;
    let user = NewUser {
        email: registration.email,
        name: registration.name,
        club_id: registration.club_id,
        role: Role::Fan,
        password_hash,
    }
    .into_user(&web::time::now());
    // The club is checked in the account's own transaction: one round trip for both.
    let mut ops = accounts::creation(&user)?;
    let club = TxOp::Check {
        key: crate::clubs::key(&user.club_id),
        cond: Cond::Exists,
    };
    ops.push((CLUB, club));
    match state.store.transact_named(ops).await {
        Ok(()) => {}
        Err(e) if e.failed(accounts::EMAIL_GUARD) => {
            return Err(ApiError::conflict("Cet email est déjà utilisé"));
        }
        Err(e) if e.failed(CLUB) => return Err(unknown_club()),
        Err(e) => return Err(e.into()),
    }
    let session = state.sessions.open((&user.id).into(), &user.role).await?;
    Ok((StatusCode::CREATED, Json(signed_in(&user, session))))
}

#[utoipa::path(
    post,
    path = LOGIN_PATH,
    tag = "Auth",
    operation_id = "login",
    summary = "Se connecter",
    description = "`login(email, password)`. Limité par adresse IP et par compte.",
    request_body = Credentials,
    responses(
        (status = 200, description = "Connecté.", body = SignedIn),
        (status = 401, description = "Email inconnu ou mot de passe erroné.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "invalid_token", "message": "Email ou mot de passe incorrect"}})),
        (status = 403, description = "Le bon mot de passe d'un compte désactivé.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "forbidden", "message": "Compte désactivé"}})),
    )
)]
async fn login(
    State(state): State<AppState>,
    mut gate: WriteGate,
    throttle: LoginThrottle,
    body: Result<Command<Credentials>, ApiError>,
) -> ApiResult<Json<SignedIn>> {
    let Command(Credentials { email, password }, _) = body?;
    // Read while the rate limits are counted; checked once they let the attempt through.
    let find = accounts::find_by_email(&state.store, &email);
    let candidate = Candidate::read(&throttle, &email, find).await?;
    gate.open().await?;
    match shared::check_password(&throttle, &email, candidate, password).await? {
        SignIn::Admitted(user) => {
            let session = state.sessions.open((&user.id).into(), &user.role).await?;
            Ok(Json(signed_in(&user, session)))
        }
        SignIn::WrongCredentials => Err(ApiError::unauthorized("Email ou mot de passe incorrect")),
        SignIn::Deactivated(_) => Err(ApiError::forbidden("Compte désactivé")),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
    token: String,
    #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
    refresh_token: String,
}

#[utoipa::path(
    post,
    path = REFRESH_PATH,
    tag = "Auth",
    operation_id = "refresh",
    summary = "Renouveler les tokens",
    description = "Échange un refresh token contre une nouvelle paire ; l'ancien est dépensé. Un compte désactivé n'est plus renouvelé.",
    request_body = crate::openapi::bodies::RefreshRequest,
    responses(
        (status = 200, description = "Nouvelle paire.", body = Tokens),
        (status = 401, description = "Refresh token invalide, dépensé ou d'une session close.", body = crate::openapi::schemas::Error),
    )
)]
async fn refresh(
    State(state): State<AppState>,
    OptionalJson(body): OptionalJson<RefreshBody>,
) -> ApiResult<Json<Tokens>> {
    let token = RefreshBody::token(body, "Refresh token requis")?;
    let find = async |id: String| accounts::find(&state.store, &id).await;
    let (_, session): (User, _) = state
        .sessions
        .refresh(&token, Rotation::Rotate, find, web::auth::session_expired)
        .await?;
    Ok(Json(Tokens {
        token: session.access_token,
        refresh_token: session.refresh_token,
    }))
}
