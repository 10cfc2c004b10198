//! The document's named value types (`components.schemas`) that no handler builds as such:
//! Django REST Framework's error body, and the enums of the fields kept as strings.
#![allow(dead_code)] // described, never built

use serde_json::json;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, Object, ObjectBuilder, Schema, Type};

/// Django REST Framework's error body: `{"detail": ...}`, or each failing field with its
/// messages.
pub struct Error;

impl utoipa::PartialSchema for Error {
    fn schema() -> RefOr<Schema> {
        let string = || ObjectBuilder::new().schema_type(Type::String);
        let messages = AnyOfBuilder::new().item(string()).item(ArrayBuilder::new());
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .min_properties(Some(1))
            .description(Some(
                "Django REST Framework's errors: `{\"detail\": \"...\"}`, or every failing \
                 field with its messages (`{\"field\": [\"...\"]}`; a nested list's errors \
                 are one object per entry).",
            ))
            .property("detail", string())
            .property("code", string())
            .additional_properties(Some(Schema::from(messages)))
            .into()
    }
}

impl utoipa::ToSchema for Error {}

/// A résumé's design: one of the designs' ids.
pub fn template_id() -> Object {
    let ids: Vec<i64> = crate::templates::ALL.iter().map(|t| t.id).collect();
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .enum_values(Some(ids))
        .examples([json!(1)])
        .build()
}

#[derive(utoipa::ToSchema)]
pub enum SkillLevel {
    #[schema(rename = "beginner")]
    Beginner,
    #[schema(rename = "intermediate")]
    Intermediate,
    #[schema(rename = "advanced")]
    Advanced,
    #[schema(rename = "expert")]
    Expert,
}

#[derive(utoipa::ToSchema)]
pub enum SubscriptionType {
    #[schema(rename = "monthly")]
    Monthly,
    #[schema(rename = "yearly")]
    Yearly,
}

#[derive(utoipa::ToSchema)]
pub enum ResumePaymentType {
    #[schema(rename = "free")]
    Free,
    #[schema(rename = "single")]
    Single,
    #[schema(rename = "subscription")]
    Subscription,
}
