//! Local JWT secrets: taken from the environment when set, otherwise generated once and kept
//! in the data folder, so tokens survive a restart. Never used in AWS, where the template
//! passes secrets as NoEcho parameters.

use std::path::Path;
use web::config::Secret;

pub struct LocalSecrets {
    pub kbine_access: Secret,
    pub kbine_refresh: Secret,
}

fn random_secret() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

pub fn load_or_create(data_dir: &Path) -> std::io::Result<LocalSecrets> {
    let path = data_dir.join("local-secrets.json");
    let mut stored: serde_json::Map<String, serde_json::Value> = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let mut changed = false;
    let mut get = |name: &str| {
        if let Some(value) = stored.get(name).and_then(|v| v.as_str()) {
            return value.to_string();
        }
        let value = random_secret();
        stored.insert(name.into(), value.clone().into());
        changed = true;
        value
    };
    let secrets = LocalSecrets {
        kbine_access: Secret::new(get("kbine_access")),
        kbine_refresh: Secret::new(get("kbine_refresh")),
    };
    if changed {
        std::fs::write(&path, serde_json::to_vec_pretty(&stored)?)?;
    }
    Ok(secrets)
}
