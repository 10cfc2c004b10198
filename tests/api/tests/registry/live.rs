//! Every product's WebSocket API, through its registration alone: a handshake with a token
//! that is not the product's is refused (401, as API Gateway answers a refused `$connect`),
//! the product's own caller is let in, and a connection ends with its session (a role
//! change, a password change or an operator's shut-out ends every session): the heartbeat
//! that finds it closes it.

use api_tests::{Backend, ProductApp};
use futures_util::StreamExt as _;
use std::time::Duration;
use tokio_tungstenite::tungstenite::{Error, Message};
use web::product::Product;

/// Both endpoints' handshake: Engine.IO's query, which the plain endpoint ignores.
fn url(app: &ProductApp, token: &str) -> Option<String> {
    let live = app.live.as_ref()?;
    Some(format!(
        "{}{}?EIO=4&transport=websocket&token={token}",
        live.url, live.path
    ))
}

/// The `sid` claim of an access token: its session.
fn session_of(token: &str) -> Option<String> {
    use base64::Engine as _;
    let payload = token.split('.').nth(1)?;
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&claims).ok()?;
    claims["sid"].as_str().map(str::to_owned)
}

pub(crate) async fn connections_need_the_products_token_and_end_with_their_session(
    product: &'static dyn Product,
    backend: Backend,
) -> Vec<String> {
    if product.live_api().is_none() {
        return Vec::new();
    }
    let app = ProductApp::spawn(product, backend).await;
    let mut failures = Vec::new();
    // A token this product did not sign.
    let foreign = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOjF9.c2lnbmF0dXJl";
    let Some(refused) = url(&app, foreign) else {
        return vec!["no WebSocket API served".into()];
    };
    match tokio_tungstenite::connect_async(refused).await {
        Err(Error::Http(refused)) if refused.status() == 401 => {}
        other => failures.push(format!("a foreign token: {:?}", other.map(|_| ()))),
    }
    let role = product.roles().first().copied().unwrap_or("user");
    let caller = app.caller(role).await;
    let Some(own) = url(&app, &caller.access_token) else {
        return failures;
    };
    let mut socket = match tokio_tungstenite::connect_async(own).await {
        Ok((socket, _)) => socket,
        Err(e) => {
            failures.push(format!("the product's own caller refused: {e}"));
            return failures;
        }
    };
    let Some(sid) = session_of(&caller.access_token) else {
        failures.push("an access token without a session".into());
        return failures;
    };
    web::auth::revoke_together(&app.deps.store, vec![sid])
        .await
        .unwrap();
    let live = app.live.as_ref().unwrap();
    let done = live.endpoint.heartbeat().await.unwrap_or_else(|e| e);
    if !done.contains("ended: 1") {
        failures.push(format!("the heartbeat did not end the connection: {done}"));
    }
    // Whatever came first (an open packet, `ready`, a ping), the connection then closes.
    loop {
        match tokio::time::timeout(Duration::from_secs(15), socket.next()).await {
            Ok(Some(Ok(Message::Close(_))) | None | Some(Err(_))) => break,
            Ok(Some(Ok(_))) => continue,
            Err(_) => {
                failures.push("a connection outlived its session".into());
                break;
            }
        }
    }
    failures
}
