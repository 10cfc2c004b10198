#![cfg(all(feature = "folder", feature = "axum", feature = "conformance"))]
//! The conformance suite on the folder adapter, its presigned URLs served by its own route on
//! an ephemeral port, as the local server mounts it.

// Test helpers outside #[test] functions: clippy.toml allows unwrap only inside those.
#![allow(clippy::unwrap_used)]

use blobs::DynBlobs;
use blobs::folder::FolderBlobs;
use std::sync::Arc;
use tempfile::TempDir;

async fn fresh_blobs() -> (DynBlobs, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let blobs = Arc::new(
        FolderBlobs::new(
            dir.path(),
            &format!("http://{addr}/files"),
            b"conformance secret, 32 bytes....".to_vec(),
        )
        .unwrap(),
    );
    let app = blobs.clone().router();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (blobs, dir)
}

blobs::conformance_suite!(fresh_blobs(), also: [concurrent_overwrites_never_mix]);
