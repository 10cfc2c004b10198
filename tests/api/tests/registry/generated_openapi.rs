//! Each product's OpenAPI document is generated from its route declarations, their
//! handlers' descriptions and its types (`Product::generated_openapi`); the committed
//! `openapi.json` the docs page serves is that document, to the byte (`cargo regenerate`
//! writes it).

use serde_json::Value;

#[test]
fn each_committed_document_is_what_the_code_generates() {
    for product in products::ALL.iter().copied() {
        let generated = products::generated::openapi(product)
            .unwrap_or_else(|| panic!("{}: its document is not generated", product.name()))
            .unwrap_or_else(|e| panic!("{}: {e}", product.name()));
        assert!(
            product.openapi_json() == generated,
            "{}: functions/{}/openapi.json is not what the code generates: run cargo regenerate",
            product.name(),
            product.name()
        );
        let document: Value = serde_json::from_str(&generated).expect("generated JSON");
        let operations: usize = document["paths"]
            .as_object()
            .expect("paths")
            .values()
            .map(|item| item.as_object().map_or(0, |methods| methods.len()))
            .sum();
        assert_eq!(
            operations,
            product.routes().len(),
            "{}: every declared route is generated once",
            product.name()
        );
    }
}
