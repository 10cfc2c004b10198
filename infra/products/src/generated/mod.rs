//! The committed files the code generates, as `cargo regenerate` writes them: each
//! product's `openapi.json`, the functions of `template.yaml` and the `Makefile` that builds
//! them.

mod live;
mod makefile;
pub mod template;

pub use makefile::makefile;

use web::product::Product;

/// `product`'s `openapi.json` as generated, when its document is: pretty JSON and a final
/// newline.
pub fn openapi(product: &dyn Product) -> Option<Result<String, String>> {
    let document = product.generated_openapi()?;
    Some(document.and_then(|document| {
        serde_json::to_string_pretty(&document)
            .map(|text| text + "\n")
            .map_err(|e| e.to_string())
    }))
}
