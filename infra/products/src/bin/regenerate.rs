//! `cargo regenerate`: writes the committed files generated from the route declarations:
//! each product's `openapi.json`, the functions of `template.yaml` and the `Makefile` that
//! `sam build` runs. `cargo regenerate --check` writes nothing and fails when a committed
//! file differs (what the tests check too).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!("usage: cargo regenerate [--check]   (unknown argument {other})");
            return ExitCode::from(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stale = Vec::new();
    for (file, text) in files(&root) {
        let path = root.join(&file);
        let text = match text {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == text {
            continue;
        }
        if check {
            stale.push(file);
        } else if let Err(e) = std::fs::write(&path, text) {
            eprintln!("{}: {e}", path.display());
            return ExitCode::FAILURE;
        } else {
            println!("wrote {}", file.display());
        }
    }
    if stale.is_empty() {
        return ExitCode::SUCCESS;
    }
    for path in stale {
        eprintln!(
            "{} is not what the code generates: run cargo regenerate",
            path.display()
        );
    }
    ExitCode::FAILURE
}

/// Every generated file: its path in the workspace and its text.
fn files(root: &Path) -> Vec<(PathBuf, Result<String, String>)> {
    let template = std::fs::read_to_string(root.join("template.yaml"))
        .map_err(|e| e.to_string())
        .and_then(|text| products::generated::template::splice(&text, products::ALL));
    let documents = products::ALL.iter().filter_map(|product| {
        let text = products::generated::openapi(*product)?;
        let path = Path::new("functions")
            .join(product.name())
            .join("openapi.json");
        Some((path, text))
    });
    documents
        .chain([
            (PathBuf::from("template.yaml"), template),
            (
                PathBuf::from("Makefile"),
                Ok(products::generated::makefile(products::ALL)),
            ),
        ])
        .collect()
}
