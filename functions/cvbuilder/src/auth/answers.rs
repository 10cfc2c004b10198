//! What the account routes answer, as SimpleJWT and the old Django views said it.

use crate::users::UserView;
use serde::Serialize;

/// A new account, and Django's confirmation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub user: UserView,
    pub message: &'static str,
}

/// SimpleJWT's pair, on login.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access: String,
    pub refresh: String,
}

/// SimpleJWT's refresh: a new access token.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Access {
    pub access: String,
}

/// A confirmation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Message {
    pub message: &'static str,
}
