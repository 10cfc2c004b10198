//! The few command-line values the benchmark binaries take.

use std::path::PathBuf;

/// The value after `flag`, a positive number.
pub fn positive(value: Option<String>, flag: &str) -> Result<usize, String> {
    value
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{flag} takes a positive number"))
}

/// The value after `flag`, a file.
pub fn path(value: Option<String>, flag: &str) -> Result<PathBuf, String> {
    value
        .map(PathBuf::from)
        .ok_or_else(|| format!("{flag} takes a path"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_numbers_only() {
        assert_eq!(positive(Some("3".into()), "--runs"), Ok(3));
        assert!(positive(Some("0".into()), "--runs").is_err());
        assert!(positive(Some("x".into()), "--runs").is_err());
        assert_eq!(
            positive(None, "--runs"),
            Err("--runs takes a positive number".into())
        );
        assert_eq!(
            path(Some("a.md".into()), "--report"),
            Ok(PathBuf::from("a.md"))
        );
    }
}
