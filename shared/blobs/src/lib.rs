//! The blob port: files that are not table items (uploads, generated PDFs, exports).
//!
//! Product code talks only to [`BlobStore`] (usually as a [`DynBlobs`]). The adapters live behind
//! features, both off by default so that a function links only what it uses:
//!
//! - `s3`: [`s3::S3Blobs`], on aws-sdk-s3, with presigned GET URLs (production);
//! - `folder`: [`folder::FolderBlobs`], files under a local directory, with HMAC-signed URLs that
//!   the local server serves (feature `axum` adds the ready-made route).
//!
//! Both validate keys the same way ([`validate_key`]) and are pinned to the same semantics by the
//! conformance suite (feature `conformance`).

mod error;
mod key;
mod lazy;

#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(feature = "folder")]
pub mod folder;
#[cfg(feature = "s3")]
pub mod s3;
#[cfg(feature = "s3-server")]
pub mod s3_server;

pub use error::BlobError;
pub use key::{MAX_KEY_BYTES, validate_key};
pub use lazy::LazyBlobs;

use async_trait::async_trait;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;

/// A shared handle to a blob store, as held by application state.
pub type DynBlobs = Arc<dyn BlobStore>;

/// Longest validity of a presigned URL (S3's own limit for SigV4, enforced by both adapters).
pub const MAX_PRESIGN_EXPIRY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Longest content type accepted by [`BlobStore::put`].
pub const MAX_CONTENT_TYPE_BYTES: usize = 256;

/// A stored file: its bytes and the content type it was stored with.
#[derive(Clone, PartialEq, Eq)]
pub struct Blob {
    pub bytes: Bytes,
    pub content_type: String,
}

impl std::fmt::Debug for Blob {
    // The bytes can be megabytes: show their length, not their content.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blob")
            .field("len", &self.bytes.len())
            .field("content_type", &self.content_type)
            .finish()
    }
}

#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Stores `bytes` under `key` with `content_type`, replacing whatever was there. Readers see
    /// either the old blob or the new one, never a mix.
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<(), BlobError>;

    /// Reads the blob stored under `key`, or `None` if there is none.
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError>;

    /// Removes the blob stored under `key`. Removing a missing blob is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;

    /// A URL that a browser can GET, without credentials, for `expires_in` (at most
    /// [`MAX_PRESIGN_EXPIRY`]), to download the blob with its content type. The URL does not
    /// check that the blob exists; fetching a missing one answers 404 (or 403 on S3 without
    /// list permission).
    async fn presigned_get(&self, key: &str, expires_in: Duration) -> Result<String, BlobError>;
}

/// What a function that keeps no files is given: every operation fails as unavailable, so a
/// route that needs files by mistake answers 503 rather than losing them.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoBlobs;

#[async_trait]
impl BlobStore for NoBlobs {
    async fn put(&self, _: &str, _: Bytes, _: &str) -> Result<(), BlobError> {
        Err(no_file_store())
    }
    async fn get(&self, _: &str) -> Result<Option<Blob>, BlobError> {
        Err(no_file_store())
    }
    async fn delete(&self, _: &str) -> Result<(), BlobError> {
        Err(no_file_store())
    }
    async fn presigned_get(&self, _: &str, _: Duration) -> Result<String, BlobError> {
        Err(no_file_store())
    }
}

fn no_file_store() -> BlobError {
    BlobError::Unavailable("no file store is configured for this function".into())
}

/// Checks a content type given to [`BlobStore::put`]: non-empty, at most
/// [`MAX_CONTENT_TYPE_BYTES`], printable ASCII only (it becomes an HTTP header).
pub fn validate_content_type(content_type: &str) -> Result<(), BlobError> {
    if content_type.trim().is_empty() {
        return Err(BlobError::InvalidArgument("content type is empty".into()));
    }
    if content_type.len() > MAX_CONTENT_TYPE_BYTES {
        return Err(BlobError::InvalidArgument(format!(
            "content type is longer than {MAX_CONTENT_TYPE_BYTES} bytes"
        )));
    }
    if !content_type.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(BlobError::InvalidArgument(
            "content type must be printable ASCII".into(),
        ));
    }
    Ok(())
}

/// Checks the validity asked of a presigned URL: at least one second, at most
/// [`MAX_PRESIGN_EXPIRY`].
pub fn validate_expiry(expires_in: Duration) -> Result<(), BlobError> {
    if expires_in < Duration::from_secs(1) {
        return Err(BlobError::InvalidArgument(
            "a presigned URL must be valid for at least one second".into(),
        ));
    }
    if expires_in > MAX_PRESIGN_EXPIRY {
        return Err(BlobError::InvalidArgument(
            "a presigned URL can be valid for at most seven days".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn without_a_file_store_every_operation_is_unavailable() {
        let blobs: DynBlobs = Arc::new(NoBlobs);
        let unavailable = |result: Result<(), BlobError>| matches!(result, Err(BlobError::Unavailable(message)) if message.contains("no file store"));
        assert!(unavailable(
            blobs.put("a", Bytes::new(), "text/plain").await
        ));
        assert!(unavailable(blobs.get("a").await.map(drop)));
        assert!(unavailable(blobs.delete("a").await));
        let link = blobs.presigned_get("a", Duration::from_secs(60)).await;
        assert!(unavailable(link.map(drop)));
    }
}
