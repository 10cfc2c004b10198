//! The authorisation matrix, generated from a product's route table
//! (`web::routes::Route`): every protected route against every kind of bad credential, every
//! role-restricted route against every role it does not admit, and every route a client may
//! call against another client's resources. A product adds routes to its table; the matrix
//! covers them with no new test code. Each check returns its failures, one line each, so a
//! test reports the whole matrix at once.

use crate::Server;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use web::routes::Route;

pub use web::product::TokenKeys;

/// An `Authorization` header value that must get 401, and why.
pub struct BadCredential {
    pub what: String,
    pub header: Option<String>,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The claims of a real access token (unverified: it is ours).
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url payload"))
        .expect("JSON claims")
}

fn sign(alg: Algorithm, claims: &Value, secret: &str) -> String {
    web::auth::install_jwt_crypto();
    jsonwebtoken::encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signing a test token")
}

fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{body}.")
}

fn bearer(what: &str, token: String) -> BadCredential {
    BadCredential {
        what: what.into(),
        header: Some(format!("Bearer {token}")),
    }
}

/// Every credential a protected route must refuse with 401, built from `template`, a valid
/// access token of an admin (so a forgery that got through would have every right), and
/// `refresh`, a valid refresh token.
pub fn bad_credentials(template: &str, refresh: &str, keys: &TokenKeys) -> Vec<BadCredential> {
    let claims = claims_of(template);
    let with = |changes: Value| {
        let mut forged = claims.clone();
        for (name, value) in changes.as_object().expect("an object of claims") {
            forged[name] = value.clone();
        }
        forged
    };
    let secret = keys.access_secret.as_str();
    let t = now();
    let expired = with(json!({"iat": t - 7200, "exp": t - 60}));
    let mut credentials = vec![
        BadCredential {
            what: "no Authorization header".into(),
            header: None,
        },
        BadCredential {
            what: "an empty bearer".into(),
            header: Some("Bearer ".into()),
        },
        BadCredential {
            what: "a Basic credential".into(),
            header: Some("Basic YWRtaW46YWRtaW4=".into()),
        },
        bearer("a malformed token", "not.a.jwt".into()),
        bearer("random bytes", "eyJhbGciOiJIUzI1NiJ9.e30".into()),
        bearer("an expired token", sign(Algorithm::HS256, &expired, secret)),
        bearer(
            "a token signed with another secret",
            sign(
                Algorithm::HS256,
                &claims,
                "a-secret-nobody-configured-0123456789",
            ),
        ),
        bearer("alg: none", unsigned(&claims)),
        bearer(
            "alg: none, upper-case",
            unsigned(&claims).replacen(
                &URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
                &URL_SAFE_NO_PAD.encode(br#"{"alg":"NONE","typ":"JWT"}"#),
                1,
            ),
        ),
        bearer(
            "HS512 with the right secret",
            sign(Algorithm::HS512, &claims, secret),
        ),
        bearer(
            "another issuer",
            sign(
                Algorithm::HS256,
                &with(json!({"iss": "someone-else"})),
                secret,
            ),
        ),
        bearer(
            "another audience",
            sign(
                Algorithm::HS256,
                &with(json!({"aud": "someone-else"})),
                secret,
            ),
        ),
        bearer(
            "no expiry",
            sign(
                Algorithm::HS256,
                &Value::Object({
                    let mut c = claims.as_object().cloned().unwrap_or_default();
                    c.remove("exp");
                    c
                }),
                secret,
            ),
        ),
        bearer("a refresh token", refresh.to_string()),
        bearer(
            "a refresh-type claim signed with the access secret",
            sign(Algorithm::HS256, &with(json!({"type": "refresh"})), secret),
        ),
        bearer(
            "a session that does not exist",
            sign(
                Algorithm::HS256,
                &with(json!({"sid": "no-such-session"})),
                secret,
            ),
        ),
        bearer("a tampered payload", {
            let mut parts: Vec<String> = template.split('.').map(str::to_string).collect();
            // Always other bytes than the signed payload, even for an admin whose id is 1.
            parts[1] = URL_SAFE_NO_PAD
                .encode(with(json!({"role": "admin", "userId": 1, "tampered": true})).to_string());
            parts.join(".")
        }),
    ];
    for (i, foreign) in keys.foreign_secrets.iter().enumerate() {
        credentials.push(bearer(
            &format!("a token signed with foreign secret #{i}"),
            sign(Algorithm::HS256, &claims, foreign),
        ));
    }
    credentials
}

/// The routes in the order the matrix calls them: those that end the caller's session
/// (`ends_session`, e.g. logout) last, so they do not void the tokens of later calls.
fn in_matrix_order<'r>(routes: &'r [Route], ends_session: &[&str]) -> Vec<&'r Route> {
    let mut ordered: Vec<&Route> = routes.iter().filter(|r| !r.access.is_public()).collect();
    ordered.sort_by_key(|r| ends_session.contains(&r.path));
    ordered
}

/// Every protected route answers 401, in the product's error shape, to every bad credential
/// (a route open to anonymous callers, to every bad token).
pub async fn unauthenticated_failures(
    app: &Server,
    routes: &[Route],
    credentials: &[BadCredential],
    id: &str,
) -> Vec<String> {
    let mut failures = Vec::new();
    for route in routes.iter().filter(|r| !r.access.is_public()) {
        // A route open to anonymous callers takes no token; a bad one it must refuse.
        let optional = route.access == web::routes::Access::Optional;
        for credential in credentials
            .iter()
            .filter(|c| !(optional && c.header.is_none()))
        {
            let reply = app
                .call_route(route, id, credential.header.as_deref(), None)
                .await;
            if reply.status != StatusCode::UNAUTHORIZED || !app.is_error(&reply) {
                failures.push(format!(
                    "{} {} with {}: {} {}",
                    route.method, route.path, credential.what, reply.status, reply.body
                ));
            }
        }
    }
    failures
}

/// Every role-restricted route answers 403 to each role it does not admit, and never 401
/// or 403 to one it does. `id` fills path parameters: an id of the right shape that names
/// nothing, so admitted callers get as far as the lookup and change nothing.
pub async fn role_failures(
    app: &Server,
    routes: &[Route],
    ends_session: &[&str],
    tokens: &BTreeMap<&str, String>,
    id: &str,
) -> Vec<String> {
    let mut failures = Vec::new();
    for route in in_matrix_order(routes, ends_session) {
        for (role, token) in tokens {
            let authorization = format!("Bearer {token}");
            let reply = app.call_route(route, id, Some(&authorization), None).await;
            let admitted = route.access.admits(role);
            let ok = if admitted {
                reply.status != StatusCode::UNAUTHORIZED && reply.status != StatusCode::FORBIDDEN
            } else {
                reply.status == StatusCode::FORBIDDEN && app.is_error(&reply)
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {role} ({}): {} {}",
                    route.method,
                    route.path,
                    if admitted { "admitted" } else { "not admitted" },
                    reply.status,
                    reply.body
                ));
            }
        }
    }
    failures
}

/// Another client's resources, for the cross-client part of the matrix.
pub struct ForeignResources {
    /// For each parameterised route a client may call: the victim's id to put in its path.
    pub path_ids: BTreeMap<&'static str, String>,
    /// Bodies that name the victim's resources, by (method, path), and how the route must
    /// answer them; other writes get `{}`.
    pub bodies: BTreeMap<(&'static str, &'static str), (Value, Foreign)>,
    /// Strings found only in the victim's data (phone numbers, references): no answer to
    /// the attacker may contain one.
    pub markers: Vec<String>,
    /// What the victim reads of its own data; it must read the same after the attack.
    pub victim_reads: Vec<String>,
}

/// How a route must treat a body that names another client's resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    /// With a 4xx (paying another client's order).
    Refused,
    /// By leaving it alone, whatever the answer (logging out with another client's refresh
    /// token ends only the caller's session); the victim's view proves it.
    Ignored,
}

/// Reads every `victim_reads` path as the victim: the state the attack must not change.
pub async fn victim_view(app: &Server, victim: &str, foreign: &ForeignResources) -> Vec<Value> {
    let mut view = Vec::new();
    for path in &foreign.victim_reads {
        let reply = app.get(path, Some(victim)).await;
        view.push(json!({"path": path, "status": reply.status.as_u16(), "body": reply.body}));
    }
    view
}

/// Every protected route that admits `attacker_role`, called as the attacker with the
/// victim's ids and bodies: parameterised routes on the victim's resources answer 403 or
/// 404, no answer carries a victim's marker. Each such route must be covered: a
/// parameterised route with no victim id is itself a failure, so a new route cannot slip
/// through unchecked.
pub async fn cross_client_failures(
    app: &Server,
    routes: &[Route],
    ends_session: &[&str],
    attacker_role: &str,
    attacker: &str,
    foreign: &ForeignResources,
) -> Vec<String> {
    let mut failures = Vec::new();
    let authorization = format!("Bearer {attacker}");
    for route in in_matrix_order(routes, ends_session)
        .into_iter()
        .filter(|r| r.access.admits(attacker_role))
    {
        let (body, treatment) = match foreign.bodies.get(&(route.method, route.path)) {
            Some((body, treatment)) => (Some(body), Some(*treatment)),
            None => (None, None),
        };
        let reply = if route.has_path_params() {
            let Some(id) = foreign.path_ids.get(route.path) else {
                failures.push(format!(
                    "{} {}: no victim resource given for this route",
                    route.method, route.path
                ));
                continue;
            };
            let reply = app.call_route(route, id, Some(&authorization), body).await;
            if reply.status != StatusCode::FORBIDDEN && reply.status != StatusCode::NOT_FOUND {
                failures.push(format!(
                    "{} {} on the victim's {id}: {} {}",
                    route.method, route.path, reply.status, reply.body
                ));
            }
            reply
        } else {
            let reply = app.call_route(route, "", Some(&authorization), body).await;
            if treatment == Some(Foreign::Refused) && !reply.status.is_client_error() {
                failures.push(format!(
                    "{} {} naming the victim's resources: {} {}",
                    route.method, route.path, reply.status, reply.body
                ));
            }
            reply
        };
        let text = reply.body.to_string();
        for marker in &foreign.markers {
            if text.contains(marker.as_str()) {
                failures.push(format!(
                    "{} {}: the answer to the attacker holds the victim's {marker}",
                    route.method, route.path
                ));
            }
        }
    }
    failures
}
