//! `/api/auth/` (`cvbuilder.md` 1): register, log in by email (SimpleJWT's `access` and
//! `refresh`), refresh, the profile, and changing the password. Registering or logging in
//! with an anonymous session makes the session's résumés the user's.

mod answers;
mod forms;

use crate::users::{self, User, UserView};
use crate::{AppState, resumes};
use answers::{Message, Registered, TokenPair};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
pub(crate) use forms::password_problems;
use forms::{Credentials, ProfileChanges, RefreshToken, new_user, password};
use serde_json::{Map, Value};
use store::Update;
use web::auth::accounts::{self, Candidate, Change, Rotation, SignIn};
use web::auth::{AnonymousSession, AuthUser, SESSION_HEADER};
use web::error::FieldErrors;
use web::extract::{Command, Json as JsonBody};
use web::rate_limit::{LoginThrottle, WriteGate};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{DJANGO, Fields};
use web::{ApiError, ApiResult};

pub const REFRESH_PATH: &str = "/api/auth/refresh/";
pub const LOGIN_PATH: &str = "/api/auth/login/";
pub const REGISTER_PATH: &str = "/api/auth/register/";

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        // Both read the names they check beside their rate-limit counts; a registration
        // counts toward the login limit too.
        route!(register, Access::Public)
            .signs_in()
            .headers(&[SESSION_HEADER]),
        route!(login, Access::Public)
            .signs_in()
            .headers(&[SESSION_HEADER]),
        route!(refresh, Access::Public),
        route!(profile, Access::AnyUser),
        route!(update_profile, Access::AnyUser),
        route!(change_password, Access::AnyUser),
    ]
}

#[utoipa::path(
    post,
    path = REGISTER_PATH,
    tag = "Auth",
    operation_id = "register",
    summary = "Register",
    description = "Username and email unique, Django's password rules, `password2` must match. With an anonymous session, its résumés become the new user's.",
    request_body = crate::openapi::bodies::RegisterRequest,
    responses(
        (status = 201, description = "Registered.", body = Registered),
    )
)]
async fn register(
    State(state): State<AppState>,
    mut gate: WriteGate,
    carried: Option<AnonymousSession>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    let new = new_user(&body);
    // Every failing field at once: a name already taken beside a bad password.
    let taken = match (&new, body.get("username"), body.get("email")) {
        (_, Some(Value::String(u)), Some(Value::String(e))) => {
            let email = web::validate::email(e).unwrap_or_default();
            users::taken(&state.store, u.trim(), &email).await?
        }
        _ => FieldErrors::new(),
    };
    let new = match new {
        Ok(new) if taken.is_empty() => new,
        Ok(_) => return Err(ApiError::fields(taken)),
        Err(mut error) => {
            for (field, messages) in taken.iter() {
                for message in messages {
                    error.fields.add(field.to_string(), message.clone());
                }
            }
            return Err(error);
        }
    };
    gate.open().await?;
    let user = users::create(&state.store, new).await?;
    if let Some(session) = carried {
        resumes::claim(&state.store, &session, user.id).await?;
    }
    let registered = Registered {
        user: UserView::from(user),
        message: "User registered successfully",
    };
    Ok((StatusCode::CREATED, Json(registered)))
}

/// SimpleJWT's 401 for wrong credentials: DRF's `AuthenticationFailed`, which says only
/// `detail` (no token was involved, so not the `token_not_valid` code of a bad token's).
fn no_account() -> ApiError {
    ApiError::new(
        web::error::ErrorKind::MissingToken,
        "No active account found with the given credentials",
    )
}

#[utoipa::path(
    post,
    path = LOGIN_PATH,
    tag = "Auth",
    operation_id = "login",
    summary = "Log in by email",
    description = "Wrong credentials: 401 `No active account found with the given credentials`. With an anonymous session, its résumés become the user's.",
    request_body = Credentials,
    responses(
        (status = 200, description = "SimpleJWT's pair.", body = TokenPair),
        (status = 401, response = crate::openapi::Unauthorized),
    )
)]
async fn login(
    State(state): State<AppState>,
    mut gate: WriteGate,
    throttle: LoginThrottle,
    carried: Option<AnonymousSession>,
    Command(Credentials { email, password }, _): Command<Credentials>,
) -> ApiResult<Json<TokenPair>> {
    // Read while the rate limits are counted; checked once they let the attempt through.
    let login = web::validate::email(&email).unwrap_or_else(|| email.to_lowercase());
    let find = users::find_by_email(&state.store, &login);
    let user = Candidate::read(&throttle, &login, find).await?;
    gate.open().await?;
    let user = verify(&throttle, &login, user, password).await?;
    if let Some(session) = carried {
        resumes::claim(&state.store, &session, user.id).await?;
    }
    let session = state.sessions.open(user.id.into(), &user.role).await?;
    Ok(Json(TokenPair {
        access: session.access_token,
        refresh: session.refresh_token,
    }))
}

/// The user, if `password` is theirs; the hash is checked off the async threads, and
/// against a dummy when there is no user, so both failures take as long.
/// SimpleJWT says the same of a shut-out account as of wrong credentials.
async fn verify(
    throttle: &LoginThrottle,
    login: &str,
    user: Candidate<User>,
    password: String,
) -> ApiResult<User> {
    match accounts::check_password(throttle, login, user, password).await? {
        SignIn::Admitted(user) => Ok(user),
        SignIn::Deactivated(_) | SignIn::WrongCredentials => Err(no_account()),
    }
}

/// SimpleJWT's refresh without rotation (its default): the refresh token stays good until it
/// expires or its session is ended, so a client that keeps the one it logged in with works.
#[utoipa::path(
    post,
    path = REFRESH_PATH,
    tag = "Auth",
    operation_id = "refresh",
    summary = "A new access token",
    description = "The refresh token stays valid until it expires (one day) or its session ends (a password change ends the others).",
    request_body = RefreshToken,
    responses(
        (status = 200, description = "A new access token.", body = answers::Access),
        (status = 401, response = crate::openapi::Unauthorized),
    )
)]
async fn refresh(
    State(state): State<AppState>,
    Command(RefreshToken { refresh: token }, _): Command<RefreshToken>,
) -> ApiResult<Json<answers::Access>> {
    let find = |id| users::find(&state.store, id);
    let (_, session) = state
        .sessions
        .refresh(&token, Rotation::Keep, find, web::auth::session_expired)
        .await?;
    Ok(Json(answers::Access {
        access: session.access_token,
    }))
}

/// The caller's account.
async fn me(state: &AppState, caller: &AuthUser) -> ApiResult<User> {
    users::find(&state.store, caller.int_id()?)
        .await?
        .ok_or_else(web::auth::invalid_token)
}

#[utoipa::path(
    get,
    path = "/api/auth/profile/",
    tag = "Auth",
    operation_id = "profile",
    summary = "The caller's profile",
    responses(
        (status = 200, description = "The profile.", body = crate::users::UserView),
    )
)]
async fn profile(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<UserView>> {
    Ok(Json(me(&state, &caller).await?.into()))
}

/// What the profile lets a user change; the rest is read-only, and ignored as DRF does.
#[utoipa::path(
    patch,
    path = "/api/auth/profile/",
    tag = "Auth",
    operation_id = "updateProfile",
    summary = "Change the profile",
    request_body = ProfileChanges,
    responses(
        (status = 200, description = "The profile after.", body = crate::users::UserView),
    )
)]
async fn update_profile(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(changes, _): Command<ProfileChanges>,
) -> ApiResult<Json<UserView>> {
    let user = users::change(&state.store, caller.int_id()?, changes.update()).await?;
    Ok(Json(user.into()))
}

#[utoipa::path(
    post,
    path = "/api/auth/change-password/",
    tag = "Auth",
    operation_id = "changePassword",
    summary = "Change the password",
    description = "Checks the old password; every other session of the user ends.",
    request_body = crate::openapi::bodies::ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed.", body = Message),
    )
)]
async fn change_password(
    State(state): State<AppState>,
    caller: AuthUser,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> ApiResult<Json<Message>> {
    let mut fields = Fields::new(&body, &DJANGO);
    let old = fields.required_with("old_password", password);
    let new = fields.required_with("new_password", password);
    let again = fields.required_with("new_password2", password);
    let user = me(&state, &caller).await?;
    if let Some(old) = &old {
        let hash = Some(user.password_hash.clone());
        if !accounts::password_matches(hash, old.clone()).await? {
            fields.refuse("old_password", "Wrong password.");
        }
    }
    if let (Some(new), Some(again)) = (&new, &again) {
        if new != again {
            fields.refuse("new_password2", "New passwords must match.");
        } else {
            for problem in password_problems(new, &user.attributes()) {
                fields.refuse("new_password", problem);
            }
        }
    }
    let (Some(_), Some(new), Some(_)) = (old, new, again) else {
        return Err(fields.into_error());
    };
    fields.finish()?;
    let hash = accounts::hash_password(&new).await?;
    users::change(
        &state.store,
        user.id,
        Update::new().set("password_hash", hash),
    )
    .await?;
    // Every other session ends: a stolen refresh token dies with the old password.
    let kept = Change::PasswordFrom {
        kept: &caller.session,
    };
    accounts::changed(&state.store, &user.id.into(), kept).await?;
    Ok(Json(Message {
        message: "Password changed successfully",
    }))
}
