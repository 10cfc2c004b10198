//! The folder adapter: blobs as files under a local directory, for the local server and tests.
//!
//! # Layout
//!
//! ```text
//! <root>/objects/<h[0..2]>/<h>   h = hex SHA-256 of the key
//! <root>/tmp/<uuid>              writes in progress
//! ```
//!
//! Each object file holds one line of JSON (`{"key":..,"contentType":..}`) then the bytes, so
//! that the content type and the bytes are replaced together by one `rename`: a reader sees the
//! old blob or the new one, never a mix. Naming files by a hash of the key keeps every valid key
//! storable as S3 allows it (`a` and `a/b` together, keys of 1024 bytes whose segments exceed a
//! file-name limit) and keeps keys away from path handling altogether.
//!
//! # Presigned URLs
//!
//! `presigned_get` returns `<base_url>/<key>?expires=<unix seconds>&signature=<hex>`, where the
//! signature is HMAC-SHA256 under the constructor's secret of the key and the expiry. The local
//! server serves these URLs with [`FolderBlobs::signed_get`] (any HTTP framework) or the ready
//! route of [`FolderBlobs::router`] (feature `axum`). A changed key, expiry or signature, or a
//! passed expiry, is refused.

use crate::{Blob, BlobError, BlobStore, validate_content_type, validate_expiry, validate_key};
use async_trait::async_trait;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

type HmacSha256 = Hmac<Sha256>;

/// Shortest signing secret accepted by [`FolderBlobs::new`].
pub const MIN_SECRET_BYTES: usize = 16;

/// Temporary files older than this are removed when a [`FolderBlobs`] opens its root (left by
/// a process that stopped in the middle of a write).
const STALE_TMP_AGE: Duration = Duration::from_secs(60 * 60);

/// Blobs stored as files under a root directory.
pub struct FolderBlobs {
    root: PathBuf,
    base_url: String,
    base_path: String,
    /// HMAC-SHA256 keyed with the signing secret, cloned for each signature.
    signer: HmacSha256,
}

impl std::fmt::Debug for FolderBlobs {
    // Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FolderBlobs")
            .field("root", &self.root)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// What [`FolderBlobs::signed_get`] found for a request to a presigned URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedGet {
    /// The signature holds and the blob exists: serve it with status 200.
    Found(Blob),
    /// The signature is missing, malformed, wrong or expired: answer 403.
    Forbidden,
    /// The signature holds but there is no such blob: answer 404.
    NotFound,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header {
    key: String,
    content_type: String,
}

impl FolderBlobs {
    /// Opens (creating it if needed) a store under `root`. Presigned URLs start with `base_url`
    /// (`http://127.0.0.1:3000/files`: where the local server mounts [`Self::router`] or calls
    /// [`Self::signed_get`]) and are signed with `secret` (at least [`MIN_SECRET_BYTES`]).
    pub fn new(
        root: impl Into<PathBuf>,
        base_url: &str,
        secret: impl Into<Vec<u8>>,
    ) -> Result<Self, BlobError> {
        let root = root.into();
        let secret = secret.into();
        if secret.len() < MIN_SECRET_BYTES {
            return Err(BlobError::Config(format!(
                "the folder blob signing secret must have at least {MIN_SECRET_BYTES} bytes"
            )));
        }
        let signer = HmacSha256::new_from_slice(&secret)
            .map_err(|err| BlobError::Config(format!("folder blob signing secret: {err}")))?;
        let (base_url, base_path) = parse_base_url(base_url)?;
        for dir in [Path::new(""), Path::new("objects"), Path::new("tmp")] {
            private_dir(&root.join(dir)).map_err(|err| {
                BlobError::Config(format!("cannot create {}: {err}", root.join(dir).display()))
            })?;
        }
        remove_stale_tmp_files(&root.join("tmp"));
        Ok(Self {
            root,
            base_url,
            base_path,
            signer,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The base URL of presigned URLs, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The route that serves presigned URLs, in axum's syntax: the base URL's path followed by
    /// `/{*key}` (`/files/{*key}` for `http://127.0.0.1:3000/files`).
    pub fn route_path(&self) -> String {
        format!("{}/{{*key}}", self.base_path)
    }

    /// The presigned URL of `key`, valid until `expires` (unix seconds) included.
    pub fn signed_url(&self, key: &str, expires: u64) -> Result<String, BlobError> {
        validate_key(key)?;
        Ok(format!(
            "{}/{}?expires={expires}&signature={}",
            self.base_url,
            encode_path(key),
            hex(&self.mac(key, expires).finalize().into_bytes())
        ))
    }

    /// Whether `signature` (hex) is this store's signature of `key` and `expires`, and `now` is
    /// not past `expires` (unix seconds). The comparison takes constant time.
    pub fn verify(&self, key: &str, expires: u64, signature: &str, now: SystemTime) -> bool {
        let Some(signature) = unhex(signature) else {
            return false;
        };
        let signed = self.mac(key, expires).verify_slice(&signature).is_ok();
        signed && unix_seconds(now) <= expires
    }

    /// Answers a request for a presigned URL: `key` is the URL's path after the base path,
    /// percent-decoded, and `query` its raw query string (`expires=..&signature=..`). The
    /// signature is checked before the blob is looked up, so a refused request learns nothing
    /// about which blobs exist.
    pub async fn signed_get(
        &self,
        key: &str,
        query: Option<&str>,
        now: SystemTime,
    ) -> Result<SignedGet, BlobError> {
        let Some((expires, signature)) = query.and_then(parse_query) else {
            return Ok(SignedGet::Forbidden);
        };
        if validate_key(key).is_err() || !self.verify(key, expires, signature, now) {
            return Ok(SignedGet::Forbidden);
        }
        Ok(match self.get(key).await? {
            Some(blob) => SignedGet::Found(blob),
            None => SignedGet::NotFound,
        })
    }

    fn mac(&self, key: &str, expires: u64) -> HmacSha256 {
        let mut mac = self.signer.clone();
        // The expiry is digits only and keys hold no control character: unambiguous.
        mac.update(format!("GET\n{expires}\n{key}").as_bytes());
        mac
    }

    fn object_path(&self, key: &str) -> PathBuf {
        let digest = hex(&Sha256::digest(key.as_bytes()));
        self.root.join("objects").join(&digest[..2]).join(digest)
    }
}

#[async_trait]
impl BlobStore for FolderBlobs {
    #[tracing::instrument(level = "debug", skip(self, bytes), fields(len = bytes.len()))]
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<(), BlobError> {
        validate_key(key)?;
        validate_content_type(content_type)?;
        let header = Header {
            key: key.to_owned(),
            content_type: content_type.to_owned(),
        };
        let mut head = serde_json::to_vec(&header)
            .map_err(|err| BlobError::Internal(format!("encoding the blob header: {err}")))?;
        head.push(b'\n');
        let path = self.object_path(key);
        let tmp = self
            .root
            .join("tmp")
            .join(uuid::Uuid::new_v4().simple().to_string());
        blocking(move || write_atomically(&tmp, &path, &head, &bytes)).await
    }

    #[tracing::instrument(level = "debug", skip(self))]
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        validate_key(key)?;
        let path = self.object_path(key);
        let key = key.to_owned();
        blocking(move || {
            let data = match std::fs::read(&path) {
                Ok(data) => data,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(err) => return Err(io_error("reading", &path, &err)),
            };
            let corrupt = || BlobError::Internal(format!("corrupt blob file {}", path.display()));
            let end = data.iter().position(|&b| b == b'\n').ok_or_else(corrupt)?;
            let header: Header = serde_json::from_slice(&data[..end]).map_err(|_| corrupt())?;
            if header.key != key {
                return Err(corrupt());
            }
            Ok(Some(Blob {
                bytes: Bytes::from(data).slice(end + 1..),
                content_type: header.content_type,
            }))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip(self))]
    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        validate_key(key)?;
        let path = self.object_path(key);
        blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(io_error("removing", &path, &err)),
        })
        .await
    }

    async fn presigned_get(&self, key: &str, expires_in: Duration) -> Result<String, BlobError> {
        validate_key(key)?;
        validate_expiry(expires_in)?;
        let expires = unix_seconds(SystemTime::now() + expires_in);
        self.signed_url(key, expires)
    }
}

#[cfg(feature = "axum")]
mod route {
    use super::{FolderBlobs, SignedGet};
    use axum::extract::{Path, RawQuery, State};
    use axum::http::{StatusCode, header};
    use axum::response::{IntoResponse, Response};
    use std::sync::Arc;
    use std::time::SystemTime;

    impl FolderBlobs {
        /// The route that serves presigned URLs: `GET` (and `HEAD`) on [`Self::route_path`].
        /// Merge it into the local server's router. Served files carry `nosniff` and a
        /// sandboxing CSP, since uploads come from users but share the API's origin here.
        pub fn router(self: Arc<Self>) -> axum::Router {
            axum::Router::new()
                .route(&self.route_path(), axum::routing::get(serve))
                .with_state(self)
        }
    }

    async fn serve(
        State(blobs): State<Arc<FolderBlobs>>,
        Path(key): Path<String>,
        RawQuery(query): RawQuery,
    ) -> Response {
        match blobs
            .signed_get(&key, query.as_deref(), SystemTime::now())
            .await
        {
            Ok(SignedGet::Found(blob)) => (
                [
                    (header::CONTENT_TYPE, blob.content_type),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                    (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                blob.bytes,
            )
                .into_response(),
            Ok(SignedGet::Forbidden) => StatusCode::FORBIDDEN.into_response(),
            Ok(SignedGet::NotFound) => StatusCode::NOT_FOUND.into_response(),
            Err(err) => {
                tracing::error!(error = %err, "serving a folder blob");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

/// Runs file-system work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, BlobError> + Send + 'static,
) -> Result<T, BlobError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|err| BlobError::Internal(format!("blob file task failed: {err}")))?
}

/// Makes `dir` (and its missing parents) readable by its owner only, as the files in it; an
/// existing one is tightened.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Writes `head` then `body` to `tmp`, flushes it to disk, then renames it over `path`.
fn write_atomically(tmp: &Path, path: &Path, head: &[u8], body: &[u8]) -> Result<(), BlobError> {
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(tmp)?;
        file.write_all(head)?;
        file.write_all(body)?;
        file.sync_all()
    };
    if let Err(err) = write() {
        let _ = std::fs::remove_file(tmp);
        return Err(io_error("writing", tmp, &err));
    }
    let rename = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            private_dir(dir)?;
        }
        std::fs::rename(tmp, path)
    };
    if let Err(err) = rename() {
        let _ = std::fs::remove_file(tmp);
        return Err(io_error("renaming into", path, &err));
    }
    Ok(())
}

fn remove_stale_tmp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > STALE_TMP_AGE);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn io_error(action: &str, path: &Path, err: &std::io::Error) -> BlobError {
    BlobError::Internal(format!("{action} {}: {err}", path.display()))
}

/// Checks that the base URL is an absolute http(s) URL without query or fragment; returns it
/// without a trailing `/`, and its path (`""` or `/files`).
fn parse_base_url(base_url: &str) -> Result<(String, String), BlobError> {
    let invalid = |why: &str| {
        Err(BlobError::Config(format!(
            "folder blob base URL {base_url:?} {why}"
        )))
    };
    let Some((scheme, rest)) = ["http://", "https://"]
        .into_iter()
        .find_map(|scheme| Some((scheme, base_url.strip_prefix(scheme)?)))
    else {
        return invalid("must start with http:// or https://");
    };
    if base_url.contains(['?', '#']) || base_url.chars().any(|c| c.is_whitespace()) {
        return invalid("must have no query, fragment or space");
    }
    let rest = rest.trim_end_matches('/');
    let (host, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    if host.is_empty() {
        return invalid("has no host");
    }
    Ok((format!("{scheme}{host}{path}"), path.to_owned()))
}

/// Extracts `expires` and `signature` from a raw query string. Any repetition is refused.
fn parse_query(query: &str) -> Option<(u64, &str)> {
    let mut expires = None;
    let mut signature = None;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=')?;
        let slot = match name {
            "expires" => &mut expires,
            "signature" => &mut signature,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return None;
        }
    }
    let expires = expires?;
    if expires.is_empty() || !expires.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((expires.parse().ok()?, signature?))
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or(0)
}

/// Percent-encodes a key for a URL path: everything but unreserved characters and `/`.
fn encode_path(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for &byte in key.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| char::from(c).to_digit(16);
    text.as_bytes()
        .chunks(2)
        .map(|pair| u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn store() -> (tempfile::TempDir, FolderBlobs) {
        let dir = tempfile::tempdir().unwrap();
        let blobs = FolderBlobs::new(dir.path(), "http://127.0.0.1:3000/files/", SECRET).unwrap();
        (dir, blobs)
    }

    fn split(url: &str) -> (String, u64, String) {
        let rest = url.strip_prefix("http://127.0.0.1:3000/files/").unwrap();
        let (path, query) = rest.split_once('?').unwrap();
        let (expires, signature) = parse_query(query).unwrap();
        (path.to_owned(), expires, signature.to_owned())
    }

    #[test]
    fn base_url_is_checked_and_normalised() {
        assert_eq!(
            parse_base_url("http://127.0.0.1:3000/files/").unwrap(),
            ("http://127.0.0.1:3000/files".into(), "/files".into())
        );
        assert_eq!(
            parse_base_url("https://example.com").unwrap(),
            ("https://example.com".into(), String::new())
        );
        for bad in [
            "ftp://x",
            "127.0.0.1:3000",
            "http://",
            "http://x/?a",
            "http://x/a b",
        ] {
            assert!(
                matches!(parse_base_url(bad), Err(BlobError::Config(_))),
                "{bad}"
            );
        }
    }

    #[tokio::test]
    async fn files_and_folders_are_the_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, blobs) = store();
        blobs
            .put(
                "orders/1/photo.png",
                Bytes::from_static(b"png"),
                "image/png",
            )
            .await
            .unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let mut paths = vec![dir.path().to_path_buf()];
        let mut files = 0;
        while let Some(path) = paths.pop() {
            if path.is_dir() {
                assert_eq!(mode(&path), 0o700, "{}", path.display());
                paths.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
                files += 1;
            }
        }
        assert_eq!(files, 1, "the blob was written");
    }

    #[test]
    fn short_secret_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let result = FolderBlobs::new(dir.path(), "http://127.0.0.1/files", b"short".to_vec());
        assert!(matches!(result, Err(BlobError::Config(_))));
    }

    #[test]
    fn route_path_follows_base_url() {
        let (_dir, blobs) = store();
        assert_eq!(blobs.route_path(), "/files/{*key}");
        assert_eq!(blobs.base_url(), "http://127.0.0.1:3000/files");
    }

    #[test]
    fn signature_verifies_until_expiry_only() {
        let (_dir, blobs) = store();
        let url = blobs.signed_url("a/b.pdf", 1_000).unwrap();
        let (path, expires, signature) = split(&url);
        assert_eq!(path, "a/b.pdf");
        let at = |secs| UNIX_EPOCH + Duration::from_secs(secs);
        assert!(blobs.verify("a/b.pdf", expires, &signature, at(999)));
        assert!(blobs.verify("a/b.pdf", expires, &signature, at(1_000)));
        assert!(!blobs.verify("a/b.pdf", expires, &signature, at(1_001)));
    }

    #[test]
    fn tampering_is_refused() {
        let (_dir, blobs) = store();
        let url = blobs.signed_url("a/b.pdf", 1_000).unwrap();
        let (_, expires, signature) = split(&url);
        let now = UNIX_EPOCH;
        assert!(!blobs.verify("a/c.pdf", expires, &signature, now));
        assert!(!blobs.verify("a/b.pdf", expires + 1, &signature, now));
        let mut flipped = signature.clone().into_bytes();
        flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert!(!blobs.verify("a/b.pdf", expires, &flipped, now));
        assert!(!blobs.verify("a/b.pdf", expires, &signature[..62], now));
        assert!(!blobs.verify("a/b.pdf", expires, "", now));
        assert!(!blobs.verify("a/b.pdf", expires, "zz", now));
        let other = FolderBlobs::new(
            blobs.root(),
            "http://127.0.0.1:3000/files",
            b"another secret, as long as it is".to_vec(),
        )
        .unwrap();
        assert!(!other.verify("a/b.pdf", expires, &signature, now));
    }

    #[test]
    fn query_parsing_is_strict() {
        assert_eq!(parse_query("expires=5&signature=ab"), Some((5, "ab")));
        assert_eq!(parse_query("x=1&signature=ab&expires=5"), Some((5, "ab")));
        assert_eq!(parse_query("expires=5"), None);
        assert_eq!(parse_query("signature=ab"), None);
        assert_eq!(parse_query("expires=+5&signature=ab"), None);
        assert_eq!(parse_query("expires=5&expires=6&signature=ab"), None);
        assert_eq!(
            parse_query("expires=99999999999999999999999&signature=ab"),
            None
        );
    }

    #[test]
    fn keys_are_percent_encoded_in_urls() {
        assert_eq!(encode_path("a/b c/é+?#.txt"), "a/b%20c/%C3%A9%2B%3F%23.txt");
    }

    #[test]
    fn hex_roundtrips() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(unhex(&hex(&bytes)).unwrap(), bytes);
        assert_eq!(unhex(&hex(&bytes).to_uppercase()).unwrap(), bytes);
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("g0"), None);
    }

    #[tokio::test]
    async fn signed_get_checks_signature_before_existence() {
        let (_dir, blobs) = store();
        let now = SystemTime::now();
        let url = blobs
            .presigned_get("missing", Duration::from_secs(60))
            .await
            .unwrap();
        let query = url.split_once('?').unwrap().1;
        assert_eq!(
            blobs.signed_get("missing", Some(query), now).await.unwrap(),
            SignedGet::NotFound
        );
        assert_eq!(
            blobs.signed_get("other", Some(query), now).await.unwrap(),
            SignedGet::Forbidden
        );
        assert_eq!(
            blobs.signed_get("missing", None, now).await.unwrap(),
            SignedGet::Forbidden
        );
        assert_eq!(
            blobs.signed_get("../x", Some(query), now).await.unwrap(),
            SignedGet::Forbidden
        );
    }

    #[tokio::test]
    async fn prefix_keys_and_long_segments_coexist() {
        // What a path-per-key layout could not store, and S3 can.
        let (_dir, blobs) = store();
        let long = "s".repeat(1000);
        for key in ["a", "a/b", "a/b/c", long.as_str()] {
            blobs
                .put(key, Bytes::from(key.to_owned()), "text/plain")
                .await
                .unwrap();
        }
        for key in ["a", "a/b", "a/b/c", long.as_str()] {
            let blob = blobs.get(key).await.unwrap().unwrap();
            assert_eq!(blob.bytes, key.as_bytes());
        }
    }

    #[tokio::test]
    async fn write_leaves_no_temporary_file() {
        let (dir, blobs) = store();
        blobs
            .put("k", Bytes::from_static(b"v"), "text/plain")
            .await
            .unwrap();
        assert_eq!(
            std::fs::read_dir(dir.path().join("tmp")).unwrap().count(),
            0
        );
    }

    #[test]
    fn secret_is_not_printed() {
        let (_dir, blobs) = store();
        let printed = format!("{blobs:?}");
        assert!(!printed.contains("0123456789abcdef"), "{printed}");
    }
}
