//! Extractors whose rejections are the documented error JSON, never axum's plain text.

use crate::ApiError;
use crate::error::{ErrorKind, Problem};
use crate::ids::IdKind;
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
        json_body(req, state, None).await.map(Json)
    }
}

/// The size the documents promise a JSON body may have (axum's default limit).
pub const JSON_MAX_BYTES: usize = 2 * 1024 * 1024;

impl<T: DeserializeOwned> Json<T> {
    /// A JSON body on a route that also takes files, whose limit is raised for them: the
    /// JSON keeps its own limit, [`JSON_MAX_BYTES`].
    pub async fn on_upload_route<S: Send + Sync>(
        req: Request,
        state: &S,
    ) -> Result<Self, ApiError> {
        json_body(req, state, Some(JSON_MAX_BYTES)).await.map(Json)
    }
}

/// A JSON object body, within the route's limit and `max` if given.
async fn json_body<S: Send + Sync, T: DeserializeOwned>(
    req: Request,
    state: &S,
    max: Option<usize>,
) -> Result<T, ApiError> {
    let too_large = |length: usize| max.is_some_and(|max| length > max);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(too_large) {
        return Err(ApiError::of(ErrorKind::PayloadTooLarge));
    }
    if !json_content_type(req.headers()) {
        return Err(ApiError::problem(Problem::NotJson));
    }
    let bytes = body_bytes(req, state).await?;
    if too_large(bytes.len()) {
        return Err(ApiError::of(ErrorKind::PayloadTooLarge));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::problem(Problem::EmptyBody));
    }
    object(&bytes)
}

/// A JSON object body read as the typed command `T` in one step: the body's refusals as
/// [`Json`]'s (not JSON, not an object), then `T::try_from(&object)`, which refuses every
/// failing field at once in the product's words (`web::validate::Fields`). A handler that
/// takes `Command<NewOrder>` never reads a `Value`; the object as sent comes beside it, for
/// what must compare bodies as sent (an idempotency key's).
pub struct Command<T>(pub T, pub Sent);

/// A body as the client sent it.
pub struct Sent(pub serde_json::Map<String, Value>);

impl<S, T> FromRequest<S> for Command<T>
where
    S: Send + Sync,
    T: for<'a> TryFrom<&'a serde_json::Map<String, Value>, Error = ApiError>,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(body) = Json::<serde_json::Map<String, Value>>::from_request(req, state).await?;
        let command = T::try_from(&body)?;
        Ok(Command(command, Sent(body)))
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
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::of(ErrorKind::PayloadTooLarge),
            _ => ApiError::problem(Problem::UnreadableBody),
        })
}

/// Parses `bytes` as a JSON object, then as `T`.
fn object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        ApiError::problem(match e.classify() {
            Category::Eof => Problem::IncompleteJson { line, column },
            Category::Data | Category::Syntax | Category::Io => {
                Problem::MalformedJson { line, column }
            }
        })
    })?;
    if !value.is_object() {
        return Err(ApiError::problem(Problem::NotAnObject));
    }
    serde_json::from_value(value).map_err(|e| ApiError::problem(Problem::WrongShape(e.to_string())))
}

/// The body exactly as sent, whatever its type (within the route's size limit): what a
/// webhook's signature is computed over.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        body_bytes(req, state).await.map(RawBody)
    }
}

/// Query parameters; a parameter of the wrong shape answers 400.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|e: QueryRejection| ApiError::problem(Problem::InvalidQuery(e.body_text())))
    }
}

/// An id in the path (`/orders/{id}`) of the product's kind: a positive integer by default,
/// an [`ObjectId`](crate::ids::ObjectId) or a UUID. Anything else is the product's answer to a
/// malformed id (its style's: 400 in Kbine's, 404 in Django REST Framework's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathId<T = i64>(pub T);

impl<S: Send + Sync, T: IdKind> FromRequestParts<S> for PathId<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let invalid = || ApiError::problem(Problem::InvalidId);
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| invalid())?;
        T::parse_id(&raw).map(PathId).ok_or_else(invalid)
    }
}

/// A path segment as text (`/banned-ips/{ip}`, `/my-documents/{index}`), for the route to
/// read; one that is not UTF-8 once decoded is the product's answer to a malformed id, never
/// the router's plain-text refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathText(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathText {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(text)| PathText(text))
            .map_err(|_| ApiError::problem(Problem::InvalidId))
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
        #[cfg(feature = "lambda")]
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

    fn problem(result: Result<Body, ApiError>) -> Problem {
        let e = result.unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        e.problem.clone().unwrap()
    }

    #[test]
    fn only_json_objects_are_read() {
        assert_eq!(
            object::<Body>(br#"{"name": "x"}"#).unwrap().name.as_deref(),
            Some("x")
        );
        for not_an_object in [&br#"["x"]"#[..], b"[]", b"\"x\"", b"1", b"null", b"true"] {
            assert_eq!(problem(object(not_an_object)), Problem::NotAnObject);
        }
        assert_eq!(
            problem(object(b"{\"name\":")),
            Problem::IncompleteJson { line: 1, column: 8 }
        );
        assert_eq!(
            problem(object(b"{\"name\" 1}")),
            Problem::MalformedJson { line: 1, column: 9 }
        );
        assert_eq!(
            problem(object(br#"{"name": "\ud800"}"#)),
            Problem::MalformedJson {
                line: 1,
                column: 17
            }
        );
        assert!(matches!(
            problem(object(br#"{"name": 1}"#)),
            Problem::WrongShape(_)
        ));
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
