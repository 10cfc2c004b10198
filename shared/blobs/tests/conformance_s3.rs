#![cfg(all(feature = "s3-server", feature = "conformance"))]
//! The conformance suite on the S3 adapter, against s3s-fs (an S3 server over a folder that
//! checks SigV4 signatures) served in-process on an ephemeral port of 127.0.0.1, one server and
//! one folder per test. Also the S3-specific error mapping.

// Test helpers outside #[test] functions: clippy.toml allows unwrap only inside those.
#![allow(clippy::unwrap_used)]

use blobs::s3::S3Blobs;
use blobs::s3_server::S3Server;
use blobs::{BlobError, BlobStore, DynBlobs};
use bytes::Bytes;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

const BUCKET: &str = "blobs";
const ACCESS_KEY: &str = "test";
const SECRET_KEY: &str = "test";

/// Starts s3s-fs over a fresh folder holding one empty bucket; returns its address.
async fn start_s3() -> (SocketAddr, S3Server) {
    let server = S3Server::start(BUCKET, ACCESS_KEY, SECRET_KEY)
        .await
        .unwrap();
    (server.addr, server)
}

async fn fresh_blobs() -> (DynBlobs, S3Server) {
    let (addr, dir) = start_s3().await;
    let blobs = S3Blobs::local(
        &format!("http://{addr}"),
        ACCESS_KEY,
        SECRET_KEY,
        BUCKET,
        "conformance",
    );
    (Arc::new(blobs), dir)
}

// Without `concurrent_overwrites_never_mix`: S3 passes it, s3s-fs does not (see the suite's
// documentation).
blobs::conformance_suite!(fresh_blobs());

#[tokio::test]
async fn blobs_live_under_the_prefix() {
    let (addr, dir) = start_s3().await;
    let blobs = S3Blobs::local(
        &format!("http://{addr}"),
        "test",
        "test",
        BUCKET,
        "/tenant/a/",
    );
    assert_eq!(blobs.prefix(), "tenant/a/");
    blobs
        .put("doc.txt", Bytes::from_static(b"hi"), "text/plain")
        .await
        .unwrap();
    let stored = std::fs::read(dir.root().join(BUCKET).join("tenant/a/doc.txt")).unwrap();
    assert_eq!(stored, b"hi");
}

#[tokio::test]
async fn key_too_long_with_prefix_is_refused() {
    let (addr, _dir) = start_s3().await;
    let blobs = S3Blobs::local(&format!("http://{addr}"), "test", "test", BUCKET, "prefix");
    let key = "k".repeat(1020);
    let result = blobs.put(&key, Bytes::new(), "text/plain").await;
    assert!(
        matches!(result, Err(BlobError::InvalidKey(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn wrong_credentials_are_an_internal_error() {
    let (addr, _dir) = start_s3().await;
    let blobs = S3Blobs::local(&format!("http://{addr}"), "test", "wrong", BUCKET, "");
    let result = blobs.get("k").await;
    assert!(matches!(result, Err(BlobError::Internal(_))), "{result:?}");
}

#[tokio::test]
async fn missing_bucket_is_an_error_not_a_missing_blob() {
    let (addr, _dir) = start_s3().await;
    let blobs = S3Blobs::local(
        &format!("http://{addr}"),
        "test",
        "test",
        "no-such-bucket",
        "",
    );
    // DeleteObject, since s3s-fs answers GetObject in a missing bucket with NoSuchKey (S3
    // answers NoSuchBucket, which `get` maps to an error too).
    let result = blobs.delete("k").await;
    assert!(matches!(result, Err(BlobError::Internal(_))), "{result:?}");
}

#[tokio::test]
async fn unreachable_server_is_unavailable() {
    // A port that was free a moment ago: nothing listens there.
    let addr = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let blobs = S3Blobs::local(&format!("http://{addr}"), "test", "test", BUCKET, "");
    let result = tokio::time::timeout(Duration::from_secs(30), blobs.get("k"))
        .await
        .unwrap();
    assert!(
        matches!(result, Err(BlobError::Unavailable(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_client_from_lambdas_variables_reaches_the_bucket() {
    let (addr, _dir) = start_s3().await;
    let endpoint = format!("http://{addr}");
    let vars = std::collections::HashMap::from([
        ("AWS_REGION", "eu-west-3"),
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_ENDPOINT_URL_S3", endpoint.as_str()),
    ]);
    let blobs = S3Blobs::from_vars(BUCKET, "lambda", |name| {
        vars.get(name).map(|v| v.to_string())
    })
    .unwrap();
    blobs
        .put("a.txt", bytes::Bytes::from_static(b"hi"), "text/plain")
        .await
        .unwrap();
    assert_eq!(blobs.get("a.txt").await.unwrap().unwrap().bytes, "hi");
    let missing = S3Blobs::from_vars(BUCKET, "", |name| {
        (name != "AWS_REGION" && name != "AWS_DEFAULT_REGION")
            .then(|| vars.get(name).map(|v| v.to_string()))
            .flatten()
    });
    assert!(missing.unwrap_err().to_string().contains("AWS_REGION"));
}
