//! Schema helpers for what utoipa's derive cannot say.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

/// `schema`, of an object with one property at least: what [`not_empty_schema!`] declares.
/// (utoipa 5.5's `#[schema(min_properties = 1)]` writes `maxProperties`.)
///
/// [`not_empty_schema!`]: crate::not_empty_schema
pub fn not_empty(mut schema: RefOr<Schema>) -> RefOr<Schema> {
    if let RefOr::T(Schema::Object(object)) = &mut schema {
        object.min_properties = Some(1);
    }
    schema
}

/// Declares `$name`, a schema named so, of the object `$fields` describes with one property
/// at least (a partial update that must change something).
#[macro_export]
macro_rules! not_empty_schema {
    ($(#[$meta:meta])* $name:ident, $fields:ty) => {
        $(#[$meta])*
        pub struct $name;

        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                $crate::schemas::not_empty(<$fields as ::utoipa::PartialSchema>::schema())
            }
        }

        impl ::utoipa::ToSchema for $name {
            fn schemas(
                schemas: &mut Vec<(
                    String,
                    ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema>,
                )>,
            ) {
                <$fields as ::utoipa::ToSchema>::schemas(schemas);
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use utoipa::{PartialSchema, ToSchema};

    #[derive(utoipa::ToSchema)]
    #[allow(dead_code)]
    struct PatchFields {
        name: Option<String>,
    }

    crate::not_empty_schema!(Patch, PatchFields);

    #[test]
    fn a_not_empty_object_has_one_property_at_least() {
        let schema = serde_json::to_value(Patch::schema()).unwrap();
        assert_eq!(schema["minProperties"], 1);
        assert!(schema.get("maxProperties").is_none());
        assert_eq!(
            schema["properties"]["name"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(Patch::name(), "Patch");
    }
}
