//! Takes the Swagger UI files the docs page needs out of the release zip that the crate
//! `utoipa-swagger-ui-vendored` carries, into `OUT_DIR`, where `src/lib.rs` includes them.
//! Nothing is downloaded.

use std::io::{Cursor, Read};
use std::path::PathBuf;

/// The files served, as named in the zip's `dist/` folder.
const FILES: [&str; 6] = [
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
    "swagger-ui.css",
    "index.css",
    "favicon-32x32.png",
    "favicon-16x16.png",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let mut zip =
        zip::ZipArchive::new(Cursor::new(utoipa_swagger_ui_vendored::SWAGGER_UI_VENDORED))?;
    // The archive holds one top folder, `swagger-ui-<version>/`.
    let names = zip.file_names().collect::<Result<Vec<_>, _>>()?;
    let dist = names
        .iter()
        .find(|name| name.ends_with("/dist/swagger-ui-bundle.js") && name.matches('/').count() == 2)
        .map(|name| name.trim_end_matches("swagger-ui-bundle.js").to_string())
        .ok_or("the vendored zip has no dist/swagger-ui-bundle.js")?;
    let version = dist
        .trim_start_matches("swagger-ui-")
        .trim_end_matches("/dist/")
        .to_string();
    for name in FILES {
        let mut file = zip.by_name(&format!("{dist}{name}"))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        std::fs::write(out.join(name), bytes)?;
    }
    std::fs::write(out.join("swagger-ui-version.txt"), version)?;
    println!("cargo:rerun-if-changed=build.rs");
    Ok(())
}
