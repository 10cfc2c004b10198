//! `Api::document` on a small API: each operation as its handler describes it, completed by
//! its declaration and the conventions.

use super::*;
use crate::{Binary, Group};

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
        ("limit" = Option<i64>, Query, minimum = 1),
        ("q" = String, Query),
    )
)]
async fn mine() {}

#[utoipa::path(post, path = "/api/hook", request_body = Thing, responses((status = 200)))]
async fn hook() {}

const THINGS: Group<()> = Group::new("things", || {
    vec![
        crate::route!(one, Access::AnyUser),
        crate::route!(create, Access::Roles(&["admin"])),
        crate::route!(open, Access::Public),
        crate::route!(mine, Access::Optional),
        crate::route!(hook, Access::Signed),
    ]
});
static API: Api<()> = Api::new(&[Binary::new("things-bin", &[THINGS])]);

const CONVENTIONS: DocConventions = DocConventions {
    bearer: "bearerAuth",
    every_route: &[("429", "TooManyRequests"), ("503", "Unavailable")],
    with_token: &[("401", "Unauthorized")],
    with_roles: &[("403", "Forbidden")],
    with_body: &[("400", "BadRequest"), ("413", "PayloadTooLarge")],
    with_required_body: &[("415", "UnsupportedMediaType")],
    path_parameters: &[("id", "Id")],
    shared_parameters: &[("query", "page", "Page")],
    shared_headers: &["Retry-After"],
    capped_parameters: &["limit"],
    empty_query_is_absent: true,
    bad_path_parameter: Some(("400", "InvalidId")),
};

fn statuses(operation: &Value) -> Vec<&str> {
    let responses = operation["responses"].as_object().unwrap();
    responses.keys().map(String::as_str).collect()
}

#[test]
fn each_operation_is_its_handlers_completed_by_its_declaration() {
    let doc = API.document(base(), &CONVENTIONS).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["info"], json!({"title": "Things", "version": "1"}));

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
        ["201", "400", "401", "403", "413", "415", "429", "503"]
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

    // A webhook reads its raw body: another content type is no 415.
    let hook = &doc["paths"]["/api/hook"]["post"];
    assert_eq!(statuses(hook), ["200", "400", "413", "429", "503"]);

    let mine = &doc["paths"]["/api/mine"]["get"];
    assert_eq!(mine["security"], json!([{}, {"bearerAuth": []}]));
    assert_eq!(statuses(mine), ["401", "429", "503"]);
    assert_eq!(
        mine["parameters"],
        json!([
            {"name": "sort", "in": "query", "required": false, "description": "Order.",
             "schema": {"type": "integer", "format": "int64"}, "allowEmptyValue": true},
            {"$ref": "#/components/parameters/Page"},
            {"name": "limit", "in": "query", "required": false,
             "schema": {"type": "integer", "minimum": 1}, "allowEmptyValue": true},
            {"name": "q", "in": "query", "required": true, "schema": {"type": "string"}},
        ])
    );

    let thing = &doc["components"]["schemas"]["Thing"];
    assert_eq!(thing["required"], json!(["id", "name"]));
    assert_eq!(thing["properties"]["name"]["type"], "string");
}

/// A base with refusals, a shared parameter and header.
fn base() -> DocBase {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::ObjectBuilder;
    use utoipa::openapi::schema::Type;
    use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApiBuilder, header::HeaderBuilder};
    use web_core::error::{ApiError, ErrorKind, styles::ErrorDetails};

    let refusals = Refusals::new(&ErrorDetails, "Error")
        .one(
            "TooManyRequests",
            "Slow down.",
            ApiError::of(ErrorKind::Forbidden),
        )
        .header("Retry-After", HeaderBuilder::new().build())
        .several(
            "Unauthorized",
            "Who are you?",
            vec![
                ("No token", ApiError::of(ErrorKind::MissingToken)),
                ("Bad token", ApiError::of(ErrorKind::InvalidToken)),
            ],
        );
    let components = refusals.into_components(ComponentsBuilder::new()).build();
    let page = ParameterBuilder::new()
        .name("page")
        .parameter_in(ParameterIn::Query)
        .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
        .build();
    DocBase {
        openapi: OpenApiBuilder::new()
            .info(
                InfoBuilder::new()
                    .title("Things")
                    .version("1")
                    .license(Some(
                        utoipa::openapi::LicenseBuilder::new()
                            .name("UNLICENSED")
                            .build(),
                    )),
            )
            .components(Some(components))
            .build(),
        parameters: vec![("Page", page)],
        headers: vec![("Retry-After", HeaderBuilder::new().build())],
    }
}

#[test]
fn the_base_components_are_said_as_the_routes_are() {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let mut base = base();
    let own_thing = ObjectBuilder::new().schema_type(Type::Integer);
    if let Some(components) = base.openapi.components.as_mut() {
        components.schemas.insert("Thing".into(), own_thing.into());
    }
    let doc = API.document(base, &CONVENTIONS).unwrap();
    let components = &doc["components"];
    let slow_down = &components["responses"]["TooManyRequests"];
    assert_eq!(
        slow_down["headers"],
        json!({"Retry-After": {"$ref": "#/components/headers/Retry-After"}})
    );
    assert_eq!(
        slow_down["content"]["application/json"],
        json!({"schema": {"$ref": "#/components/schemas/Error"},
               "example": {"error": "Accès non autorisé"}})
    );
    assert_eq!(
        components["responses"]["Unauthorized"]["content"]["application/json"]["examples"],
        json!({
            "e1": {"summary": "No token", "value": {"error": "Token d'accès requis"}},
            "e2": {"summary": "Bad token", "value": {"error": "Token invalide ou expiré"}},
        })
    );
    assert_eq!(
        components["parameters"]["Page"],
        json!({"name": "page", "in": "query", "required": false,
               "schema": {"type": "integer"}, "allowEmptyValue": true})
    );
    assert_eq!(components["schemas"]["Thing"], json!({"type": "integer"}));
}
