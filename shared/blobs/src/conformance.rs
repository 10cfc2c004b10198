//! The conformance suite: the same tests, run against every adapter, pin the semantics that
//! product code relies on, presigned URLs included (fetched over real HTTP).
//!
//! Instantiate it in an integration test with an async expression that yields a fresh, empty
//! store and a guard that keeps its resources (temporary folder, server) alive until the test
//! ends; presigned URLs must be servable while the test runs:
//!
//! ```ignore
//! async fn fresh() -> (DynBlobs, tempfile::TempDir) { ... }
//! blobs::conformance_suite!(fresh());
//! ```
//!
//! Tests that the test stand-in of a backend cannot pass, though the real backend does, are
//! left out of the default list and named explicitly where they apply:
//!
//! ```ignore
//! blobs::conformance_suite!(fresh(), also: [concurrent_overwrites_never_mix]);
//! ```
//!
//! `concurrent_overwrites_never_mix` is such a test: S3 replaces an object atomically, but
//! s3s-fs (the S3 adapter's test server) writes an object's bytes, checksum and content type
//! to separate files, so concurrent writers can leave them mismatched.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::{BlobError, DynBlobs, MAX_PRESIGN_EXPIRY};
use bytes::Bytes;
use std::time::Duration;

#[macro_export]
macro_rules! conformance_suite {
    (@tests $factory:expr; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (blobs, _guard): ($crate::DynBlobs, _) = $factory.await;
                $crate::conformance::$name(blobs).await;
            }
        )*
    };
    ($factory:expr, also: [$($extra:ident),* $(,)?]) => {
        $crate::conformance_suite!($factory);
        $crate::conformance_suite!(@tests $factory; $($extra),*);
    };
    ($factory:expr) => {
        $crate::conformance_suite!(@tests $factory;
            put_then_get_keeps_bytes_and_content_type,
            put_overwrites_bytes_and_content_type,
            missing_key_is_none,
            delete_removes_and_is_idempotent,
            keys_are_independent,
            invalid_keys_are_refused_by_every_operation,
            deeply_nested_key_is_accepted,
            invalid_arguments_are_refused,
            every_byte_value_survives,
            five_megabytes_survive,
            empty_blob_survives,
            presigned_url_downloads_the_blob,
            presigned_url_works_for_unusual_keys,
            presigned_url_of_missing_blob_is_refused,
            tampered_presigned_url_is_refused,
            expired_presigned_url_is_refused,
        );
    };
}

/// Keys every adapter must refuse, whatever the operation.
const INVALID_KEYS: &[&str] = &[
    "",
    "/leading",
    "trailing/",
    "double//slash",
    "..",
    "../escape",
    "a/../b",
    "a/..",
    ".",
    "./a",
    "back\\slash",
    "nul\0byte",
    "new\nline",
];

fn all_byte_values() -> Bytes {
    (0..4).flat_map(|_| 0..=255u8).collect::<Vec<u8>>().into()
}

/// Deterministic, incompressible-looking bytes.
fn noise(len: usize, seed: u64) -> Bytes {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect::<Vec<u8>>()
        .into()
}

/// A plain, credential-free HTTP GET, as a browser would do it.
async fn fetch(url: &str) -> (u16, Option<String>, Bytes) {
    let response = reqwest::get(url)
        .await
        .unwrap_or_else(|err| panic!("GET {url}: {err}"));
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_owned());
    let body = response.bytes().await.unwrap();
    (status, content_type, body)
}

/// Changes the value of the first query parameter whose name ends with `suffix`
/// (case-insensitive), leaving the rest of the URL byte for byte.
fn tamper_param(url: &str, suffix: &str, change: impl FnOnce(&str) -> String) -> String {
    let (base, query) = url.split_once('?').expect("a presigned URL has a query");
    let mut changed = Some(change);
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if name.to_ascii_lowercase().ends_with(suffix) => {
                match changed.take() {
                    Some(change) => format!("{name}={}", change(value)),
                    None => pair.to_owned(),
                }
            }
            _ => pair.to_owned(),
        })
        .collect();
    assert!(
        changed.is_none(),
        "no parameter ending with {suffix} in {url}"
    );
    format!("{base}?{}", pairs.join("&"))
}

fn flip_hex_digit(value: &str) -> String {
    let mut chars: Vec<char> = value.chars().collect();
    chars[0] = if chars[0] == '0' { '1' } else { '0' };
    chars.into_iter().collect()
}

pub async fn put_then_get_keeps_bytes_and_content_type(blobs: DynBlobs) {
    let body = Bytes::from_static(b"%PDF-1.7 hello");
    blobs
        .put("docs/hello.pdf", body.clone(), "application/pdf")
        .await
        .unwrap();
    blobs
        .put(
            "notes/a.txt",
            Bytes::from_static(b"caf\xc3\xa9"),
            "text/plain; charset=utf-8",
        )
        .await
        .unwrap();
    let pdf = blobs.get("docs/hello.pdf").await.unwrap().unwrap();
    assert_eq!(pdf.bytes, body);
    assert_eq!(pdf.content_type, "application/pdf");
    let text = blobs.get("notes/a.txt").await.unwrap().unwrap();
    assert_eq!(text.bytes, "café".as_bytes());
    assert_eq!(text.content_type, "text/plain; charset=utf-8");
}

pub async fn put_overwrites_bytes_and_content_type(blobs: DynBlobs) {
    blobs
        .put(
            "k",
            Bytes::from_static(b"first, longer version"),
            "text/plain",
        )
        .await
        .unwrap();
    blobs
        .put("k", Bytes::from_static(b"{}"), "application/json")
        .await
        .unwrap();
    let blob = blobs.get("k").await.unwrap().unwrap();
    assert_eq!(blob.bytes, &b"{}"[..]);
    assert_eq!(blob.content_type, "application/json");
}

pub async fn missing_key_is_none(blobs: DynBlobs) {
    assert_eq!(blobs.get("never/written.bin").await.unwrap(), None);
}

pub async fn delete_removes_and_is_idempotent(blobs: DynBlobs) {
    blobs.delete("never/written.bin").await.unwrap();
    blobs
        .put("gone.txt", Bytes::from_static(b"x"), "text/plain")
        .await
        .unwrap();
    blobs
        .put("kept.txt", Bytes::from_static(b"y"), "text/plain")
        .await
        .unwrap();
    blobs.delete("gone.txt").await.unwrap();
    assert_eq!(blobs.get("gone.txt").await.unwrap(), None);
    blobs.delete("gone.txt").await.unwrap();
    assert!(blobs.get("kept.txt").await.unwrap().is_some());
}

pub async fn keys_are_independent(blobs: DynBlobs) {
    let keys = ["dir/a", "dir/A", "dir/a.txt", "dir/b/a", "other/a"];
    for key in keys {
        blobs
            .put(key, Bytes::from(key.to_owned()), "text/plain")
            .await
            .unwrap();
    }
    for key in keys {
        assert_eq!(blobs.get(key).await.unwrap().unwrap().bytes, key.as_bytes());
    }
}

pub async fn invalid_keys_are_refused_by_every_operation(blobs: DynBlobs) {
    let too_long = "k".repeat(crate::MAX_KEY_BYTES + 1);
    for key in INVALID_KEYS.iter().copied().chain([too_long.as_str()]) {
        let refused = |result: Result<(), BlobError>, op: &str| {
            assert!(
                matches!(result, Err(BlobError::InvalidKey(_))),
                "{op} {key:?}: {result:?}"
            );
        };
        refused(
            blobs.put(key, Bytes::from_static(b"x"), "text/plain").await,
            "put",
        );
        refused(blobs.get(key).await.map(|_| ()), "get");
        refused(blobs.delete(key).await, "delete");
        refused(
            blobs
                .presigned_get(key, Duration::from_secs(60))
                .await
                .map(|_| ()),
            "presigned_get",
        );
    }
}

pub async fn deeply_nested_key_is_accepted(blobs: DynBlobs) {
    // 20 levels. Kept to 119 bytes: s3s-fs, the S3 stand-in of the tests, names a side file
    // after the base64 of the whole key and fails past ~150 bytes (real S3 takes 1024). The
    // folder adapter's own tests store 1000-byte keys.
    let key = (0..20)
        .map(|i| format!("d{i:03}x"))
        .collect::<Vec<_>>()
        .join("/");
    assert_eq!(key.len(), 119);
    blobs
        .put(&key, Bytes::from_static(b"long"), "text/plain")
        .await
        .unwrap();
    assert_eq!(blobs.get(&key).await.unwrap().unwrap().bytes, &b"long"[..]);
    blobs.delete(&key).await.unwrap();
}

pub async fn invalid_arguments_are_refused(blobs: DynBlobs) {
    for content_type in ["", "  ", "text/plain\r\nX-Injected: 1", "t\u{e9}xt/plain"] {
        let result = blobs.put("k", Bytes::from_static(b"x"), content_type).await;
        assert!(
            matches!(result, Err(BlobError::InvalidArgument(_))),
            "{content_type:?}: {result:?}"
        );
    }
    assert_eq!(blobs.get("k").await.unwrap(), None);
    for expires_in in [
        Duration::ZERO,
        Duration::from_millis(500),
        MAX_PRESIGN_EXPIRY + Duration::from_secs(1),
    ] {
        let result = blobs.presigned_get("k", expires_in).await;
        assert!(
            matches!(result, Err(BlobError::InvalidArgument(_))),
            "{expires_in:?}: {result:?}"
        );
    }
    blobs.presigned_get("k", MAX_PRESIGN_EXPIRY).await.unwrap();
}

pub async fn every_byte_value_survives(blobs: DynBlobs) {
    let body = all_byte_values();
    blobs
        .put("bin/all-bytes", body.clone(), "application/octet-stream")
        .await
        .unwrap();
    let blob = blobs.get("bin/all-bytes").await.unwrap().unwrap();
    assert_eq!(blob.bytes, body);
    assert_eq!(blob.content_type, "application/octet-stream");
}

pub async fn five_megabytes_survive(blobs: DynBlobs) {
    let body = noise(5 * 1024 * 1024 + 7, 1);
    blobs
        .put("bin/big.bin", body.clone(), "application/zip")
        .await
        .unwrap();
    let blob = blobs.get("bin/big.bin").await.unwrap().unwrap();
    assert_eq!(blob.bytes.len(), body.len());
    assert!(blob.bytes == body, "the 5 MB body came back changed");
    assert_eq!(blob.content_type, "application/zip");
}

pub async fn empty_blob_survives(blobs: DynBlobs) {
    blobs
        .put("empty", Bytes::new(), "text/plain")
        .await
        .unwrap();
    let blob = blobs.get("empty").await.unwrap().unwrap();
    assert!(blob.bytes.is_empty());
    assert_eq!(blob.content_type, "text/plain");
}

pub async fn concurrent_overwrites_never_mix(blobs: DynBlobs) {
    let writers: Vec<_> = (0..8u8)
        .map(|i| {
            let blobs = blobs.clone();
            tokio::spawn(async move {
                let body = Bytes::from(vec![i; 256 * 1024]);
                blobs
                    .put("shared", body, &format!("application/x-writer-{i}"))
                    .await
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
    let blob = blobs.get("shared").await.unwrap().unwrap();
    let writer: u8 = blob
        .content_type
        .strip_prefix("application/x-writer-")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(blob.bytes.len(), 256 * 1024);
    assert!(
        blob.bytes.iter().all(|&b| b == writer),
        "bytes from another writer than the content type's"
    );
}

pub async fn presigned_url_downloads_the_blob(blobs: DynBlobs) {
    let body = all_byte_values();
    blobs
        .put("exports/report.pdf", body.clone(), "application/pdf")
        .await
        .unwrap();
    let url = blobs
        .presigned_get("exports/report.pdf", Duration::from_secs(300))
        .await
        .unwrap();
    assert!(url.starts_with("http"), "{url}");
    let (status, content_type, downloaded) = fetch(&url).await;
    assert_eq!(status, 200, "{url}");
    assert_eq!(content_type.as_deref(), Some("application/pdf"));
    assert_eq!(downloaded, body);
    // The URL can be used more than once while it is valid.
    assert_eq!(fetch(&url).await.0, 200);
}

pub async fn presigned_url_works_for_unusual_keys(blobs: DynBlobs) {
    for key in [
        "reports/2026 Q1/été + notes (final).txt",
        "a/100%=b&c;d,e'f.txt",
        "~user/日本語/ファイル.csv",
    ] {
        blobs
            .put(key, Bytes::from(key.to_owned()), "text/csv")
            .await
            .unwrap();
        let url = blobs
            .presigned_get(key, Duration::from_secs(60))
            .await
            .unwrap();
        let (status, _, downloaded) = fetch(&url).await;
        assert_eq!(status, 200, "{key:?}: {url}");
        assert_eq!(downloaded, key.as_bytes(), "{key:?}");
    }
}

pub async fn presigned_url_of_missing_blob_is_refused(blobs: DynBlobs) {
    let url = blobs
        .presigned_get("never/written.pdf", Duration::from_secs(60))
        .await
        .unwrap();
    let (status, _, _) = fetch(&url).await;
    // 404, or 403 where the reader may not learn which keys exist (S3 without ListBucket).
    assert!(status == 404 || status == 403, "{status}");
}

pub async fn tampered_presigned_url_is_refused(blobs: DynBlobs) {
    let secret = Bytes::from_static(b"someone else's payslip");
    blobs
        .put("tamper/a.txt", Bytes::from_static(b"mine"), "text/plain")
        .await
        .unwrap();
    blobs
        .put("tamper/b.txt", secret.clone(), "text/plain")
        .await
        .unwrap();
    let url = blobs
        .presigned_get("tamper/a.txt", Duration::from_secs(300))
        .await
        .unwrap();
    assert_eq!(fetch(&url).await.0, 200);

    let other_key = url.replacen("tamper/a.txt", "tamper/b.txt", 1);
    let signature = tamper_param(&url, "signature", flip_hex_digit);
    let longer = tamper_param(&url, "expires", |value| {
        (value.parse::<u64>().unwrap() + 1).to_string()
    });
    let unsigned = url.split_once('?').unwrap().0.to_owned();
    for tampered in [other_key, signature, longer, unsigned] {
        assert_ne!(tampered, url);
        let (status, _, body) = fetch(&tampered).await;
        assert_eq!(status, 403, "{tampered}");
        assert_ne!(body, secret);
        assert_ne!(body, &b"mine"[..]);
    }
}

pub async fn expired_presigned_url_is_refused(blobs: DynBlobs) {
    blobs
        .put("soon.txt", Bytes::from_static(b"soon"), "text/plain")
        .await
        .unwrap();
    let url = blobs
        .presigned_get("soon.txt", Duration::from_secs(1))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let (status, _, body) = fetch(&url).await;
    assert_eq!(status, 403, "{url}");
    assert_ne!(body, &b"soon"[..]);
}
