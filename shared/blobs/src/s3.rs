//! The S3 adapter (aws-sdk-s3): one bucket, every key under a prefix, presigned GET URLs.

use crate::{
    Blob, BlobError, BlobStore, MAX_KEY_BYTES, validate_content_type, validate_expiry, validate_key,
};
use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;
use std::time::Duration;

/// Region used by [`S3Blobs::local`]: local S3 servers accept any.
const LOCAL_REGION: &str = "us-east-1";

/// Error codes S3 uses when it is overloaded or briefly failing.
const TRANSIENT_CODES: &[&str] = &[
    "SlowDown",
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestTimeout",
    "ServiceUnavailable",
    "InternalError",
];

/// Blobs in an S3 bucket. Blob `k` is the object `<prefix>k`.
#[derive(Clone)]
pub struct S3Blobs {
    client: Client,
    bucket: String,
    prefix: String,
}

impl std::fmt::Debug for S3Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Blobs")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl S3Blobs {
    /// Wraps a configured client. `prefix` is normalised: surrounding `/` are removed and, unless
    /// it is empty, one `/` is appended (`"uploads"` and `"/uploads/"` both give `uploads/`).
    pub fn new(client: Client, bucket: impl Into<String>, prefix: &str) -> Self {
        Self {
            client,
            bucket: bucket.into(),
            prefix: normalise_prefix(prefix),
        }
    }

    /// A client configured the way Lambda configures a function: region, the execution
    /// role's credentials and an optional `AWS_ENDPOINT_URL_S3`, all from environment
    /// variables, with no provider chain (as `store`'s DynamoDB adapter). With an endpoint
    /// (a local or S3-compatible server) addressing is path-style, since such servers rarely
    /// resolve `<bucket>.<host>` names.
    pub fn from_lambda_env(bucket: impl Into<String>, prefix: &str) -> Result<Self, BlobError> {
        Self::from_vars(bucket, prefix, |name| std::env::var(name).ok())
    }

    /// The function's files: the bucket `BUCKET_NAME` under `BLOB_PREFIX` (both set by
    /// `template.yaml`), with the client built by the first request that needs a file: a
    /// function whose other routes keep no files never pays for the client at init.
    pub fn lazy_from_lambda_env() -> Result<crate::DynBlobs, BlobError> {
        let var = |name: &str| {
            std::env::var(name)
                .map_err(|_| BlobError::InvalidArgument(format!("{name} is not set")))
        };
        let (bucket, prefix) = (var("BUCKET_NAME")?, var("BLOB_PREFIX")?);
        Ok(std::sync::Arc::new(crate::LazyBlobs::new(move || {
            let store = S3Blobs::from_lambda_env(bucket.clone(), &prefix)?;
            Ok(std::sync::Arc::new(store) as crate::DynBlobs)
        })))
    }

    /// As [`from_lambda_env`](Self::from_lambda_env), reading the variables through `var`.
    pub fn from_vars(
        bucket: impl Into<String>,
        prefix: &str,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, BlobError> {
        let env = aws_env::LambdaEnv::read("AWS_ENDPOINT_URL_S3", var)
            .map_err(BlobError::InvalidArgument)?;
        let mut config = aws_sdk_s3::config::Builder::new()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(env.region))
            .credentials_provider(env.credentials)
            .http_client(aws_env::https_client())
            .force_path_style(env.endpoint.is_some());
        if let Some(url) = env.endpoint {
            config = config.endpoint_url(url);
        }
        Ok(Self::new(Client::from_conf(config.build()), bucket, prefix))
    }

    /// A client configured by the SDK's whole provider chain (environment, profiles, SSO,
    /// instance metadata): for commands an operator runs from a laptop.
    #[cfg(feature = "s3-profiles")]
    pub async fn from_provider_chain(bucket: impl Into<String>, prefix: &str) -> Self {
        let sdk_config = aws_config::defaults(BehaviorVersion::latest())
            .http_client(aws_env::https_client())
            .load()
            .await;
        let custom_endpoint = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
        let config = aws_sdk_s3::config::Builder::from(&sdk_config)
            .force_path_style(custom_endpoint)
            .build();
        Self::new(Client::from_conf(config), bucket, prefix)
    }

    /// A client for a local or test S3 server: the given endpoint (`http://127.0.0.1:PORT`),
    /// static credentials, region `us-east-1`, path-style addressing.
    pub fn local(
        endpoint_url: &str,
        access_key_id: &str,
        secret_access_key: &str,
        bucket: impl Into<String>,
        prefix: &str,
    ) -> Self {
        let credentials = Credentials::new(access_key_id, secret_access_key, None, None, "static");
        let config = aws_sdk_s3::config::Builder::new()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(endpoint_url)
            .region(Region::new(LOCAL_REGION))
            .credentials_provider(credentials)
            .http_client(aws_env::https_client())
            .force_path_style(true)
            .build();
        Self::new(Client::from_conf(config), bucket, prefix)
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The normalised prefix (empty, or ending with `/`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The object key of blob `key`, after validating it. S3's 1024-byte limit applies to the
    /// whole object key, prefix included.
    fn object_key(&self, key: &str) -> Result<String, BlobError> {
        validate_key(key)?;
        let object_key = format!("{}{key}", self.prefix);
        if object_key.len() > MAX_KEY_BYTES {
            return Err(BlobError::InvalidKey(format!(
                "the key with its prefix {:?} is longer than {MAX_KEY_BYTES} bytes",
                self.prefix
            )));
        }
        Ok(object_key)
    }
}

fn normalise_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}/")
    }
}

#[async_trait]
impl BlobStore for S3Blobs {
    #[tracing::instrument(level = "debug", skip(self, bytes), fields(len = bytes.len()))]
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<(), BlobError> {
        let object_key = self.object_key(key)?;
        validate_content_type(content_type)?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(object_key)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|err| classify("PutObject", key, err))?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip(self))]
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        let object_key = self.object_key(key)?;
        let output = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(object_key)
            .send()
            .await
        {
            Ok(output) => output,
            Err(err) if is_missing_key(&err) => return Ok(None),
            Err(err) => return Err(classify("GetObject", key, err)),
        };
        let content_type = output
            .content_type
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        // The body streams after the headers: a failure here is the connection's.
        let bytes = output
            .body
            .collect()
            .await
            .map_err(|err| {
                BlobError::Unavailable(format!(
                    "S3 GetObject {key}: reading the body: {}",
                    DisplayErrorContext(&err)
                ))
            })?
            .into_bytes();
        Ok(Some(Blob {
            bytes,
            content_type,
        }))
    }

    #[tracing::instrument(level = "debug", skip(self))]
    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let object_key = self.object_key(key)?;
        // S3 answers 204 whether or not the object existed.
        match self
            .client
            .delete_object()
            .bucket(&self.bucket)
            .key(object_key)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err) if is_missing_key(&err) => Ok(()),
            Err(err) => Err(classify("DeleteObject", key, err)),
        }
    }

    #[tracing::instrument(level = "debug", skip(self))]
    async fn presigned_get(&self, key: &str, expires_in: Duration) -> Result<String, BlobError> {
        let object_key = self.object_key(key)?;
        validate_expiry(expires_in)?;
        let presigning = PresigningConfig::expires_in(expires_in)
            .map_err(|err| BlobError::InvalidArgument(err.to_string()))?;
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(object_key)
            .presigned(presigning)
            .await
            .map_err(|err| classify("presign GetObject", key, err))?;
        Ok(request.uri().to_owned())
    }
}

/// S3's `NoSuchKey`, or a bare 404. A missing bucket (`NoSuchBucket`, also a 404) is not a
/// missing blob but a configuration error.
fn is_missing_key<E: ProvideErrorMetadata>(err: &SdkError<E>) -> bool {
    match err {
        SdkError::ServiceError(service) => match service.err().code() {
            Some(code) => code == "NoSuchKey",
            None => service.raw().status().as_u16() == 404,
        },
        _ => false,
    }
}

/// Sorts an SDK error into [`BlobError::Unavailable`] (worth retrying later: network,
/// timeouts, 5xx, throttling) or [`BlobError::Internal`] (everything else).
fn classify<E>(operation: &str, key: &str, err: SdkError<E>) -> BlobError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let transient = match &err {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(failure) => !failure.is_user(),
        // An unreadable answer: a truncated or garbled body, or a proxy's error page.
        SdkError::ResponseError(response) => {
            let status = response.raw().status();
            status.is_server_error() || status.is_success()
        }
        SdkError::ServiceError(service) => {
            let status = service.raw().status();
            status.is_server_error()
                || status.as_u16() == 429
                || service
                    .err()
                    .code()
                    .is_some_and(|code| TRANSIENT_CODES.contains(&code))
        }
        _ => false,
    };
    let message = format!("S3 {operation} {key}: {}", DisplayErrorContext(&err));
    if transient {
        tracing::warn!(%message, "S3 unavailable");
        BlobError::Unavailable(message)
    } else {
        BlobError::Internal(message)
    }
}

#[cfg(test)]
mod tests {
    use super::normalise_prefix;

    #[test]
    fn prefix_is_normalised() {
        assert_eq!(normalise_prefix(""), "");
        assert_eq!(normalise_prefix("/"), "");
        assert_eq!(normalise_prefix("uploads"), "uploads/");
        assert_eq!(normalise_prefix("/uploads/"), "uploads/");
        assert_eq!(normalise_prefix("a/b"), "a/b/");
    }
}
