//! The Lambda binaries of the workspace, read from `cargo metadata --no-deps --format-version 1`.

use std::path::PathBuf;

use serde::Deserialize;

/// A binary target of a crate under `functions/`: each one is a Lambda function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionBinary {
    pub package: String,
    pub name: String,
}

#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub function_binaries: Vec<FunctionBinary>,
}

#[derive(Deserialize)]
struct Metadata {
    workspace_root: PathBuf,
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    manifest_path: PathBuf,
    targets: Vec<Target>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

impl Workspace {
    /// Reads the output of `cargo metadata --no-deps --format-version 1`.
    pub fn from_metadata(json: &str) -> Result<Self, String> {
        let metadata: Metadata = serde_json::from_str(json)
            .map_err(|e| format!("cannot read the output of cargo metadata: {e}"))?;
        let functions_dir = metadata.workspace_root.join("functions");
        let function_binaries = metadata
            .packages
            .into_iter()
            .filter(|p| p.manifest_path.starts_with(&functions_dir))
            .flat_map(|p| {
                let package = p.name;
                p.targets
                    .into_iter()
                    .filter(|t| t.kind.iter().any(|k| k == "bin"))
                    .map(move |t| FunctionBinary {
                        package: package.clone(),
                        name: t.name,
                    })
            })
            .collect();
        Ok(Self {
            root: metadata.workspace_root,
            function_binaries,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_binaries_of_crates_under_functions_count() -> Result<(), String> {
        let json = r#"{
          "workspace_root": "/ws",
          "packages": [
            {"name": "kbine", "manifest_path": "/ws/functions/kbine/Cargo.toml", "targets": [
              {"name": "kbine", "kind": ["lib"]},
              {"name": "kbine-auth", "kind": ["bin"]},
              {"name": "kbine-users", "kind": ["bin"]},
              {"name": "api", "kind": ["test"]}
            ]},
            {"name": "local-api", "manifest_path": "/ws/infra/local-api/Cargo.toml", "targets": [
              {"name": "local-api", "kind": ["bin"]}
            ]},
            {"name": "functionsish", "manifest_path": "/ws/functionsish/Cargo.toml", "targets": [
              {"name": "x", "kind": ["bin"]}
            ]}
          ],
          "version": 1
        }"#;
        let ws = Workspace::from_metadata(json)?;
        assert_eq!(ws.root, PathBuf::from("/ws"));
        let names: Vec<_> = ws
            .function_binaries
            .iter()
            .map(|b| (b.package.as_str(), b.name.as_str()))
            .collect();
        assert_eq!(names, [("kbine", "kbine-auth"), ("kbine", "kbine-users")]);
        Ok(())
    }
}
