#![cfg(all(feature = "embedded", feature = "conformance"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: failing loudly is the point
//! The conformance suite on the embedded adapter, on disk as the local server uses it.

use std::sync::Arc;
use store::DynStore;
use store::embedded::EmbeddedStore;

async fn fresh_store() -> DynStore {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let store = EmbeddedStore::open(&dir.path().join("table.sqlite3")).unwrap();
    // The directory must outlive the test: it stays under target/, with the build.
    std::mem::forget(dir);
    Arc::new(store)
}

store::conformance_suite!(fresh_store());
