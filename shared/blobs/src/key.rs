use crate::BlobError;

/// Longest key, in bytes of UTF-8 (S3's own limit).
pub const MAX_KEY_BYTES: usize = 1024;

/// Checks a blob key. Both adapters apply exactly these rules, so that a key accepted locally is
/// accepted in AWS and means the same object:
///
/// - not empty, at most [`MAX_KEY_BYTES`] bytes;
/// - `/`-separated segments, none empty (so no leading or trailing `/`, no `//`), none `.` or
///   `..` (a path that would be normalised away by a URL or a file system);
/// - no backslash and no control character (a file-system or HTTP hazard).
pub fn validate_key(key: &str) -> Result<(), BlobError> {
    let refuse = |reason: &str| Err(BlobError::InvalidKey(reason.to_owned()));
    if key.is_empty() {
        return refuse("the key is empty");
    }
    if key.len() > MAX_KEY_BYTES {
        return refuse("the key is longer than 1024 bytes");
    }
    if key.starts_with('/') {
        return refuse("the key starts with '/'");
    }
    if key.contains('\\') {
        return refuse("the key contains a backslash");
    }
    if key.chars().any(char::is_control) {
        return refuse("the key contains a control character");
    }
    for segment in key.split('/') {
        match segment {
            "" => return refuse("the key has an empty segment ('//' or a trailing '/')"),
            "." | ".." => return refuse("the key has a '.' or '..' segment"),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_keys() {
        for key in [
            "a",
            "uploads/2026/11/photo.jpg",
            "exports/rapport final (v2).pdf",
            "été/ü.txt",
            ".hidden",
            "a..b/c...",
            &"x".repeat(MAX_KEY_BYTES),
        ] {
            assert!(validate_key(key).is_ok(), "{key:?}");
        }
    }

    #[test]
    fn refuses_dangerous_keys() {
        for key in [
            "",
            "/a",
            "a/",
            "a//b",
            "..",
            "../a",
            "a/../b",
            "a/..",
            ".",
            "./a",
            "a/./b",
            "a\\b",
            "..\\a",
            "a\0b",
            "a\nb",
            &"x".repeat(MAX_KEY_BYTES + 1),
        ] {
            assert!(
                matches!(validate_key(key), Err(BlobError::InvalidKey(_))),
                "{key:?}"
            );
        }
    }

    #[test]
    fn length_is_counted_in_bytes() {
        // 'é' is two bytes in UTF-8.
        assert!(validate_key(&"é".repeat(512)).is_ok());
        assert!(validate_key(&"é".repeat(513)).is_err());
    }
}
