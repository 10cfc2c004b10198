//! Accounts as their owners use them: registration, sign-in (a security event each time,
//! admitted or not), token rotation, sign-out and the caller's own account. A deactivated
//! account cannot sign in, and deactivating it ends its sessions at once.

mod forms;

use crate::AppState;
use crate::answers::{self, Done, Envelope};
use crate::mails;
use crate::security::{Attempt, AutoBan, EventType, RiskLevel};
use crate::users::{self, User, UserView};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header::USER_AGENT};
use forms::{Credentials, Registration};
pub use forms::{Gender, password_problems};
use serde::Serialize;
use web::auth::AuthUser;
use web::auth::accounts::{self, Candidate, RefreshBody, Rotation, SignIn};
use web::extract::{ClientIp, Command, OptionalJson};
use web::rate_limit::{LOGIN, LoginThrottle, WriteGate};
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub const LOGIN_PATH: &str = "/api/auth/login";
pub const REFRESH_PATH: &str = "/api/auth/refresh";

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(register, Access::Public).limited(LOGIN),
        // Reads the account beside its rate-limit counts.
        route!(login, Access::Public).signs_in(),
        route!(refresh, Access::Public),
        route!(logout, Access::AnyUser),
        route!(me, Access::AnyUser),
    ]
}

// A session just opened, with its account.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    /// Le token d'accès (1 heure par défaut) : `Authorization: Bearer <token>`.
    #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
    token: String,
    /// S'échange contre une nouvelle paire sur `/api/auth/refresh` ; chaque usage le dépense.
    #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
    refresh_token: String,
    user: UserView,
}

fn signed_in(user: &User, session: accounts::Opened) -> SignedIn {
    SignedIn {
        token: session.access_token,
        refresh_token: session.refresh_token,
        user: UserView::from(user),
    }
}

fn wrong_credentials() -> ApiError {
    ApiError::unauthorized("Email ou mot de passe incorrect")
}

fn deactivated() -> ApiError {
    ApiError::forbidden("Compte désactivé")
}

#[utoipa::path(
    post,
    path = "/api/auth/register",
    tag = "Authentification",
    operation_id = "register",
    summary = "Créer un compte client",
    description = "Crée un compte `client` et ouvre sa session. L'email est unique (sans tenir compte de la casse).",
    request_body = Registration,
    responses(
        (status = 201, description = "Compte créé, session ouverte.", body = Envelope<SignedIn>),
        (status = 409, description = "Email déjà utilisé.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Cet email est déjà utilisé"})),
    )
)]
async fn register(
    State(state): State<AppState>,
    Command(registration, _): Command<Registration>,
) -> ApiResult<(StatusCode, Json<Envelope<SignedIn>>)> {
    let password_hash = accounts::hash_password(&registration.password).await?;
    let user = registration.into_user(password_hash, &web::time::now());
    if !users::create(&state.store, &user).await? {
        return Err(ApiError::conflict("Cet email est déjà utilisé"));
    }
    let session = state.sessions.open((&user.id).into(), &user.role).await?;
    let to = mails::To {
        email: &user.email,
        first_name: &user.first_name,
    };
    mails::send(&state, to, mails::Mail::Welcome).await;
    Ok(answers::created(
        "Inscription réussie",
        signed_in(&user, session),
    ))
}

#[utoipa::path(
    post,
    path = LOGIN_PATH,
    tag = "Authentification",
    operation_id = "login",
    summary = "Se connecter",
    description = "Email et mot de passe. Chaque tentative, admise ou refusée, est un événement de sécurité (adresse IP, email, user agent, niveau de risque). Limité par adresse IP et par compte.",
    request_body = Credentials,
    responses(
        (status = 200, description = "Connecté.", body = Envelope<SignedIn>),
        (status = 401, description = "Email inconnu ou mot de passe erroné.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Email ou mot de passe incorrect"})),
        (status = 403, description = "Le bon mot de passe d'un compte désactivé.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Compte désactivé"})),
    )
)]
async fn login(
    State(state): State<AppState>,
    mut gate: WriteGate,
    throttle: LoginThrottle,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Result<Command<Credentials>, ApiError>,
) -> ApiResult<Json<Envelope<SignedIn>>> {
    let Command(Credentials { email, password }, _) = body?;
    let attempt = Attempt {
        ip: &ip,
        email: &email,
        user_agent: headers.get(USER_AGENT).and_then(|v| v.to_str().ok()),
        at: chrono::Utc::now(),
    };
    // The account and the address's record are read while the rate limits count the
    // attempt; the password is checked, and the outcome written, once they let it through.
    let find = users::find_by_email(&state.store, &email);
    let (candidate, risk) = tokio::join!(
        Candidate::read(&throttle, &email, find),
        crate::security::risk_of(&state.store, &ip, attempt.at)
    );
    let (candidate, (failures, risk)) = (candidate?, risk?);
    let auto_ban = (failures, AutoBan::from(&state.config.edge));
    gate.open().await?;
    let outcome = accounts::check_password(&throttle, &email, candidate, password).await;
    match outcome {
        Ok(SignIn::Admitted(user)) => {
            let (session, write) = state.sessions.begin((&user.id).into())?;
            let mut ops = attempt.record(EventType::LoginSuccess, risk, Some(&user.id))?;
            ops.push(("session", write));
            ops.push((
                "last_login",
                users::signed_in(&user.id, &web::time::format(attempt.at)),
            ));
            state.store.transact_named(ops).await?;
            let session = state.sessions.opened(session, &user.role)?;
            Ok(answers::ok(signed_in(&user, session)))
        }
        Ok(SignIn::WrongCredentials) => {
            // A refusal is of medium risk at least.
            let risk = if risk == RiskLevel::Low {
                RiskLevel::Medium
            } else {
                risk
            };
            let failed = EventType::LoginFailed;
            attempt
                .refused(&state.store, failed, risk, None, auto_ban)
                .await?;
            Err(wrong_credentials())
        }
        Ok(SignIn::Deactivated(account)) => {
            let failed = EventType::LoginFailed;
            attempt
                .refused(&state.store, failed, risk, Some(&account.id), auto_ban)
                .await?;
            Err(deactivated())
        }
        Err(throttled) => {
            let (blocked, high) = (EventType::LoginBlocked, RiskLevel::High);
            attempt
                .refused(&state.store, blocked, high, None, auto_ban)
                .await?;
            Err(throttled)
        }
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
    tag = "Authentification",
    operation_id = "refresh",
    summary = "Renouveler les tokens",
    description = "Échange un refresh token contre une nouvelle paire ; l'ancien est dépensé. Un compte désactivé ou supprimé n'est plus renouvelé.",
    request_body = crate::openapi::bodies::RefreshRequest,
    responses(
        (status = 200, description = "Nouvelle paire.", body = Envelope<Tokens>),
        (status = 401, description = "Refresh token invalide, dépensé ou d'une session close.", body = crate::openapi::schemas::Error),
    )
)]
async fn refresh(
    State(state): State<AppState>,
    OptionalJson(body): OptionalJson<RefreshBody>,
) -> ApiResult<Json<Envelope<Tokens>>> {
    let token = RefreshBody::token(body, "Refresh token requis")?;
    let find = async |id: String| users::find(&state.store, &id).await;
    let (_, session): (User, _) = state
        .sessions
        .refresh(&token, Rotation::Rotate, find, web::auth::session_expired)
        .await?;
    Ok(answers::ok(Tokens {
        token: session.access_token,
        refresh_token: session.refresh_token,
    }))
}

#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "Authentification",
    operation_id = "logout",
    summary = "Se déconnecter",
    description = "Ferme la session de l'appelant : ses tokens cessent de fonctionner aussitôt.",
    responses(
        (status = 200, description = "Déconnecté.", body = Done, example = json!({"success": true, "message": "Déconnexion réussie"})),
    )
)]
async fn logout(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<Done>> {
    state.sessions.revoke(&caller.session).await?;
    Ok(Done::said("Déconnexion réussie"))
}

#[utoipa::path(
    get,
    path = "/api/auth/me",
    tag = "Authentification",
    operation_id = "me",
    summary = "Mon compte",
    description = "Le compte de l'appelant.",
    responses(
        (status = 200, description = "Le compte.", body = Envelope<UserView>),
    )
)]
async fn me(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Envelope<UserView>>> {
    let id = caller.id.to_string();
    let user = users::find(&state.store, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("Utilisateur non trouvé"))?;
    Ok(answers::ok(UserView::from(&user)))
}
