//! A product's OpenAPI document, generated from its route declarations: each operation as
//! its handler's `#[utoipa::path]` describes it, the schemas of the Rust types it names
//! (`ToSchema`), and what every route's declaration already says, written once here rather
//! than on each handler: who may call it (its security, and the 401 and 403 it answers) and
//! the answers the edge gives any route (429, 500, 503, 413 on a body, a bad path id).

mod openapi30;

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
    /// Path parameters, as (name in the path, `components.parameters` name), referred to by
    /// each route whose path holds them, unless its operation describes them itself.
    pub path_parameters: &'static [(&'static str, &'static str)],
    /// Parameters the document describes once, as (where, name, `components.parameters`
    /// name): a handler's own parameter of that name is replaced by the reference, in place.
    pub shared_parameters: &'static [(&'static str, &'static str, &'static str)],
    /// Response headers the document describes once (`components.headers`): a handler's
    /// header of that name is replaced by the reference.
    pub shared_headers: &'static [&'static str],
    /// Whether an empty query value means absent (`?status=`): said of every optional query
    /// parameter (`allowEmptyValue`).
    pub empty_query_is_absent: bool,
    /// The answer to a path parameter of the wrong shape (400 `Identifiant invalide`, 404
    /// in Django REST Framework), as (status, `components.responses` name).
    pub bad_path_parameter: Option<(&'static str, &'static str)>,
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
        let query = parameter["in"] == "query";
        if let Some((_, _, component)) = self
            .shared_parameters
            .iter()
            .find(|(place, name, _)| parameter["in"] == *place && parameter["name"] == *name)
        {
            *parameter = json!({"$ref": format!("#/components/parameters/{component}")});
            return;
        }
        if parameter["required"] == true {
            return;
        }
        if let Some(schema) = parameter.get_mut("schema") {
            openapi30::not_null(schema);
            openapi30::single_one_of(schema);
        }
        if query && self.empty_query_is_absent {
            parameter["allowEmptyValue"] = Value::Bool(true);
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
        if operation.contains_key("requestBody") {
            standard.extend(self.with_body);
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
            for headers in responses
                .values_mut()
                .filter_map(|answer| answer.get_mut("headers"))
                .filter_map(Value::as_object_mut)
            {
                for (name, header) in headers.iter_mut() {
                    if self.shared_headers.contains(&name.as_str()) {
                        *header = json!({"$ref": format!("#/components/headers/{name}")});
                    }
                }
            }
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
    /// The product's OpenAPI document: `base` (its `openapi`, `info`, `servers`, `tags` and
    /// the components every route refers to) with every declared route's operation under
    /// `paths`, completed by `conventions`, and the schemas of the types they name under
    /// `components.schemas`. A route whose handler has no `#[utoipa::path]` description is
    /// a declaration error: it is listed in the `Err`.
    pub fn document(
        &'static self,
        mut base: Value,
        conventions: &DocConventions,
    ) -> Result<Value, String> {
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
        for (name, schema) in schemas {
            let schema = serde_json::to_value(schema).map_err(|e| format!("{name}: {e}"))?;
            if let Value::Object(components) = components {
                components.entry(name).or_insert(schema);
            }
        }
        Ok(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::{Binary, Group};

    #[derive(serde::Serialize, utoipa::ToSchema)]
    struct Thing {
        id: i64,
        name: String,
    }

    #[utoipa::path(
        get,
        path = "/api/things/{id}",
        tag = "Things",
        operation_id = "getThing",
        summary = "One thing",
        responses(
            (status = 200, description = "The thing.", body = Thing,
             example = json!({"id": 1, "name": "a"})),
            (status = 404, description = "No such thing."),
        )
    )]
    async fn one() {}

    #[utoipa::path(
        post,
        path = "/api/things",
        request_body = Thing,
        responses((status = 201, description = "Made.",
                   headers(("Retry-After" = i64, description = "Later.")))),
    )]
    async fn create() {}

    #[utoipa::path(
        get,
        path = "/api/open",
        request_body(content = Option<Thing>, description = "Optional.")
    )]
    async fn open() {}

    #[utoipa::path(
        get,
        path = "/api/mine",
        params(
            ("sort" = Option<i64>, Query, description = "Order."),
            ("page" = Option<i64>, Query),
            ("q" = String, Query),
        )
    )]
    async fn mine() {}

    const THINGS: Group<()> = Group::new("things", || {
        vec![
            crate::route!(one, Access::AnyUser),
            crate::route!(create, Access::Roles(&["admin"])),
            crate::route!(open, Access::Public),
            crate::route!(mine, Access::Optional),
        ]
    });
    static API: Api<()> = Api::new(&[Binary::new("things-bin", &[THINGS])]);

    const CONVENTIONS: DocConventions = DocConventions {
        bearer: "bearerAuth",
        every_route: &[("429", "TooManyRequests"), ("503", "Unavailable")],
        with_token: &[("401", "Unauthorized")],
        with_roles: &[("403", "Forbidden")],
        with_body: &[("400", "BadRequest"), ("413", "PayloadTooLarge")],
        path_parameters: &[("id", "Id")],
        shared_parameters: &[("query", "page", "Page")],
        shared_headers: &["Retry-After"],
        empty_query_is_absent: true,
        bad_path_parameter: Some(("400", "InvalidId")),
    };

    fn statuses(operation: &Value) -> Vec<&str> {
        let responses = operation["responses"].as_object().unwrap();
        responses.keys().map(String::as_str).collect()
    }

    #[test]
    fn each_operation_is_its_handlers_completed_by_its_declaration() {
        let base = json!({"openapi": "3.1.0", "info": {"title": "Things", "version": "1"}});
        let doc = API.document(base, &CONVENTIONS).unwrap();
        assert_eq!(doc["info"]["title"], "Things");

        let one = &doc["paths"]["/api/things/{id}"]["get"];
        assert_eq!(
            (&one["operationId"], &one["summary"], &one["tags"]),
            (&json!("getThing"), &json!("One thing"), &json!(["Things"]))
        );
        assert_eq!(one["security"], json!([{"bearerAuth": []}]));
        assert_eq!(
            one["parameters"],
            json!([{"$ref": "#/components/parameters/Id"}])
        );
        assert_eq!(statuses(one), ["200", "400", "401", "404", "429", "503"]);
        let ok = &one["responses"]["200"]["content"]["application/json"];
        assert_eq!(ok["schema"], json!({"$ref": "#/components/schemas/Thing"}));
        assert_eq!(ok["example"], json!({"id": 1, "name": "a"}));
        assert_eq!(
            one["responses"]["401"],
            json!({"$ref": "#/components/responses/Unauthorized"})
        );
        assert_eq!(one["responses"]["404"]["description"], "No such thing.");

        let create = &doc["paths"]["/api/things"]["post"];
        assert_eq!(
            statuses(create),
            ["201", "400", "401", "403", "413", "429", "503"]
        );
        assert_eq!(
            create["responses"]["400"],
            json!({"$ref": "#/components/responses/BadRequest"})
        );
        assert_eq!(
            create["responses"]["201"]["headers"],
            json!({"Retry-After": {"$ref": "#/components/headers/Retry-After"}})
        );

        let open = &doc["paths"]["/api/open"]["get"];
        assert!(open.get("security").is_none() && open.get("parameters").is_none());
        assert_eq!(statuses(open), ["400", "413", "429", "503"]);
        assert_eq!(
            open["requestBody"],
            json!({
                "description": "Optional.",
                "required": false,
                "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}
                }},
            })
        );

        let mine = &doc["paths"]["/api/mine"]["get"];
        assert_eq!(mine["security"], json!([{}, {"bearerAuth": []}]));
        assert_eq!(statuses(mine), ["401", "429", "503"]);
        assert_eq!(
            mine["parameters"],
            json!([
                {"name": "sort", "in": "query", "required": false, "description": "Order.",
                 "schema": {"type": "integer", "format": "int64"}, "allowEmptyValue": true},
                {"$ref": "#/components/parameters/Page"},
                {"name": "q", "in": "query", "required": true, "schema": {"type": "string"}},
            ])
        );

        let thing = &doc["components"]["schemas"]["Thing"];
        assert_eq!(thing["required"], json!(["id", "name"]));
        assert_eq!(thing["properties"]["name"]["type"], "string");
    }
}
