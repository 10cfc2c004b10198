//! What a product's document says before its routes: its introduction, its tags, and the
//! components its routes refer to by name. The refusals among them show what the product's
//! error style really answers.

use serde_json::{Map, Value};
use utoipa::openapi::header::Header;
use utoipa::openapi::path::Parameter;
use utoipa::openapi::response::Response;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, Content, InfoBuilder, OpenApi, OpenApiBuilder, Ref, ServerBuilder, Tag,
    example::ExampleBuilder,
};
use web_core::error::{ApiError, ErrorStyle};

/// A product's document before its routes.
#[derive(Default)]
pub struct DocBase {
    /// Its `info`, `servers`, `tags` and the components utoipa models (`schemas`: a product's
    /// named value types, which win over a shared type of the same name; `responses`;
    /// `securitySchemes`).
    pub openapi: OpenApi,
    /// `components.parameters`, by name.
    pub parameters: Vec<(&'static str, Parameter)>,
    /// `components.headers`, by name.
    pub headers: Vec<(&'static str, Header)>,
}

/// What every product's document says the same way: its title and version, its
/// introduction, that it is served at `/`, and that protected routes take a JWT bearer token.
pub struct Heading {
    pub title: &'static str,
    /// Markdown, the product's `intro.md`.
    pub intro: &'static str,
    /// Where the bearer token comes from, for the security scheme's description.
    pub bearer: &'static str,
}

impl DocBase {
    /// A document headed by `heading`, with the product's `tags` and `components` (to
    /// which the `bearerAuth` scheme is added), and no shared parameters or headers yet.
    pub fn new(heading: Heading, tags: Vec<Tag>, components: ComponentsBuilder) -> DocBase {
        let info = InfoBuilder::new()
            .title(heading.title)
            .version("1.0.0")
            .description(Some(heading.intro));
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .description(Some(heading.bearer));
        let components =
            components.security_scheme("bearerAuth", SecurityScheme::Http(bearer.build()));
        DocBase {
            openapi: OpenApiBuilder::new()
                .info(info)
                .servers(Some([ServerBuilder::new().url("/").build()]))
                .tags(Some(tags))
                .components(Some(components.build()))
                .build(),
            parameters: Vec::new(),
            headers: Vec::new(),
        }
    }

    pub(super) fn into_json(self) -> Result<Value, String> {
        let mut base = serde_json::to_value(self.openapi).map_err(|e| e.to_string())?;
        // utoipa fills the licence from Cargo.toml: the crates' licence is not the API's.
        if let Some(Value::Object(info)) = base.get_mut("info") {
            info.remove("license");
        }
        let components = base
            .as_object_mut()
            .ok_or("the base is not an object")?
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if !self.parameters.is_empty() {
            components["parameters"] = by_name(self.parameters)?;
        }
        if !self.headers.is_empty() {
            components["headers"] = by_name(self.headers)?;
        }
        Ok(base)
    }
}

/// `items` as one JSON object, each under its name.
fn by_name<T: serde::Serialize>(items: Vec<(&str, T)>) -> Result<Value, String> {
    items
        .into_iter()
        .map(|(name, item)| {
            Ok((
                name.to_owned(),
                serde_json::to_value(item).map_err(|e| e.to_string())?,
            ))
        })
        .collect::<Result<Map<_, _>, String>>()
        .map(Value::Object)
}

/// The refusals a product's document describes once (`components.responses`), each with
/// its examples as the product's error style answers them.
pub struct Refusals {
    style: &'static dyn ErrorStyle,
    error_schema: &'static str,
    responses: Vec<(&'static str, Response)>,
}

impl Refusals {
    /// Refusals whose body is the `error_schema` schema, rendered by `style`.
    pub fn new(style: &'static dyn ErrorStyle, error_schema: &'static str) -> Self {
        Refusals {
            style,
            error_schema,
            responses: Vec::new(),
        }
    }

    /// The local listener's refusals of oversized requests (`web::local`), `UriTooLong`
    /// (414) and `HeadersTooLarge` (431), described in the product's words; the conventions
    /// list them under every route.
    pub fn listener_limits(self, uri: &str, headers: &str) -> Self {
        use web_core::error::ErrorKind;
        self.one("UriTooLong", uri, ApiError::of(ErrorKind::UriTooLong))
            .one(
                "HeadersTooLarge",
                headers,
                ApiError::of(ErrorKind::HeadersTooLarge),
            )
    }

    /// The refusal `name`: `description`, and what the style answers for `error`.
    pub fn one(self, name: &'static str, description: &str, error: ApiError) -> Self {
        self.several(name, description, vec![("", error)])
    }

    /// The refusal `name`: `description`, and what the style answers for each error, under
    /// its summary.
    pub fn several(
        mut self,
        name: &'static str,
        description: &str,
        errors: Vec<(&str, ApiError)>,
    ) -> Self {
        let response = refusal(self.style, self.error_schema, description, errors);
        self.responses.push((name, response));
        self
    }

    /// The last refusal with the response header `name`.
    pub fn header(mut self, name: &str, header: Header) -> Self {
        if let Some((_, response)) = self.responses.last_mut() {
            response.headers.insert(name.to_owned(), header);
        }
        self
    }

    /// `components` with every refusal.
    pub fn into_components(self, mut components: ComponentsBuilder) -> ComponentsBuilder {
        for (name, response) in self.responses {
            components = components.response(name, response);
        }
        components
    }
}

/// A refusal as `components.responses` describes it: `description`, the `error_schema`
/// body, and as examples what `style` answers for `errors`, each under its summary (one
/// example alone needs none).
fn refusal(
    style: &dyn ErrorStyle,
    error_schema: &str,
    description: &str,
    errors: Vec<(&str, ApiError)>,
) -> Response {
    let mut content = Content::new(Some(Ref::from_schema_name(error_schema)));
    match errors.as_slice() {
        [(_, error)] => content.example = Some(style.render(error).1),
        _ => {
            for (n, (summary, error)) in errors.iter().enumerate() {
                let example = ExampleBuilder::new()
                    .summary(*summary)
                    .value(Some(style.render(error).1));
                content
                    .examples
                    .insert(format!("e{}", n + 1), example.into());
            }
        }
    }
    let mut response = Response::new(description);
    response.content.insert("application/json".into(), content);
    response
}
