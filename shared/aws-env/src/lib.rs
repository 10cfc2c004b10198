//! What the AWS adapters share, so that a Lambda function builds its SDK clients without
//! `aws-config`'s provider chain and without the SDK's default HTTPS client:
//!
//! - [`https_client`]: rustls with ring, trusting the roots of Amazon Trust Services (which
//!   sign every AWS endpoint) compiled into the binary. The SDK's default client loads the
//!   system's certificate store when it is built, reading and parsing every file of
//!   `/etc/ssl/certs`, which was most of a function's init in the cold-start benchmark; and
//!   its aws-lc crypto adds megabytes to each binary and seeds itself with jitter entropy on
//!   the first handshake. Set `TLS_NATIVE_ROOTS=1` to trust the system store as well (an
//!   endpoint behind another CA).
//! - [`LambdaEnv`]: region, the execution role's credentials and an optional endpoint, read
//!   from the variables Lambda sets.

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_http_client::Builder;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::SdkConfig;
use aws_types::region::Region;

const AMAZON_TRUST_SERVICES: &str = include_str!("../certs/amazon-trust-services.pem");

pub fn https_client() -> SharedHttpClient {
    let native = std::env::var("TLS_NATIVE_ROOTS").is_ok_and(|v| v == "1");
    let roots = TrustStore::empty()
        .with_native_roots(native)
        .with_pem_certificate(AMAZON_TRUST_SERVICES.as_bytes());
    let builder = Builder::new().tls_provider(tls::Provider::Rustls(CryptoMode::Ring));
    match TlsContext::builder().with_trust_store(roots).build() {
        Ok(context) => builder.tls_context(context).build_https(),
        // Building the context cannot fail today; the system store is the safe fallback.
        Err(_) => builder.build_https(),
    }
}

/// What a Lambda function's environment says about reaching one AWS service.
#[derive(Debug, Clone)]
pub struct LambdaEnv {
    pub region: String,
    pub credentials: Credentials,
    /// The service's endpoint override (an emulator), if any.
    pub endpoint: Option<String>,
}

impl LambdaEnv {
    /// Reads the variables through `var`; `endpoint_var` is the service's own endpoint
    /// variable (`AWS_ENDPOINT_URL_DYNAMODB`), tried before `AWS_ENDPOINT_URL`. The error
    /// names the missing variable.
    pub fn read(endpoint_var: &str, var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let first = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| var(name).filter(|value| !value.is_empty()))
        };
        let missing = |what: &str| format!("{what} is not set");
        let region =
            first(&["AWS_REGION", "AWS_DEFAULT_REGION"]).ok_or_else(|| missing("AWS_REGION"))?;
        let key = first(&["AWS_ACCESS_KEY_ID"]).ok_or_else(|| missing("AWS_ACCESS_KEY_ID"))?;
        let secret =
            first(&["AWS_SECRET_ACCESS_KEY"]).ok_or_else(|| missing("AWS_SECRET_ACCESS_KEY"))?;
        Ok(LambdaEnv {
            region,
            credentials: Credentials::new(
                key,
                secret,
                first(&["AWS_SESSION_TOKEN"]),
                None,
                "environment",
            ),
            endpoint: first(&[endpoint_var, "AWS_ENDPOINT_URL"]),
        })
    }

    /// From the process's environment.
    pub fn from_process(endpoint_var: &str) -> Result<Self, String> {
        Self::read(endpoint_var, |name| std::env::var(name).ok())
    }

    /// The settings every service client takes from it (region, credentials, endpoint, the
    /// HTTPS client), for `<service>::config::Builder::from(&sdk_config)`.
    pub fn sdk_config(self) -> SdkConfig {
        let mut config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(self.region))
            .credentials_provider(SharedCredentialsProvider::new(self.credentials))
            .http_client(https_client());
        if let Some(url) = self.endpoint {
            config = config.endpoint_url(url);
        }
        config.build()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn lambda_env(vars: &[(&str, &str)]) -> Result<LambdaEnv, String> {
        let vars: std::collections::HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        LambdaEnv::read("AWS_ENDPOINT_URL_DYNAMODB", |name| vars.get(name).cloned())
    }

    #[test]
    fn lambda_env_reads_what_lambda_sets() {
        let env = lambda_env(&[
            ("AWS_REGION", "eu-west-3"),
            ("AWS_DEFAULT_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
            ("AWS_ENDPOINT_URL", "https://example.test"),
            ("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"),
        ])
        .unwrap();
        assert_eq!(env.region, "eu-west-3");
        assert_eq!(env.endpoint.as_deref(), Some("http://127.0.0.1:8000"));
        assert_eq!(env.credentials.access_key_id(), "AKID");
        assert_eq!(env.credentials.secret_access_key(), "SECRET");
        assert_eq!(env.credentials.session_token(), Some("TOKEN"));
    }

    #[test]
    fn lambda_env_falls_back_and_refuses_what_is_missing() {
        let env = lambda_env(&[
            ("AWS_DEFAULT_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_ENDPOINT_URL", ""),
        ])
        .unwrap();
        assert_eq!(env.region, "us-east-1");
        assert_eq!(env.endpoint, None, "an empty variable is no endpoint");
        assert_eq!(env.credentials.session_token(), None);
        for missing in ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
            let mut vars = vec![
                ("AWS_REGION", "us-east-1"),
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ];
            vars.retain(|(name, _)| *name != missing);
            let err = lambda_env(&vars).err().unwrap();
            assert!(err.to_string().contains(missing), "{err}");
        }
    }
}
