//! A WebSocket API's function under the Lambda runtime. It receives API Gateway's events,
//! and two invocations of its own: `{"live":"opened","connectionId"}`, which it sends
//! itself (asynchronously) after accepting a connection, since API Gateway takes no post
//! before `$connect` has returned; and `{"live":"heartbeat"}`, from its schedule.

use crate::endpoint::{DynEndpoint, Route, SocketEvent};
use crate::gateway::{DynGateway, ManagementApi};
use crate::publish::Live;
use aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};
use std::sync::Arc;
use web_auth::Sessions;

/// The function invoking itself, asynchronously (`Event`): Lambda queues the invocation
/// and answers at once.
struct SelfInvocation {
    client: aws_sdk_lambda::Client,
    function: String,
}

impl SelfInvocation {
    /// This function (`AWS_LAMBDA_FUNCTION_NAME`), with its region and credentials.
    fn from_env() -> Result<Self, Error> {
        let env = aws_env::LambdaEnv::from_process("AWS_ENDPOINT_URL_LAMBDA")?;
        let function = std::env::var("AWS_LAMBDA_FUNCTION_NAME")
            .map_err(|_| "AWS_LAMBDA_FUNCTION_NAME is not set")?;
        Ok(Self::of(env, function))
    }

    fn of(env: aws_env::LambdaEnv, function: String) -> Self {
        SelfInvocation {
            client: aws_sdk_lambda::Client::new(&env.sdk_config()),
            function,
        }
    }

    async fn opened(&self, connection: &str) -> Result<(), Error> {
        let payload = json!({"live": "opened", "connectionId": connection}).to_string();
        self.client
            .invoke()
            .function_name(&self.function)
            .invocation_type(InvocationType::Event)
            .payload(Blob::new(payload))
            .send()
            .await?;
        Ok(())
    }
}

/// Where a function that sends events finds the WebSocket API's management API: its
/// stage's URL.
pub const LIVE_ENDPOINT: &str = "LIVE_ENDPOINT";

/// The management API of the product's WebSocket API, for a function given one
/// (`LIVE_ENDPOINT`).
pub fn gateway(env: &web_core::config::Env) -> Result<Option<DynGateway>, Error> {
    match env.var(LIVE_ENDPOINT) {
        Some(endpoint) => Ok(Some(Arc::new(ManagementApi::from_lambda_env(&endpoint)?))),
        None => Ok(None),
    }
}

/// What the WebSocket function's endpoint sends through: the product's sessions and its
/// WebSocket API's management API (`LIVE_ENDPOINT`, which it must have).
pub fn live(sessions: Sessions, env: &web_core::config::Env) -> Result<Live, Error> {
    let gateway = gateway(env)?.ok_or("LIVE_ENDPOINT is not set")?;
    Ok(Live::new(sessions, gateway))
}

/// Serves `endpoint` until the runtime stops.
pub async fn run(endpoint: DynEndpoint) -> Result<(), Error> {
    let invocation = Arc::new(SelfInvocation::from_env()?);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let (endpoint, invocation) = (endpoint.clone(), invocation.clone());
        async move { dispatch(&endpoint, &invocation, event.payload).await }
    }))
    .await
}

async fn dispatch(
    endpoint: &DynEndpoint,
    invocation: &SelfInvocation,
    payload: Value,
) -> Result<Value, Error> {
    if payload.get("requestContext").is_some() {
        let request: ApiGatewayWebsocketProxyRequest = serde_json::from_value(payload)?;
        let event = socket_event(request)?;
        let connection = event.connection.clone();
        let reply = endpoint.handle(event).await;
        if reply.accepted() && reply.then_opened {
            invocation.opened(&connection).await?;
        }
        return Ok(json!({ "statusCode": reply.status }));
    }
    match (payload["live"].as_str(), payload["connectionId"].as_str()) {
        (Some("opened"), Some(connection)) => {
            endpoint.opened(connection).await;
            Ok(json!({}))
        }
        (Some("heartbeat"), _) => {
            let done = endpoint.heartbeat().await?;
            tracing::info!(%done, "heartbeat");
            Ok(json!({ "done": done }))
        }
        _ => Err("not an invocation this function knows".into()),
    }
}

fn socket_event(request: ApiGatewayWebsocketProxyRequest) -> Result<SocketEvent, Error> {
    let context = request.request_context;
    let connection = context
        .connection_id
        .ok_or("the event names no connection")?;
    let route = Route::of_key(context.route_key.as_deref().unwrap_or("$default"));
    let query = request
        .query_string_parameters
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Ok(SocketEvent {
        route,
        connection,
        query,
        body: request.body,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::endpoint::{Endpoint, SocketReply};
    use std::sync::Mutex;

    /// What the function was asked to do.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    #[async_trait::async_trait]
    impl Endpoint for Recorder {
        async fn handle(&self, event: SocketEvent) -> SocketReply {
            self.0
                .lock()
                .unwrap()
                .push(format!("{:?} {}", event.route, event.connection));
            match event.route {
                Route::Connect => SocketReply::ACCEPT,
                _ => SocketReply::OK,
            }
        }
        async fn opened(&self, connection: &str) {
            self.0.lock().unwrap().push(format!("opened {connection}"));
        }
        async fn heartbeat(&self) -> Result<String, String> {
            Ok("pinged".into())
        }
    }

    /// Lambda's Invoke API, as far as the self-invocation uses it: what it was sent (the
    /// function, the invocation type, the payload), answered 202 as an `Event` is.
    async fn invoke_api() -> (String, Arc<Mutex<Vec<(String, String, Value)>>>) {
        use axum::extract::{Path, State};
        type Calls = Arc<Mutex<Vec<(String, String, Value)>>>;
        let calls: Calls = Arc::default();
        let router = axum::Router::new()
            .route(
                "/2015-03-31/functions/{name}/invocations",
                axum::routing::post(
                    |State(calls): State<Calls>,
                     Path(name): Path<String>,
                     headers: axum::http::HeaderMap,
                     body: axum::body::Bytes| async move {
                        let kind = headers
                            .get("x-amz-invocation-type")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned();
                        let payload = serde_json::from_slice(&body).unwrap_or_default();
                        calls.lock().unwrap().push((name, kind, payload));
                        axum::http::StatusCode::ACCEPTED
                    },
                ),
            )
            .with_state(calls.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        (url, calls)
    }

    #[tokio::test]
    async fn an_accepted_connection_invokes_the_function_again_which_then_opens_it() {
        let (url, calls) = invoke_api().await;
        let env = aws_env::LambdaEnv {
            region: "eu-west-3".into(),
            credentials: aws_credential_types::Credentials::new("k", "s", None, None, "test"),
            endpoint: Some(url),
        };
        let invocation = SelfInvocation::of(env, "stack-KbineLive".into());
        let recorder = Arc::new(Recorder::default());
        let endpoint: DynEndpoint = recorder.clone();
        let connect = json!({
            "queryStringParameters": {"EIO": "4", "transport": "websocket"},
            "requestContext": {"routeKey": "$connect", "connectionId": "L0SM9cOFvHcCIhw=",
                               "connectedAt": 0, "requestTimeEpoch": 0},
            "isBase64Encoded": false
        });
        let answer = dispatch(&endpoint, &invocation, connect).await.unwrap();
        assert_eq!(answer, json!({"statusCode": 200}));
        let sent = calls.lock().unwrap().clone();
        assert_eq!(
            sent,
            vec![(
                "stack-KbineLive".to_owned(),
                "Event".to_owned(),
                json!({"live": "opened", "connectionId": "L0SM9cOFvHcCIhw="})
            )]
        );
        // The invocation it sent, received.
        let (_, _, payload) = sent[0].clone();
        assert_eq!(
            dispatch(&endpoint, &invocation, payload).await.unwrap(),
            json!({})
        );
        let heartbeat = json!({"live": "heartbeat"});
        let done = dispatch(&endpoint, &invocation, heartbeat).await.unwrap();
        assert_eq!(done, json!({"done": "pinged"}));
        assert!(
            dispatch(&endpoint, &invocation, json!({"live": "other"}))
                .await
                .is_err()
        );
        let frame = json!({
            "requestContext": {"routeKey": "$default", "connectionId": "L0SM9cOFvHcCIhw=",
                               "connectedAt": 0, "requestTimeEpoch": 0},
            "body": "3", "isBase64Encoded": false
        });
        let answer = dispatch(&endpoint, &invocation, frame).await.unwrap();
        assert_eq!(answer, json!({"statusCode": 200}));
        assert_eq!(
            *recorder.0.lock().unwrap(),
            [
                "Connect L0SM9cOFvHcCIhw=",
                "opened L0SM9cOFvHcCIhw=",
                "Default L0SM9cOFvHcCIhw="
            ]
        );
        assert_eq!(calls.lock().unwrap().len(), 1, "a frame invokes nothing");
    }

    #[test]
    fn api_gateway_events_become_socket_events() {
        let connect = json!({
            "headers": {"Host": "abc.execute-api.eu-west-3.amazonaws.com"},
            "queryStringParameters": {"EIO": "4", "transport": "websocket"},
            "requestContext": {
                "routeKey": "$connect", "eventType": "CONNECT", "connectionId": "L0SM9cOFvHcCIhw=",
                "connectedAt": 1_700_000_000_000_i64, "requestTimeEpoch": 1_700_000_000_000_i64,
                "stage": "live", "apiId": "abc"
            },
            "isBase64Encoded": false
        });
        let request: ApiGatewayWebsocketProxyRequest = serde_json::from_value(connect).unwrap();
        let event = socket_event(request).unwrap();
        assert_eq!(event.route, Route::Connect);
        assert_eq!(event.connection, "L0SM9cOFvHcCIhw=");
        assert_eq!(event.query.get("EIO").map(String::as_str), Some("4"));
        let frame = json!({
            "requestContext": {"routeKey": "$default", "connectionId": "x", "connectedAt": 0, "requestTimeEpoch": 0},
            "body": "40", "isBase64Encoded": false
        });
        let request: ApiGatewayWebsocketProxyRequest = serde_json::from_value(frame).unwrap();
        let event = socket_event(request).unwrap();
        assert_eq!(
            (event.route, event.body.as_deref()),
            (Route::Default, Some("40"))
        );
    }
}
