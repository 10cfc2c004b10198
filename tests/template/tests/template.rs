//! `template.yaml` deploys exactly the Lambda binaries of the crates under `functions/`, on the
//! agreed runtime and architecture, with least-privilege policies and secrets kept out of it.

use std::path::Path;
use std::process::Command;

use template_check::{Cors, ProductRoutes, Workspace, check, check_cors, check_products};

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

    let products: Vec<ProductRoutes> = products::ALL
        .iter()
        .map(|p| ProductRoutes::of(*p))
        .collect();
    let mut problems = check(&template, &workspace.function_binaries);
    let owned = |items: &[&str]| items.iter().map(|i| i.to_string()).collect();
    let cors: Vec<Cors> = products::ALL
        .iter()
        .map(|product| {
            let policy = web::cors::Policy::of(product.routes());
            Cors {
                api: format!("{}Api", product.deployment().prefix),
                allow_methods: owned(&web::cors::ALLOW_METHODS),
                allow_headers: owned(&policy.allow_headers),
                expose_headers: owned(&policy.expose_headers),
                max_age: web::cors::MAX_AGE_SECS,
            }
        })
        .collect();
    problems.extend(check_cors(&template, &cors));
    problems.extend(check_products(
        &template,
        &workspace.function_binaries,
        &products,
    ));
    assert!(
        problems.is_empty(),
        "template.yaml and the workspace disagree:\n- {}",
        problems.join("\n- ")
    );
    Ok(())
}
