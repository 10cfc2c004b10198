//! `template.yaml` deploys exactly the Lambda binaries of the crates under `functions/`, on the
//! agreed runtime and architecture, with least-privilege policies and secrets kept out of it.

use std::path::Path;
use std::process::Command;

use template_check::{Workspace, check};

#[test]
fn template_matches_the_workspace() -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let workspace = Workspace::from_metadata(&String::from_utf8_lossy(&output.stdout))?;
    let path = workspace.root.join("template.yaml");
    let template = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;

    let problems = check(&template, &workspace.function_binaries);
    assert!(
        problems.is_empty(),
        "template.yaml and the workspace disagree:\n- {}",
        problems.join("\n- ")
    );
    Ok(())
}
