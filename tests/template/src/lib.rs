//! Checks `template.yaml` against the workspace and the deployment rules of `DESIGN.md`:
//!
//! - every `AWS::Serverless::Function` builds, with the generated `Makefile`, a binary of a crate under
//!   `functions/` and runs one of its route groups (its `Handler`); every such binary has a
//!   function, and no two functions run the same group;
//! - every function runs on `provided.al2023`, `arm64` (directly or through `Globals`);
//! - every policy a function gets is an explicit statement list (inline, or a managed policy of
//!   the template) with no wildcard action and no `Resource: '*'`;
//! - secrets come from `NoEcho` parameters (or `{{resolve:...}}`), never literals;
//! - every `Ref`, `GetAtt` and `Sub` placeholder names something the template defines (the
//!   linters miss these inside a SAM template);
//! - ([`check_products`]) a function reaches only its own product's parameters and resources,
//!   the functions of a product receive exactly the routes of its route table, and each of its
//!   route groups is one function's `Handler`.
//!
//! [`check`] is pure: the integration test feeds it `template.yaml` and the binaries that
//! `cargo metadata` lists.

mod products;
mod rules;
mod workspace;
mod yaml;

pub use products::{Cors, ProductRoutes};
pub use workspace::{FunctionBinary, Workspace};

/// Every way `template` breaks the rules above, one message each, naming the function, binary,
/// parameter or reference at fault. Empty when the template is right.
pub fn check(template: &str, function_binaries: &[FunctionBinary]) -> Vec<String> {
    let doc = match yaml::parse(template) {
        Ok(doc) => doc,
        Err(e) => return vec![e],
    };
    let template = rules::Template::new(&doc);
    let mut problems = Vec::new();
    template.check_functions(&mut problems);
    template.check_binaries(function_binaries, &mut problems);
    template.check_secrets(&mut problems);
    template.check_references(&mut problems);
    problems
}

/// How `template` breaks the rules that keep `products` apart: a function that refers to
/// another product's parameters or resources, a route of a route table that no function (or
/// more than one) receives, an event that receives no route.
pub fn check_products(
    template: &str,
    function_binaries: &[FunctionBinary],
    products: &[ProductRoutes],
) -> Vec<String> {
    let doc = match yaml::parse(template) {
        Ok(doc) => doc,
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    rules::Template::new(&doc).check_products(function_binaries, products, &mut problems);
    problems
}

/// How each HttpApi's CORS configuration differs from `cors`, the local server's.
pub fn check_cors(template: &str, cors: &[Cors]) -> Vec<String> {
    let doc = match yaml::parse(template) {
        Ok(doc) => doc,
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    rules::Template::new(&doc).check_cors(cors, &mut problems);
    problems
}

#[cfg(test)]
mod tests;
