//! Extractors whose rejections are the documented error JSON, never axum's plain text.

use crate::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::error::Category;
use std::net::SocketAddr;

/// A JSON object body. A body that is not `Content-Type: application/json`, malformed JSON,
/// anything but an object at the top level (serde would read an array as a struct's fields
/// in order), a wrong type or a missing field answers 400 with the reason in `details`; a
/// body over the size limit answers 413.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::invalid(
                "Le corps de la requête doit être du JSON (Content-Type: application/json)",
            ));
        }
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::invalid("Le corps de la requête est vide"));
        }
        object(&bytes).map(Json)
    }
}

/// A JSON object body that may be absent (no body, or an empty one). Its content type is not
/// checked.
pub struct OptionalJson<T>(pub Option<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        object(&bytes).map(|v| OptionalJson(Some(v)))
    }
}

/// `application/json`, or any `application/*+json`, parameters aside.
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", subtype)) => subtype == "json" || subtype.ends_with("+json"),
        _ => false,
    }
}

/// The whole body, within the size limit (`DefaultBodyLimit`, 2 MB unless a route sets another).
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state)
        .await
        .map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Requête trop volumineuse")
            }
            _ => ApiError::invalid("Le corps de la requête n'a pas pu être lu"),
        })
}

/// Parses `bytes` as a JSON object, then as `T`.
fn object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        let at = format!("ligne {}, colonne {}", e.line(), e.column());
        ApiError::invalid(match e.classify() {
            Category::Eof => format!("JSON incomplet ({at})"),
            Category::Data | Category::Syntax | Category::Io => format!("JSON malformé ({at})"),
        })
    })?;
    if !value.is_object() {
        return Err(ApiError::invalid(
            "Le corps de la requête doit être un objet JSON",
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| ApiError::invalid(format!("Type ou champ incorrect : {e}")))
}

/// Query parameters; a parameter of the wrong shape answers 400.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|e: QueryRejection| {
                ApiError::bad_request("Paramètres de requête invalides").with_details(e.body_text())
            })
    }
}

/// A positive integer id in the path (`/orders/{id}`); anything else answers 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let invalid = || ApiError::bad_request("Identifiant invalide");
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| invalid())?;
        match raw.parse::<i64>() {
            Ok(id) if id > 0 && raw.bytes().all(|b| b.is_ascii_digit()) => Ok(PathId(id)),
            _ => Err(invalid()),
        }
    }
}

/// The client's address: the socket peer locally, API Gateway's `sourceIp` under Lambda.
/// Headers such as `X-Forwarded-For` are not trusted: a client could set them to escape
/// rate limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub String);

impl ClientIp {
    pub fn of(parts: &Parts) -> ClientIp {
        if let Some(ConnectInfo(addr)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            return ClientIp(addr.ip().to_string());
        }
        if let Some(lambda_http::request::RequestContext::ApiGatewayV2(ctx)) =
            parts
                .extensions
                .get::<lambda_http::request::RequestContext>()
            && let Some(ip) = &ctx.http.source_ip
        {
            return ClientIp(ip.clone());
        }
        ClientIp("unknown".into())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp::of(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Body {
        name: Option<String>,
    }

    fn details(result: Result<Body, ApiError>) -> String {
        let e = result.unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.error, "Données invalides");
        e.details.unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn only_json_objects_are_read() {
        assert_eq!(
            object::<Body>(br#"{"name": "x"}"#).unwrap().name.as_deref(),
            Some("x")
        );
        for not_an_object in [&br#"["x"]"#[..], b"[]", b"\"x\"", b"1", b"null", b"true"] {
            assert_eq!(
                details(object(not_an_object)),
                "Le corps de la requête doit être un objet JSON"
            );
        }
        assert_eq!(
            details(object(b"{\"name\":")),
            "JSON incomplet (ligne 1, colonne 8)"
        );
        assert_eq!(
            details(object(b"{\"name\" 1}")),
            "JSON malformé (ligne 1, colonne 9)"
        );
        assert_eq!(
            details(object(br#"{"name": "\ud800"}"#)),
            "JSON malformé (ligne 1, colonne 17)"
        );
        assert!(details(object(br#"{"name": 1}"#)).starts_with("Type ou champ incorrect : "));
    }

    #[test]
    fn json_content_types() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            json_content_type(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/jsonx"));
        assert!(!with("text/json"));
        assert!(!json_content_type(&HeaderMap::new()));
    }
}
