//! A file store built when a request first needs one. A function whose group keeps files on
//! some routes only (a login beside uploads) then neither builds the SDK client at init nor
//! pages its code in for requests that never touch a file.

use crate::{Blob, BlobError, BlobStore, DynBlobs};
use async_trait::async_trait;
use bytes::Bytes;
use std::sync::OnceLock;
use std::time::Duration;

type Build = Box<dyn Fn() -> Result<DynBlobs, BlobError> + Send + Sync>;

pub struct LazyBlobs {
    build: Build,
    built: OnceLock<DynBlobs>,
}

impl LazyBlobs {
    /// A store that calls `build` on its first operation, and again after a failed build.
    pub fn new(build: impl Fn() -> Result<DynBlobs, BlobError> + Send + Sync + 'static) -> Self {
        LazyBlobs {
            build: Box::new(build),
            built: OnceLock::new(),
        }
    }

    fn store(&self) -> Result<&DynBlobs, BlobError> {
        if let Some(store) = self.built.get() {
            return Ok(store);
        }
        let store = (self.build)()?;
        // Two first requests racing may both build; one store is kept.
        Ok(self.built.get_or_init(|| store))
    }
}

#[async_trait]
impl BlobStore for LazyBlobs {
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<(), BlobError> {
        self.store()?.put(key, bytes, content_type).await
    }
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        self.store()?.get(key).await
    }
    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        self.store()?.delete(key).await
    }
    async fn presigned_get(&self, key: &str, expires_in: Duration) -> Result<String, BlobError> {
        self.store()?.presigned_get(key, expires_in).await
    }
}

#[cfg(all(test, feature = "folder"))]
mod tests {
    use super::*;
    use crate::folder::FolderBlobs;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn builds_on_first_use_and_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let builds = Arc::new(AtomicUsize::new(0));
        let counted = builds.clone();
        let lazy = LazyBlobs::new(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            let store = FolderBlobs::new(&root, "http://127.0.0.1:1/files", [7; 32])?;
            Ok(Arc::new(store) as DynBlobs)
        });
        assert_eq!(
            builds.load(Ordering::SeqCst),
            0,
            "nothing built before a request"
        );
        lazy.put("a/b.txt", Bytes::from_static(b"hi"), "text/plain")
            .await
            .unwrap();
        let blob = lazy.get("a/b.txt").await.unwrap().unwrap();
        assert_eq!(blob.bytes, Bytes::from_static(b"hi"));
        assert_eq!(builds.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_build_fails_the_operation_and_is_tried_again() {
        let builds = Arc::new(AtomicUsize::new(0));
        let counted = builds.clone();
        let lazy = LazyBlobs::new(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Err(BlobError::Config("no bucket".into()))
        });
        for _ in 0..2 {
            let error = lazy.delete("a").await.unwrap_err();
            assert!(matches!(error, BlobError::Config(_)), "{error}");
        }
        assert_eq!(builds.load(Ordering::SeqCst), 2);
    }
}
