//! A product's OpenAPI document, generated from its route declarations: each operation as
//! its handler's `#[utoipa::path]` describes it, the schemas of the Rust types it names
//! (`ToSchema`), and what every route's declaration already says, written once here rather
//! than on each handler: who may call it (its security, and the 401 and 403 it answers) and
//! the answers the edge gives any route (429, 500, 503, 413 on a body, a bad path id).

mod base;
mod openapi30;

pub use base::{DocBase, Heading, Refusals};

use super::{Access, Api};
use serde_json::{Map, Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::Schema;

type SchemaList = Vec<(String, RefOr<Schema>)>;

/// How a handler's `#[utoipa::path]` describes its route, kept by [`route!`](crate::route).
#[derive(Clone, Copy)]
pub(crate) struct Documented {
    operation: fn() -> Operation,
    /// The operation's tags, which utoipa keeps beside it (`tag = ...`).
    tags: fn() -> Vec<&'static str>,
    schemas: fn(&mut SchemaList),
}

impl Documented {
    pub(crate) fn of<P>() -> Self
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences + utoipa::__dev::Tags<'static>,
    {
        Documented {
            operation: P::operation,
            tags: P::tags,
            schemas: P::schemas,
        }
    }

    fn operation(&self) -> Operation {
        let mut operation = (self.operation)();
        let tags = (self.tags)();
        if !tags.is_empty() {
            let own = operation.tags.get_or_insert_with(Vec::new);
            own.splice(0..0, tags.into_iter().map(str::to_owned));
        }
        operation
    }
}

/// What a product's document says of every route, by the name of its components: the
/// document's own words for the answers every product gives.
#[derive(Debug, Clone, Copy)]
pub struct DocConventions {
    /// The security scheme of access tokens (`bearerAuth`).
    pub bearer: &'static str,
    /// Answers of every route, as (status, `components.responses` name): rate limits, the
    /// store unavailable, an internal error.
    pub every_route: &'static [(&'static str, &'static str)],
    /// Answers of a route that reads a token (401).
    pub with_token: &'static [(&'static str, &'static str)],
    /// Answers of a route some roles may not call (403).
    pub with_roles: &'static [(&'static str, &'static str)],
    /// Answers of a route whose operation has a request body (a malformed body's 400, 413).
    pub with_body: &'static [(&'static str, &'static str)],
    /// Answers of a route whose operation requires a body it reads as JSON only when its
    /// content type says so (415). Not a signature-checked route's, which reads its raw
    /// body, nor an optional body's, read whatever its content type.
    pub with_required_body: &'static [(&'static str, &'static str)],
    /// Path parameters, as (name in the path, `components.parameters` name), referred to by
    /// each route whose path holds them, unless its operation describes them itself.
    pub path_parameters: &'static [(&'static str, &'static str)],
    /// Parameters the document describes once, as (where, name, `components.parameters`
    /// name): a handler's own parameter of that name is replaced by the reference, in place.
    pub shared_parameters: &'static [(&'static str, &'static str, &'static str)],
    /// Response headers the document describes once (`components.headers`): a handler's
    /// header of that name is replaced by the reference.
    pub shared_headers: &'static [&'static str],
    /// Query parameters read as any whole number, capped (`limit`: more than 100 reads as
    /// 100): their schema gives no format, since a number past 64 bits is taken too.
    pub capped_parameters: &'static [&'static str],
    /// Whether an empty query value means absent (`?status=`): said of every optional query
    /// parameter (`allowEmptyValue`).
    pub empty_query_is_absent: bool,
    /// The answer to a path parameter of the wrong shape (400 `Identifiant invalide`, 404
    /// in Django REST Framework), as (status, `components.responses` name).
    pub bad_path_parameter: Option<(&'static str, &'static str)>,
}

impl DocConventions {
    /// What most documents say, with the `components` names they use: a product states only
    /// where it differs (`DocConventions { with_roles: &[], ..DocConventions::STANDARD }`).
    pub const STANDARD: DocConventions = DocConventions {
        bearer: "bearerAuth",
        every_route: &[
            ("414", "UriTooLong"),
            ("429", "TooManyRequests"),
            ("431", "HeadersTooLarge"),
            ("503", "ServiceUnavailable"),
        ],
        with_token: &[("401", "Unauthorized")],
        with_roles: &[("403", "Forbidden")],
        with_body: &[("400", "BadRequest"), ("413", "PayloadTooLarge")],
        with_required_body: &[],
        path_parameters: &[],
        shared_parameters: &[],
        shared_headers: &["Retry-After"],
        capped_parameters: &[],
        empty_query_is_absent: false,
        bad_path_parameter: None,
    };
}

fn response_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/responses/{name}")})
}

impl DocConventions {
    /// The security requirement of a route of `access`, when it has one.
    fn security(&self, access: Access) -> Option<Value> {
        let bearer = json!({ self.bearer: [] });
        match access {
            Access::Public | Access::Signed => None,
            Access::AnyUser | Access::Roles(_) => Some(json!([bearer])),
            Access::Optional => Some(json!([{}, bearer])),
        }
    }

    /// A handler's `parameter` as the document says it: an optional one's schema without
    /// utoipa's `null` (its `required: false` says it, as in OpenAPI 3.0), a shared one by
    /// reference.
    fn complete_parameter(&self, parameter: &mut Value) {
        if let Some((_, _, component)) = self
            .shared_parameters
            .iter()
            .find(|(place, name, _)| parameter["in"] == *place && parameter["name"] == *name)
        {
            *parameter = json!({"$ref": format!("#/components/parameters/{component}")});
            return;
        }
        self.normalize_parameter(parameter);
    }

    /// A parameter's schema in its 3.0 form, and what the conventions say of its kind.
    fn normalize_parameter(&self, parameter: &mut Value) {
        let query = parameter["in"] == "query";
        if parameter["required"] == true {
            return;
        }
        let capped = query
            && self
                .capped_parameters
                .iter()
                .any(|name| parameter["name"] == *name);
        if capped && let Some(Value::Object(schema)) = parameter.get_mut("schema") {
            schema.remove("format");
        }
        if let Some(schema) = parameter.get_mut("schema") {
            openapi30::not_null(schema);
            openapi30::single_one_of(schema);
        }
        if query && self.empty_query_is_absent {
            parameter["allowEmptyValue"] = Value::Bool(true);
        }
    }

    /// `answer` with each header the document describes once as a reference to it.
    fn refer_to_headers(&self, answer: &mut Value) {
        let Some(Value::Object(headers)) = answer.get_mut("headers") else {
            return;
        };
        for (name, header) in headers.iter_mut() {
            if self.shared_headers.contains(&name.as_str()) {
                *header = json!({"$ref": format!("#/components/headers/{name}")});
            }
        }
    }

    /// `base`'s components as the document says them: shared headers by reference in its
    /// refusals, its parameters as the routes' are said.
    fn complete_components(&self, components: &mut Value) {
        if let Some(Value::Object(responses)) = components.get_mut("responses") {
            responses
                .values_mut()
                .for_each(|r| self.refer_to_headers(r));
        }
        if let Some(Value::Object(parameters)) = components.get_mut("parameters") {
            parameters
                .values_mut()
                .for_each(|p| self.normalize_parameter(p));
        }
    }

    /// `operation` (a handler's own description, as JSON) with what the declaration of a
    /// route on `path` says (its `access`) added where the handler did not say it.
    fn complete(&self, path: &str, access: Access, operation: &mut Map<String, Value>) {
        if !operation.contains_key("security")
            && let Some(security) = self.security(access)
        {
            operation.insert("security".into(), security);
        }
        let mut parameters = match operation.remove("parameters") {
            Some(Value::Array(parameters)) => parameters,
            _ => Vec::new(),
        };
        for parameter in &mut parameters {
            self.complete_parameter(parameter);
        }
        let named = |name: &str, parameters: &[Value]| {
            parameters
                .iter()
                .any(|p| p["name"] == name && p["in"] == "path")
        };
        for (name, component) in self.path_parameters {
            if path.contains(&format!("{{{name}}}")) && !named(name, &parameters) {
                let reference = format!("#/components/parameters/{component}");
                parameters.insert(0, json!({"$ref": reference}));
            }
        }
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(Value::Object(body)) = operation.get_mut("requestBody") {
            let mut optional = false;
            let schemas = body
                .get_mut("content")
                .and_then(Value::as_object_mut)
                .into_iter()
                .flat_map(|content| content.values_mut())
                .filter_map(|media| media.get_mut("schema"));
            for schema in schemas {
                optional |= openapi30::not_null(schema);
            }
            if optional {
                body.insert("required".into(), Value::Bool(false));
            }
        }
        // The first of two answers with one status is kept: a bad body's 400 speaks for a
        // route that takes a path parameter too.
        let mut standard: Vec<(&str, &str)> = Vec::new();
        if let Some(body) = operation.get("requestBody") {
            standard.extend(self.with_body);
            if body["required"] == true && access != Access::Signed {
                standard.extend(self.with_required_body);
            }
        }
        if path.contains('{') {
            standard.extend(self.bad_path_parameter);
        }
        if matches!(
            access,
            Access::AnyUser | Access::Roles(_) | Access::Optional
        ) {
            standard.extend(self.with_token);
        }
        if matches!(access, Access::Roles(_)) {
            standard.extend(self.with_roles);
        }
        standard.extend(self.every_route);
        let responses = operation
            .entry("responses")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(responses) = responses {
            responses
                .values_mut()
                .for_each(|r| self.refer_to_headers(r));
            for (status, name) in standard {
                responses
                    .entry(status)
                    .or_insert_with(|| response_ref(name));
            }
            responses.sort_keys();
        }
    }
}

impl<S: Clone + Send + Sync + 'static> Api<S> {
    /// The product's OpenAPI 3.0 document: `base` (its `info`, `servers`, `tags` and the
    /// components every route refers to) with every declared route's operation under
    /// `paths`, completed by `conventions`, and the schemas of the types they name under
    /// `components.schemas` (where the base's own of a name stay). A route whose handler
    /// has no `#[utoipa::path]` description is a declaration error: it is listed in the
    /// `Err`.
    pub fn document(
        &'static self,
        base: DocBase,
        conventions: &DocConventions,
    ) -> Result<Value, String> {
        let mut base = base.into_json()?;
        let mut paths = Map::new();
        let mut schemas = SchemaList::new();
        let mut undocumented = Vec::new();
        for group in self.groups() {
            for endpoint in (group.endpoints)() {
                let Some(doc) = endpoint.doc else {
                    undocumented.push(endpoint.path);
                    continue;
                };
                (doc.schemas)(&mut schemas);
                let operation = serde_json::to_value(doc.operation())
                    .map_err(|e| format!("{}: {e}", endpoint.path))?;
                for method in &endpoint.methods {
                    let mut operation = match operation.clone() {
                        Value::Object(operation) => operation,
                        _ => return Err(format!("{}: no operation", endpoint.path)),
                    };
                    conventions.complete(&endpoint.path, endpoint.route.access, &mut operation);
                    let item = paths
                        .entry(endpoint.path.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    item[method.to_ascii_lowercase()] = Value::Object(operation);
                }
            }
        }
        if !undocumented.is_empty() {
            return Err(format!("not documented: {}", undocumented.join(", ")));
        }
        base["paths"] = Value::Object(paths);
        let components = &mut base["components"]["schemas"];
        if components.is_null() {
            *components = Value::Object(Map::new());
        }
        // The base's own schemas stay; two types the routes name must not share a name.
        let from_base: Vec<String> = components
            .as_object()
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        for (name, schema) in schemas {
            let schema = serde_json::to_value(schema).map_err(|e| format!("{name}: {e}"))?;
            if let Value::Object(components) = components {
                match components.get(&name) {
                    Some(known) if *known != schema && !from_base.contains(&name) => {
                        return Err(format!(
                            "two different schemas are named {name}: give one another name \
                             (`#[schema(as = ...)]`)"
                        ));
                    }
                    Some(_) => {}
                    None => {
                        components.insert(name, schema);
                    }
                }
            }
        }
        if let Value::Object(components) = components {
            components.values_mut().for_each(openapi30::component);
        }
        conventions.complete_components(&mut base["components"]);
        base["openapi"] = Value::from("3.0.3");
        Ok(base)
    }
}

#[cfg(test)]
mod tests;
