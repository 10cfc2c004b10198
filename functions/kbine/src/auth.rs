//! Phone-number login (the account is created on first login), refresh with rotation, logout.

use crate::AppState;
use crate::openapi::bodies::{LogoutRequest, RefreshRequest};
use crate::openapi::{Error, Message};
use crate::otp::{self, LoginMode};
use crate::phone::PhoneNumber;
use crate::role::Role;
use crate::users::{self, Account};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use web::auth::AuthUser;
use web::auth::accounts::{self, Candidate, Opened, RefreshBody, Rotation, SignIn};
use web::extract::{Command, OptionalJson};
use web::rate_limit::{LoginThrottle, WriteGate};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{self, Fields};
use web::{ApiError, ApiResult};

pub const REFRESH_PATH: &str = "/api/auth/refresh";
pub const LOGIN_PATH: &str = "/api/auth/login";

/// Sign-in, token rotation and sign-out.
pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        // Reads the account beside its rate-limit counts (two round trips in sequence, not
        // three).
        route!(login, Access::Public).signs_in(),
        route!(refresh, Access::Public),
        route!(logout, Access::AnyUser),
    ]
}

// A sign-in, read at once: the number, and what proves it for the accounts that need one (a
// staff or admin account's password, which a client's login ignores; a client's one-time
// code in the code mode). Plain comments: a doc comment would become a description in the
// French document.
#[derive(utoipa::ToSchema)]
#[schema(as = LoginRequest, example = json!({"phoneNumber": "0701020304"}))]
struct SignInForm {
    /// Numéro de téléphone, sous l'une des formes acceptées.
    #[schema(rename = "phoneNumber", value_type = String, example = json!("0701020304"))]
    phone: PhoneNumber,
    /// Mot de passe des comptes `staff` et `admin` (requis pour eux) ; ignoré pour un client.
    #[schema(example = json!("mot-de-passe-du-staff"), nullable = false)]
    password: Option<String>,
    /// Mode code à usage unique : le code de 6 chiffres reçu par SMS.
    #[schema(example = json!("482913"), min_length = 6, max_length = 6, pattern = "^[0-9]{6}$", nullable = false)]
    code: Option<String>,
}

impl TryFrom<&Map<String, Value>> for SignInForm {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        let phone = match fields.value("phoneNumber") {
            Some(Value::String(text)) => fields.check("phoneNumber", PhoneNumber::parse(text)),
            Some(Value::Number(n)) => {
                fields.check("phoneNumber", PhoneNumber::parse(&n.to_string()))
            }
            _ => {
                fields.refuse_titled(
                    "phoneNumber",
                    "Numéro de téléphone invalide",
                    "Le numéro de téléphone est requis",
                );
                None
            }
        };
        // Read as sent, `null` included: a `null` or a number is refused rather than taken
        // for no password.
        let password = match body.get("password") {
            None => None,
            Some(Value::String(password)) => Some(password.clone()),
            Some(_) => {
                fields.refuse_titled(
                    "password",
                    "Mot de passe invalide",
                    "Le mot de passe doit être une chaîne de caractères",
                );
                None
            }
        };
        let code = body
            .get("code")
            .and_then(|code| fields.check("code", otp::parse_code(code)));
        let Some(phone) = phone else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(SignInForm {
            phone,
            password,
            code,
        })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct SessionUser {
    #[schema(example = json!(1))]
    id: i64,
    #[schema(value_type = crate::openapi::schemas::PhoneNumber)]
    phone_number: String,
    #[schema(value_type = crate::openapi::schemas::Role)]
    role: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Session)]
#[serde(rename_all = "camelCase")]
struct SessionAnswer {
    /// Token d'accès JWT, à envoyer dans `Authorization: Bearer <token>`.
    #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
    token: String,
    /// Refresh token (usage unique : il est renouvelé à chaque rafraîchissement).
    #[schema(example = json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."))]
    refresh_token: String,
    user: SessionUser,
}

fn answer(user: Account, session: Opened) -> Json<SessionAnswer> {
    Json(SessionAnswer {
        token: session.access_token,
        refresh_token: session.refresh_token,
        user: SessionUser {
            id: user.id,
            phone_number: user.phone_number,
            role: user.role,
        },
    })
}

#[utoipa::path(
    post,
    path = LOGIN_PATH,
    tag = "Authentification",
    operation_id = "login",
    summary = "Connexion / Inscription",
    description = "Authentifie un utilisateur par son numéro de téléphone. Crée automatiquement un compte (rôle `client`) si l'utilisateur n'existe pas.\n\nLes comptes `staff` et `admin` donnent en plus leur mot de passe (`password`, fixé par la commande d'administration) : le numéro seul ne leur ouvre pas de session, un numéro de téléphone n'étant pas un secret. Un client n'en a pas ; s'il en envoie un, il est ignoré.\n\n**Mode code à usage unique** (réglage `LOGIN_MODE=otp`, recommandé en production ; le défaut `phone` est le comportement du document) : pour un client, un premier appel avec le numéro seul envoie un code de 6 chiffres par SMS et répond 202 ; un second appel avec `phoneNumber` et `code` donne la réponse documentée. Un code vaut 5 minutes, sert une fois et admet 5 essais ; 3 codes au plus par numéro et par 15 minutes.\n\nFormats acceptés pour le numéro : `0701020304`, `07 01 02 03 04`, `+225 07 01 02 03 04`, `00225 07 01 02 03 04`. Préfixes valides : `01` (Moov), `05` (MTN), `07` (Orange).\n\nLimite : 5 tentatives par 15 minutes par IP (chaque tentative compte).",
    request_body = SignInForm,
    responses(
        (status = 200, description = "Connexion réussie.", body = SessionAnswer, example = json!({"token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...", "refreshToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...", "user": {"id": 1, "phoneNumber": "0701020304", "role": "client"}})),
        (status = 202, description = "Mode code à usage unique : code envoyé par SMS au client (aucune session encore).", body = CodeSent, example = json!({"message": "Code de connexion envoyé par SMS", "expiresIn": 300})),
        (status = 400, description = "Numéro invalide, mot de passe qui n'est pas une chaîne, code qui n'est pas de 6 chiffres, ou corps invalide.", body = Error, examples(("e1" = (summary = "Numéro de téléphone invalide", value = json!({"error": "Numéro de téléphone invalide", "details": "Le numéro doit contenir exactement 10 chiffres"}))), ("e2" = (summary = "Numéro de téléphone invalide", value = json!({"error": "Numéro de téléphone invalide", "details": "Préfixe invalide. Les préfixes valides sont: 01, 05, 07"}))), ("e3" = (summary = "Numéro de téléphone invalide", value = json!({"error": "Numéro de téléphone invalide", "details": "Le numéro de téléphone est requis"}))), ("e4" = (summary = "Mot de passe invalide", value = json!({"error": "Mot de passe invalide", "details": "Le mot de passe doit être une chaîne de caractères"}))), ("e5" = (summary = "Code invalide", value = json!({"error": "Code invalide", "details": "Le code est de 6 chiffres"}))))),
        (status = 401, description = "Compte `staff` ou `admin` : mot de passe absent ou erroné ; mode code à usage unique : code erroné, expiré ou déjà utilisé.", body = Error, examples(("missing" = (summary = "Mot de passe absent", value = json!({"error": "Mot de passe requis pour ce compte"}))), ("wrong" = (summary = "Mot de passe erroné", value = json!({"error": "Identifiants invalides"}))), ("code" = (summary = "Code erroné ou expiré", value = json!({"error": "Code invalide ou expiré"}))))),
        (status = 403, description = "Compte désactivé par un opérateur (pour un compte `staff` ou `admin`, dit seulement avec le bon mot de passe).", body = Error, example = json!({"error": "Compte désactivé"})),
        (status = 429, description = "Trop de tentatives de connexion (5 par 15 minutes par IP), limite globale, ou, en mode code, trop de codes demandés pour ce numéro (3 par 15 minutes).", headers(("Retry-After" = String)), body = Error, examples(("login" = (summary = "Tentatives", value = json!({"error": "Trop de tentatives de connexion, veuillez réessayer plus tard", "details": "Réessayez dans 600 secondes"}))), ("codes" = (summary = "Codes", value = json!({"error": "Trop de codes demandés pour ce numéro, veuillez réessayer plus tard"}))))),
        (status = 500, description = "Erreur serveur.", body = Error, example = json!({"error": "Erreur serveur lors de la connexion"})),
    )
)]
async fn login(
    State(state): State<AppState>,
    mut gate: WriteGate,
    throttle: LoginThrottle,
    body: Result<Command<SignInForm>, ApiError>,
) -> ApiResult<Response> {
    let Command(
        SignInForm {
            phone,
            password,
            code,
        },
        _,
    ) = body?;
    let result = async {
        // The account is read while the rate limits are counted; nothing is written before
        // they let the attempt through (the route is declared with early reads).
        let account = users::find_account(&state.store, &phone).await?;
        gate.open().await?;
        // Checked once the rate limits let the attempt through, so they bound the guesses.
        if let Some(account) = account.as_ref().filter(|a| a.signs_in_with_password()) {
            check_password(&throttle, account, password).await?;
        } else if account.as_ref().is_some_and(|a| !a.active) {
            return Err(deactivated());
        } else if state.config.login_mode == LoginMode::Otp {
            match &code {
                None => {
                    otp::send_code(&state, &phone).await?;
                    return Ok(code_sent());
                }
                Some(code) => otp::check_code(&state, &phone, code).await?,
            }
        }
        // A first login creates the account and its session in one transaction: a failure
        // leaves neither. An existing account gets a session of its own.
        let mut opened = None;
        let (user, created) = match account {
            Some(account) => (account, false),
            None => {
                users::create_with(&state.store, &phone, Role::Client.as_str(), |id| {
                    let (session, write) = state.sessions.begin(id.into())?;
                    opened = Some(session);
                    Ok(vec![write])
                })
                .await?
            }
        };
        let session = match opened.filter(|_| created) {
            Some(session) => state.sessions.opened(session, &user.role)?,
            None => state.sessions.open(user.id.into(), &user.role).await?,
        };
        Ok::<_, ApiError>(answer(user, session).into_response())
    }
    .await;
    result.map_err(|e| e.or_server_message("Erreur serveur lors de la connexion"))
}

// The first step of a one-time-code login: the code is on its way.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = LoginCodeSent)]
#[serde(rename_all = "camelCase")]
struct CodeSent {
    /// Secondes de validité du code.
    #[schema(example = json!(300))]
    expires_in: i64,
    #[schema(example = json!("Code de connexion envoyé par SMS"))]
    message: &'static str,
}

fn code_sent() -> Response {
    let body = CodeSent {
        expires_in: otp::CODE_TTL_SECS,
        message: "Code de connexion envoyé par SMS",
    };
    (StatusCode::ACCEPTED, Json(body)).into_response()
}

/// A staff or admin login's password against the account's hash; an account that has none
/// (promoted before passwords) is checked against a dummy, and refused, in the same time.
async fn check_password(
    throttle: &LoginThrottle,
    account: &Account,
    password: Option<String>,
) -> ApiResult<()> {
    let Some(password) = password else {
        return Err(ApiError::unauthorized("Mot de passe requis pour ce compte"));
    };
    let login = &account.phone_number;
    let candidate = Candidate::checked(throttle, login, Some(account.clone())).await;
    match accounts::check_password(throttle, login, candidate, password).await? {
        SignIn::Admitted(_) => Ok(()),
        SignIn::Deactivated(_) => Err(deactivated()),
        SignIn::WrongCredentials => {
            tracing::warn!(
                user_id = account.id,
                "staff or admin login with a wrong password"
            );
            Err(ApiError::unauthorized("Identifiants invalides"))
        }
    }
}

/// An account an operator shut out (`local-api admin deactivate`).
fn deactivated() -> ApiError {
    ApiError::forbidden("Compte désactivé")
}

#[utoipa::path(
    post,
    path = REFRESH_PATH,
    tag = "Authentification",
    operation_id = "refresh",
    summary = "Rafraîchir le token",
    description = "Génère un nouveau token d'accès à partir d'un refresh token. Le refresh token est à usage unique : la réponse en donne un nouveau.\n\nUn refresh token tout juste remplacé qui revient dans les 10 secondes (deux onglets, une réponse perdue) reçoit la même nouvelle paire ; présenté plus tard, ou plus ancien, il est pris pour une copie volée et met fin à la session (401).",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "Nouveaux tokens.", body = SessionAnswer),
        (status = 400, description = "Refresh token manquant, ou corps invalide.", body = Error, example = json!({"error": "Refresh token requis"})),
        (status = 401, description = "Session expirée, révoquée ou utilisateur supprimé.", body = Error, examples(("e1" = (summary = "Session expirée ou invalide", value = json!({"error": "Session expirée ou invalide"}))), ("e2" = (summary = "Utilisateur non trouvé", value = json!({"error": "Utilisateur non trouvé"}))))),
    )
)]
async fn refresh(
    State(state): State<AppState>,
    OptionalJson(body): OptionalJson<RefreshBody>,
) -> ApiResult<Json<SessionAnswer>> {
    let token = RefreshBody::token(body, "Refresh token requis")?;
    let find = async |id| Ok(users::find(&state.store, id).await?.map(Account::from));
    let (user, session) = state
        .sessions
        .refresh(&token, Rotation::Rotate, find, || {
            ApiError::unauthorized("Utilisateur non trouvé")
        })
        .await?;
    Ok(answer(user, session))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogoutBody {
    refresh_token: Option<String>,
}

/// Ends the caller's session; with a refresh token in the body, that token's session too,
/// and with none, every session of the caller.
#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "Authentification",
    operation_id = "logout",
    summary = "Déconnexion",
    description = "Déconnecte l'utilisateur et invalide ses sessions : la session du token, et celle du refresh token fourni, ou toutes ses sessions sans refresh token.",
    request_body(content = Option<LogoutRequest>, description = "Corps optionnel."),
    responses(
        (status = 200, description = "Déconnexion réussie.", body = Message, example = json!({"message": "Déconnexion réussie"})),
    )
)]
async fn logout(
    State(state): State<AppState>,
    caller: AuthUser,
    OptionalJson(body): OptionalJson<LogoutBody>,
) -> ApiResult<Json<Message>> {
    let mut ended = match body.and_then(|b| b.refresh_token) {
        // A token that is not the caller's, or not valid, has nothing to revoke.
        Some(token) => state
            .sessions
            .sid_of(&caller.id, &token)
            .into_iter()
            .collect(),
        None => state.sessions.open_sessions(&caller.id).await?,
    };
    // All at once, the caller's own session last.
    ended.retain(|sid| *sid != caller.session);
    ended.push(caller.session);
    state.sessions.revoke_together(ended).await?;
    Ok(Json(Message::new("Déconnexion réussie")))
}
