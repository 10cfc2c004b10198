//! Settings read once from the environment at start, by helpers that name the variable that
//! failed.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {0} is required")]
    Missing(String),
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid { name: String, reason: String },
}

/// Where a product reads its settings. In Lambda a function's environment holds only its
/// own product's variables, unprefixed (`JWT_SECRET`). Locally several products share one
/// process, so each reads `<PREFIX>_<NAME>` (`KBINE_JWT_SECRET`): a setting falls back to the
/// unprefixed `<NAME>` shared by every product (`RATE_LIMIT_MAX`), a secret never does, so no
/// product signs with a key set for another. Tests and benchmarks give the values themselves.
#[derive(Debug, Clone)]
pub struct Env {
    prefix: Option<&'static str>,
    /// Values given in code, read before (and, when `process` is false, instead of) the
    /// process's environment.
    given: BTreeMap<String, String>,
    process: bool,
}

impl Env {
    /// A Lambda function's environment.
    pub fn lambda() -> Env {
        Env {
            prefix: None,
            given: BTreeMap::new(),
            process: true,
        }
    }

    /// The local server's environment for the product whose variables start with `prefix`.
    pub fn local(prefix: &'static str) -> Env {
        Env {
            prefix: Some(prefix),
            ..Env::lambda()
        }
    }

    /// Only the given values (tests, benchmarks), by their unprefixed names.
    pub fn given<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Env {
        Env {
            prefix: None,
            given: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            process: false,
        }
    }

    /// Adds or replaces a value, read before the process's environment.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Env {
        self.given.insert(name.to_string(), value.into());
        self
    }

    /// The values given in code, by name (what a harness hands a function's process).
    pub fn given_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.given.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    fn read(&self, name: &str) -> Option<String> {
        let value = match self.given.get(name) {
            Some(value) => Some(value.clone()),
            None if self.process => std::env::var(name).ok(),
            None => None,
        };
        value.filter(|v| !v.trim().is_empty())
    }

    /// The name this environment reads `name` under first (`KBINE_JWT_SECRET`).
    pub fn name_of(&self, name: &str) -> String {
        match self.prefix {
            Some(prefix) => format!("{prefix}_{name}"),
            None => name.to_string(),
        }
    }

    /// A setting: the product's own variable, else the shared one.
    pub fn var(&self, name: &str) -> Option<String> {
        match self.prefix {
            Some(_) => self.read(&self.name_of(name)).or_else(|| self.read(name)),
            None => self.read(name),
        }
    }

    /// The product's own variable only, never the shared one: secrets, and what must differ
    /// between products (a port).
    pub fn own_var(&self, name: &str) -> Option<String> {
        self.read(&self.name_of(name))
    }

    /// A setting that must be set.
    pub fn required(&self, name: &str) -> Result<String, ConfigError> {
        self.var(name)
            .ok_or_else(|| ConfigError::Missing(self.name_of(name)))
    }

    /// A setting parsed as `T`, or `default` when unset.
    pub fn parse_or<T>(&self, name: &str, default: T) -> Result<T, ConfigError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        match self.var(name) {
            Some(value) => value
                .trim()
                .parse()
                .map_err(|e: T::Err| ConfigError::Invalid {
                    name: self.name_of(name),
                    reason: e.to_string(),
                }),
            None => Ok(default),
        }
    }

    /// A string setting, or `default` when unset.
    pub fn string_or(&self, name: &str, default: &str) -> String {
        self.var(name).unwrap_or_else(|| default.to_string())
    }

    /// A secret that must be set, refused when shorter than `min_len` bytes.
    pub fn secret(&self, name: &str, min_len: usize) -> Result<Secret, ConfigError> {
        let value = self
            .own_var(name)
            .ok_or_else(|| ConfigError::Missing(self.name_of(name)))?;
        if value.len() < min_len {
            return Err(ConfigError::Invalid {
                name: self.name_of(name),
                reason: format!("must hold at least {min_len} bytes"),
            });
        }
        Ok(Secret(value))
    }
}

/// A secret: never printed, in logs or debug output.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_reads_its_own_variables_and_shared_settings_but_no_shared_secret() {
        let env = Env {
            prefix: Some("KBINE"),
            ..Env::given([
                ("KBINE_JWT_SECRET", "kbine-secret"),
                ("JWT_SECRET", "someone-elses-secret"),
                ("RATE_LIMIT_MAX", "7"),
                ("LUMIRA_RATE_LIMIT_MAX", "9"),
            ])
        };
        assert_eq!(
            env.secret("JWT_SECRET", 1).unwrap().expose(),
            "kbine-secret"
        );
        assert_eq!(env.parse_or("RATE_LIMIT_MAX", 100u32).unwrap(), 7);
        let lumira = Env {
            prefix: Some("LUMIRA"),
            ..env.clone()
        };
        assert_eq!(lumira.parse_or("RATE_LIMIT_MAX", 100u32).unwrap(), 9);
        assert!(matches!(
            lumira.secret("JWT_SECRET", 1),
            Err(ConfigError::Missing(name)) if name == "LUMIRA_JWT_SECRET"
        ));
    }

    #[test]
    fn values_are_checked_and_named() {
        let env = Env::given([("N", "x"), ("S", "short"), ("EMPTY", " ")]);
        let err = env.parse_or("N", 1u32).unwrap_err().to_string();
        assert!(err.contains("N is invalid"), "{err}");
        assert!(
            env.secret("S", 32)
                .unwrap_err()
                .to_string()
                .contains("32 bytes")
        );
        assert_eq!(env.string_or("EMPTY", "default"), "default");
        assert!(env.required("MISSING").is_err());
        assert_eq!(env.with("N", "3").parse_or("N", 1u32).unwrap(), 3);
    }
}
