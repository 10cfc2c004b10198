//! Local secrets (JWT keys, the file URLs' signing key): taken from the environment when set,
//! otherwise generated once and kept in the data folder, so tokens and links survive a
//! restart. Never used in AWS, where the template passes secrets as NoEcho parameters.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The secrets kept in `<data dir>/local-secrets.json`, by their local variable name
/// (`KBINE_JWT_SECRET`).
pub struct LocalSecrets {
    path: std::path::PathBuf,
    stored: serde_json::Map<String, serde_json::Value>,
    changed: bool,
}

fn random_secret() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

impl LocalSecrets {
    pub fn load(data_dir: &Path) -> LocalSecrets {
        let path = data_dir.join("local-secrets.json");
        let stored = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        LocalSecrets {
            path,
            stored,
            changed: false,
        }
    }

    /// The secret kept as `name`, made now if there is none.
    pub fn get(&mut self, name: &str) -> String {
        if let Some(value) = self.stored.get(name).and_then(|v| v.as_str()) {
            return value.to_string();
        }
        let value = random_secret();
        self.stored.insert(name.into(), value.clone().into());
        self.changed = true;
        value
    }

    /// Writes the file if a secret was added; only its owner may read it.
    pub fn save(&self) -> std::io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&self.path)?;
        file.write_all(&serde_json::to_vec_pretty(&self.stored)?)
    }
}
