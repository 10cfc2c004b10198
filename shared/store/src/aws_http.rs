//! The HTTP client of the AWS adapters: rustls with ring, trusting the roots of Amazon
//! Trust Services (which sign every AWS endpoint) compiled into the binary.
//!
//! Why not the SDK's default client: it loads the system's certificate store when the
//! client is built, reading and parsing every file of `/etc/ssl/certs`, which was most of
//! a function's init in the cold-start benchmark; and its aws-lc crypto adds megabytes to
//! each binary and seeds itself with jitter entropy on the first handshake. Set
//! `TLS_NATIVE_ROOTS=1` to trust the system store as well (an endpoint behind another CA).

use aws_sdk_dynamodb::config::SharedHttpClient;
use aws_smithy_http_client::Builder;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};

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
