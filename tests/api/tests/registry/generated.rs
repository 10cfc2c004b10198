//! The committed files generated from the route declarations are what the code generates,
//! to the byte (`cargo regenerate` writes them):
//! - each product's OpenAPI document, from its declarations, their handlers' descriptions
//!   and its types (`Product::generated_openapi`), which the docs page serves;
//! - the functions of `template.yaml`, one per route group, from the declarations and each
//!   product's `deploy.rs`, and the `Makefile` that `sam build` runs for them.

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
    }
}

#[test]
fn the_committed_templates_functions_are_what_the_code_generates() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../template.yaml");
    let committed = std::fs::read_to_string(path).expect("template.yaml");
    let generated = products::generated::template::splice(&committed, products::ALL)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        committed == generated,
        "template.yaml's functions are not what the code generates: run cargo regenerate"
    );
}

#[test]
fn the_committed_makefile_is_what_the_code_generates() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Makefile");
    let committed = std::fs::read_to_string(path).expect("Makefile");
    assert!(
        committed == products::generated::makefile(products::ALL),
        "the Makefile is not what the code generates: run cargo regenerate"
    );
}
