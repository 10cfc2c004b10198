//! The rules that keep products apart in one template: a function reaches only its own
//! product's parameters and resources (and the few every product shares), and its HttpApi
//! events route exactly its group's routes of the product's route table.

use serde_norway::Value;

use crate::FunctionBinary;
use crate::rules::{Function, Template};
use crate::yaml::{at, entries, get, intrinsic, plain_str, referenced_names};

/// What the template check needs of a registered product.
#[derive(Debug, Clone)]
pub struct ProductRoutes {
    /// Its crate under `functions/` (`kbine`).
    pub package: String,
    /// What its parameters and resources are called (`Kbine`: `KbineTable`, `KbineApi`).
    pub prefix: String,
    /// Its route table, as (method, OpenAPI path).
    pub routes: Vec<(String, String)>,
    /// Its binaries and the route groups (or scheduled jobs, or the WebSocket function)
    /// each serves, each a function's `Handler`.
    pub binaries: Vec<(String, Vec<String>)>,
}

impl ProductRoutes {
    /// A registered product's: its crate is its name, its resources start with its title
    /// (without its spaces).
    pub fn of(product: &dyn web::product::Product) -> ProductRoutes {
        let mut binaries: Vec<(String, Vec<String>)> = product
            .lambda_binaries()
            .into_iter()
            .map(|binary| {
                let groups = binary.groups.into_iter().map(str::to_owned).collect();
                (binary.name.to_owned(), groups)
            })
            .collect();
        // A scheduled job is its binary's `Handler` as a route group is.
        for job in product.deployment().jobs {
            match binaries.iter_mut().find(|(name, _)| name == job.binary) {
                Some((_, handlers)) => handlers.push(job.name.to_owned()),
                None => binaries.push((job.binary.to_owned(), vec![job.name.to_owned()])),
            }
        }
        // So is the WebSocket function's.
        if let Some(live) = &product.deployment().live {
            let handler = web::routes::deploy::LIVE_HANDLER.to_owned();
            match binaries.iter_mut().find(|(name, _)| name == live.binary) {
                Some((_, handlers)) => handlers.push(handler),
                None => binaries.push((live.binary.to_owned(), vec![handler])),
            }
        }
        ProductRoutes {
            package: product.name().to_owned(),
            // Resource names hold no spaces: `CVBuilderTable` for CV Builder.
            prefix: product.title().replace(' ', ""),
            routes: product
                .routes()
                .iter()
                .map(|r| (r.method.to_owned(), r.path.to_owned()))
                .collect(),
            binaries,
        }
    }
}

/// Names every product may use: the shared bucket (each under its own prefix, which the
/// product's policies say), the log filter, pseudo parameters.
const SHARED: [&str; 2] = ["FilesBucket", "LogFilter"];

fn shared(name: &str) -> bool {
    name.starts_with("AWS::") || SHARED.contains(&name)
}

/// Every logical name `value` refers to, at any depth.
fn references(value: &Value, found: &mut Vec<String>) {
    if let Some((name, arg)) = intrinsic(value) {
        found.extend(referenced_names(&name, arg));
    }
    match value {
        Value::Tagged(tagged) => references(&tagged.value, found),
        Value::Sequence(items) => items.iter().for_each(|item| references(item, found)),
        Value::Mapping(_) => entries(value).for_each(|(_, item)| references(item, found)),
        _ => {}
    }
}

/// Whether an event path (`/api/auth/{proxy+}`, `/api/users`) takes a route's path.
fn event_takes(event_path: &str, route_path: &str) -> bool {
    match event_path.strip_suffix("{proxy+}") {
        Some(prefix) => route_path.starts_with(prefix) && route_path.len() > prefix.len(),
        None => event_path == route_path,
    }
}

impl Template<'_> {
    pub(crate) fn check_products(
        &self,
        binaries: &[FunctionBinary],
        products: &[ProductRoutes],
        problems: &mut Vec<String>,
    ) {
        for product in products {
            let functions: Vec<_> = self
                .functions()
                .filter(|f| {
                    f.binary().is_some_and(|binary| {
                        binaries
                            .iter()
                            .any(|b| b.name == binary && b.package == product.package)
                    })
                })
                .collect();
            for function in &functions {
                self.check_isolation(function.id, function.properties, product, problems);
            }
            check_groups(&functions, product, problems);
            let events: Vec<(&str, String, String)> = functions
                .iter()
                .flat_map(|f| {
                    let events = f.properties.and_then(|p| get(p, "Events"));
                    entries(events.unwrap_or(&Value::Null))
                        .filter(|(_, e)| get(e, "Type").and_then(plain_str) == Some("HttpApi"))
                        .filter_map(|(_, e)| {
                            let props = get(e, "Properties")?;
                            let path = get(props, "Path").and_then(plain_str)?;
                            let method = get(props, "Method").and_then(plain_str)?;
                            Some((f.id, path.to_owned(), method.to_ascii_uppercase()))
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            for (method, path) in &product.routes {
                let taking: Vec<&(&str, String, String)> = events
                    .iter()
                    .filter(|(_, p, m)| event_takes(p, path) && (m == "ANY" || m == method))
                    .collect();
                // API Gateway routes a request to its most specific route: a route's own
                // path wins over a `{proxy+}` that also takes it.
                let exact = taking.iter().any(|(_, p, _)| !p.ends_with("{proxy+}"));
                let takers: std::collections::BTreeSet<&str> = taking
                    .iter()
                    .filter(|(_, p, _)| !exact || !p.ends_with("{proxy+}"))
                    .map(|(id, _, _)| *id)
                    .collect();
                if takers.len() != 1 {
                    problems.push(format!(
                        "{} route {method} {path} is routed to {} functions ({}); it needs exactly one",
                        product.package,
                        takers.len(),
                        takers.into_iter().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            for (id, path, method) in &events {
                let routes_any = product
                    .routes
                    .iter()
                    .any(|(m, p)| event_takes(path, p) && (method == "ANY" || method == m));
                if !routes_any {
                    problems.push(format!(
                        "{id}: its event {method} {path} takes no route of {}'s route table",
                        product.package
                    ));
                }
            }
        }
    }

    /// Each name the function refers to (and the managed policies it is given refer to) is
    /// its product's or shared.
    fn check_isolation(
        &self,
        id: &str,
        properties: Option<&Value>,
        product: &ProductRoutes,
        problems: &mut Vec<String>,
    ) {
        let mut names = Vec::new();
        references(properties.unwrap_or(&Value::Null), &mut names);
        let mut policies = Vec::new();
        for name in &names {
            if let Some(resource) = at(self.doc(), &["Resources", name])
                && get(resource, "Type").and_then(plain_str) == Some("AWS::IAM::ManagedPolicy")
            {
                references(resource, &mut policies);
            }
        }
        names.extend(policies);
        names.sort();
        names.dedup();
        for name in names {
            if !shared(&name) && !name.starts_with(&product.prefix) {
                problems.push(format!(
                    "{id}: a {} function refers to {name}, which is not {}'s",
                    product.package, product.prefix
                ));
            }
        }
    }
}

/// Each function runs a route group of the binary it is built from, and each group of each
/// binary has a function.
fn check_groups(functions: &[&Function], product: &ProductRoutes, problems: &mut Vec<String>) {
    for function in functions {
        let handler = function.handler().unwrap_or_default();
        let binary = function.binary().unwrap_or_default();
        let groups = product
            .binaries
            .iter()
            .find(|(name, _)| name == binary)
            .map(|(_, groups)| groups.as_slice())
            .unwrap_or_default();
        if !groups.iter().any(|g| g == handler) {
            problems.push(format!(
                "{}: Handler {handler:?} is no route group of {}'s binary {binary} ({})",
                function.id,
                product.package,
                groups.join(", ")
            ));
        }
    }
    for (binary, groups) in &product.binaries {
        for group in groups {
            let runs = |f: &&&Function| {
                f.binary() == Some(binary.as_str()) && f.handler() == Some(group.as_str())
            };
            if !functions.iter().any(|f| runs(&f)) {
                problems.push(format!(
                    "{} route group {group} of binary {binary} has no function in template.yaml",
                    product.package
                ));
            }
        }
    }
}

/// The CORS rules an HttpApi must declare: its product's local server's (`web::cors`).
#[derive(Debug, Clone)]
pub struct Cors {
    /// The HttpApi's logical id (`KbineApi`).
    pub api: String,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    pub max_age: u64,
}

fn strings(value: Option<&Value>) -> Vec<String> {
    let mut items: Vec<String> = value
        .and_then(Value::as_sequence)
        .map(|items| {
            items
                .iter()
                .filter_map(plain_str)
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .unwrap_or_default();
    items.sort();
    items
}

impl Template<'_> {
    pub(crate) fn check_cors(&self, expected: &[Cors], problems: &mut Vec<String>) {
        let sorted = |items: &[String]| {
            let mut items: Vec<String> = items.iter().map(|i| i.to_ascii_lowercase()).collect();
            items.sort();
            items
        };
        let resources = get(self.doc(), "Resources").unwrap_or(&Value::Null);
        for (id, api) in entries(resources)
            .filter(|(_, r)| get(r, "Type").and_then(plain_str) == Some("AWS::Serverless::HttpApi"))
        {
            let Some(cors) = expected.iter().find(|c| c.api == id) else {
                problems.push(format!("{id}: an HttpApi of no product"));
                continue;
            };
            let Some(config) = at(api, &["Properties", "CorsConfiguration"]) else {
                problems.push(format!("{id}: no CorsConfiguration"));
                continue;
            };
            let mut differs = Vec::new();
            if strings(get(config, "AllowMethods")) != sorted(&cors.allow_methods) {
                differs.push("AllowMethods");
            }
            if strings(get(config, "AllowHeaders")) != sorted(&cors.allow_headers) {
                differs.push("AllowHeaders");
            }
            if strings(get(config, "ExposeHeaders")) != sorted(&cors.expose_headers) {
                differs.push("ExposeHeaders");
            }
            let max_age = get(config, "MaxAge").and_then(Value::as_u64);
            if max_age != Some(cors.max_age) {
                differs.push("MaxAge");
            }
            if !differs.is_empty() {
                problems.push(format!(
                    "{id}: CorsConfiguration {} differ from the local server's (web::cors)",
                    differs.join(", ")
                ));
            }
        }
    }
}
