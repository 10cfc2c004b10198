//! Posting to a connection and closing it: API Gateway's management API (`@connections`),
//! through the AWS SDK, in AWS and on this machine alike (the local gateway serves the same
//! API). A connection API Gateway no longer knows answers 410 Gone.

use async_trait::async_trait;
use aws_sdk_apigatewaymanagement::Client;
use aws_sdk_apigatewaymanagement::operation::delete_connection::DeleteConnectionError;
use aws_sdk_apigatewaymanagement::operation::get_connection::GetConnectionError;
use aws_sdk_apigatewaymanagement::operation::post_to_connection::PostToConnectionError;
use aws_sdk_apigatewaymanagement::primitives::Blob;
use std::sync::Arc;

/// Why a frame did not reach a connection.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PostError {
    /// The connection is closed, or not open yet (API Gateway refuses posts during
    /// `$connect`).
    #[error("the connection is gone")]
    Gone,
    /// Over API Gateway's 128 KB per message.
    #[error("the frame is too large for API Gateway")]
    TooLarge,
    #[error("the management API failed: {0}")]
    Failed(String),
}

/// Where frames are posted: API Gateway's management API, or a recorder in unit tests.
#[async_trait]
pub trait Gateway: Send + Sync {
    /// Sends `frame` to `connection` as one text message.
    async fn post(&self, connection: &str, frame: &str) -> Result<(), PostError>;
    /// Whether `connection` is open (API Gateway's GetConnection).
    async fn is_open(&self, connection: &str) -> Result<bool, PostError>;
    /// Closes `connection` (its client sees the socket close; `$disconnect` follows).
    async fn close(&self, connection: &str) -> Result<(), PostError>;
}

pub type DynGateway = Arc<dyn Gateway>;

/// API Gateway's management API of one WebSocket API's stage
/// (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`), or of the local gateway.
#[derive(Clone)]
pub struct ManagementApi {
    client: Client,
}

impl ManagementApi {
    /// The management API at `endpoint`, with the function's region and credentials.
    pub fn from_lambda_env(endpoint: &str) -> Result<Self, String> {
        let env = aws_env::LambdaEnv::from_process("AWS_ENDPOINT_URL_EXECUTE_API")?;
        Ok(Self::at(&env.sdk_config(), endpoint))
    }

    /// The local gateway's management API at `endpoint` (`http://127.0.0.1:3100`): signed
    /// as in AWS, with credentials nobody checks.
    pub fn local(endpoint: &str) -> Self {
        let env = aws_env::LambdaEnv {
            region: "eu-west-3".to_owned(),
            credentials: aws_credential_types::Credentials::new(
                "local", "local", None, None, "local",
            ),
            endpoint: None,
        };
        Self::at(&env.sdk_config(), endpoint)
    }

    fn at(config: &aws_types::SdkConfig, endpoint: &str) -> Self {
        let config = aws_sdk_apigatewaymanagement::config::Builder::from(config)
            .endpoint_url(endpoint)
            .build();
        ManagementApi {
            client: Client::from_conf(config),
        }
    }
}

#[async_trait]
impl Gateway for ManagementApi {
    async fn post(&self, connection: &str, frame: &str) -> Result<(), PostError> {
        let sent = self
            .client
            .post_to_connection()
            .connection_id(connection)
            .data(Blob::new(frame.as_bytes()))
            .send()
            .await;
        match sent.map_err(|e| e.into_service_error()) {
            Ok(_) => Ok(()),
            Err(PostToConnectionError::GoneException(_)) => Err(PostError::Gone),
            Err(PostToConnectionError::PayloadTooLargeException(_)) => Err(PostError::TooLarge),
            Err(e) => Err(PostError::Failed(e.to_string())),
        }
    }

    async fn is_open(&self, connection: &str) -> Result<bool, PostError> {
        let got = self
            .client
            .get_connection()
            .connection_id(connection)
            .send()
            .await;
        match got.map_err(|e| e.into_service_error()) {
            Ok(_) => Ok(true),
            Err(GetConnectionError::GoneException(_)) => Ok(false),
            Err(e) => Err(PostError::Failed(e.to_string())),
        }
    }

    async fn close(&self, connection: &str) -> Result<(), PostError> {
        let closed = self
            .client
            .delete_connection()
            .connection_id(connection)
            .send()
            .await;
        match closed.map_err(|e| e.into_service_error()) {
            Ok(_) => Ok(()),
            Err(DeleteConnectionError::GoneException(_)) => Err(PostError::Gone),
            Err(e) => Err(PostError::Failed(e.to_string())),
        }
    }
}
