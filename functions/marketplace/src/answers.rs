//! The document's success envelope: `{"success": true, "data": ...}`, with a `message` where
//! the document gives one. Its failures are the error style's (`{"success": false,
//! "message": "..."}`).

use axum::Json;
use axum::http::StatusCode;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Envelope<T> {
    /// Toujours `true` (un échec répond `false` et un `message`).
    #[schema(example = json!(true))]
    pub success: bool,
    /// Ce qui a été fait, quand la route le dit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub message: Option<&'static str>,
    pub data: T,
}

/// `data` in the envelope.
pub fn ok<T>(data: T) -> Json<Envelope<T>> {
    Json(Envelope {
        success: true,
        message: None,
        data,
    })
}

/// `data` in the envelope, with what was done.
pub fn done<T>(message: &'static str, data: T) -> Json<Envelope<T>> {
    Json(Envelope {
        success: true,
        message: Some(message),
        data,
    })
}

/// `data` in the envelope, as a new resource's answer (201).
pub fn created<T>(message: &'static str, data: T) -> (StatusCode, Json<Envelope<T>>) {
    (StatusCode::CREATED, done(message, data))
}

// What an action with nothing to give back answers: `{"success": true, "message": "..."}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Done {
    #[schema(example = json!(true))]
    pub success: bool,
    #[schema(example = json!("Déconnexion réussie"))]
    pub message: &'static str,
}

impl Done {
    pub fn said(message: &'static str) -> Json<Done> {
        Json(Done {
            success: true,
            message,
        })
    }
}
