//! Each product's OpenAPI document as its route declarations generate it.
//!
//! Where the whole document is generated (`Product::generated_openapi`), the committed
//! `openapi.json` the docs page serves is that document, to the byte (`cargo regenerate`
//! writes it).
//!
//! Where it is still written by hand, the generated `paths` (`Product::generated_paths`) are
//! held to the written ones:
//! - every route is in it, with the security its declaration gives, as written;
//! - every answer the foundation adds to a route (the edge's 429 and 503, a token route's
//!   401, a role wall's 403, a body's 400 and 413, a bad path parameter's answer) is one the
//!   written document gives that route;
//! - an operation its handler describes (it names its tag, as every written one does) is the
//!   written one, to the byte.

use serde_json::Value;
use web::product::Product;

fn written(product: &dyn Product) -> Value {
    serde_json::from_str(product.openapi_json()).expect("openapi.json is not valid JSON")
}

fn generated(product: &dyn Product) -> Option<Value> {
    let paths = product.generated_paths()?;
    Some(paths.unwrap_or_else(|e| panic!("{}: {e}", product.name())))
}

/// Every (path, method, operation) of `paths`.
fn operations(paths: &Value) -> Vec<(&str, &str, &Value)> {
    let paths = paths.as_object().expect("paths is an object");
    paths
        .iter()
        .flat_map(|(path, item)| {
            let item = item.as_object().expect("a path item is an object");
            item.iter()
                .map(move |(method, op)| (path.as_str(), method.as_str(), op))
        })
        .collect()
}

/// What differs between a generated operation and the written one.
fn differences(generated: &Value, written: &Value) -> Vec<String> {
    if written.is_null() {
        return vec!["not in the written document".into()];
    }
    if generated.get("tags").is_some() {
        return if generated == written {
            Vec::new()
        } else {
            vec![format!(
                "described as\n{generated:#}\nbut written as\n{written:#}"
            )]
        };
    }
    let mut found = Vec::new();
    if generated.get("security") != written.get("security") {
        found.push(format!(
            "security {:?}, written {:?}",
            generated.get("security"),
            written.get("security")
        ));
    }
    let responses = generated["responses"].as_object().into_iter().flatten();
    for (status, answer) in responses {
        if answer.get("$ref").is_some() && written["responses"].get(status).is_none() {
            found.push(format!("{status} added, not written"));
        }
    }
    found
}

#[test]
fn each_committed_generated_document_is_what_the_code_generates() {
    let mut checked = 0;
    for product in products::ALL.iter().copied() {
        let Some(generated) = products::generated::openapi(product) else {
            continue;
        };
        let generated = generated.unwrap_or_else(|e| panic!("{}: {e}", product.name()));
        assert!(
            product.openapi_json() == generated,
            "{}: functions/{}/openapi.json is not what the code generates: run cargo regenerate",
            product.name(),
            product.name()
        );
        let document: Value = serde_json::from_str(&generated).expect("generated JSON");
        let operations = operations(&document["paths"]);
        assert_eq!(
            operations.len(),
            product.routes().len(),
            "{}: every declared route is generated once",
            product.name()
        );
        checked += 1;
    }
    assert!(checked > 0, "Kbine's document is generated");
}

#[test]
fn generated_operations_say_what_the_written_documents_say() {
    let mut checked = 0;
    for product in products::ALL.iter().copied() {
        if product.generated_openapi().is_some() {
            checked += 1;
            continue;
        }
        let Some(paths) = generated(product) else {
            continue;
        };
        let doc = written(product);
        let generated = operations(&paths);
        assert_eq!(
            generated.len(),
            product.routes().len(),
            "{}: every declared route is generated once",
            product.name()
        );
        let mut failures = Vec::new();
        for (path, method, operation) in generated {
            let written = &doc["paths"][path][method];
            for difference in differences(operation, written) {
                failures.push(format!("{method} {path}: {difference}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{}:\n{}",
            product.name(),
            failures.join("\n")
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        products::ALL.len(),
        "every product generates its paths"
    );
}
