//! The OpenAPI 3.0 forms of what utoipa writes the 3.1 way: the documents are 3.0.3, which
//! the fuzzing, Swagger UI and the clients' generators read.

use serde_json::{Value, json};

/// `schema` without the `null` utoipa adds to an optional value's (`oneOf: [null, T]`, or
/// `type: [T, "null"]`): in 3.0 an optional body or parameter says so by `required: false`.
/// Whether it had one.
pub(super) fn not_null(schema: &mut Value) -> bool {
    if let Some(inner) = beside_null(schema) {
        *schema = inner;
        return true;
    }
    let Some(Value::Array(types)) = schema.get("type") else {
        return false;
    };
    let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    match kept.as_slice() {
        [single] if kept.len() < types.len() => {
            schema["type"] = single.clone();
            true
        }
        _ => false,
    }
}

/// `schema` with a `oneOf` of a single schema merged into it: utoipa wraps an inlined type
/// so when it adds a `default` beside it, which 3.0 says in the one schema.
pub(super) fn single_one_of(schema: &mut Value) {
    let only = match schema
        .get("oneOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([only]) => only.clone(),
        _ => return,
    };
    merge_one_of(schema, only);
}

/// The schema a `oneOf: [null, T]` offers beside `null` (in either order).
fn beside_null(schema: &Value) -> Option<Value> {
    let null = json!({"type": "null"});
    match schema.get("oneOf")?.as_array()?.as_slice() {
        [first, second] if *first == null => Some(second.clone()),
        [first, second] if *second == null => Some(first.clone()),
        _ => None,
    }
}

/// `schema` with its `oneOf` replaced by `inner`'s keywords (its own keep theirs).
fn merge_one_of(schema: &mut Value, inner: Value) {
    if let (Value::Object(object), Value::Object(inner)) = (schema, inner) {
        object.remove("oneOf");
        for (key, value) in inner {
            object.entry(key).or_insert(value);
        }
    }
}

/// A named schema (`components.schemas`) in its 3.0 form, throughout: an optional value
/// `nullable` (`allOf` around a reference, which 3.0 may not extend), an inlined type's
/// single `oneOf` merged, an exclusive bound a flag beside its bound, and a single example
/// as `example`.
pub(super) fn component(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for property in properties.values_mut() {
            nullable(property);
            single_one_of(property);
            component(property);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = object.get_mut(key) {
            component(inner);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(schemas)) = object.get_mut(key) {
            schemas.iter_mut().for_each(component);
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(limit) = object.get(exclusive).filter(|v| v.is_number()).cloned() {
            object.insert(bound.into(), limit);
            object.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(Value::Array(examples)) = object.get("examples")
        && let [example] = examples.as_slice()
    {
        let example = example.clone();
        object.remove("examples");
        object.insert("example".into(), example);
    }
}

/// An optional property's schema as 3.0 says it: `nullable: true` beside its type, or
/// around its reference.
fn nullable(schema: &mut Value) {
    if let Some(inner) = beside_null(schema) {
        if inner.get("$ref").is_some() {
            if let Value::Object(object) = schema {
                object.remove("oneOf");
            }
            schema["allOf"] = json!([inner]);
        } else {
            merge_one_of(schema, inner);
        }
        schema["nullable"] = Value::Bool(true);
    } else if not_null(schema) {
        schema["nullable"] = Value::Bool(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_optional_schema_loses_its_null() {
        let mut one_of = json!({"oneOf": [{"type": "null"}, {"$ref": "#/x"}]});
        assert!(not_null(&mut one_of));
        assert_eq!(one_of, json!({"$ref": "#/x"}));
        let mut typed = json!({"type": ["integer", "null"], "format": "int64"});
        assert!(not_null(&mut typed));
        assert_eq!(typed, json!({"type": "integer", "format": "int64"}));
        let mut wrapped = json!({"oneOf": [{"type": "string", "enum": ["a"]}], "default": "a"});
        single_one_of(&mut wrapped);
        assert_eq!(
            wrapped,
            json!({"type": "string", "enum": ["a"], "default": "a"})
        );
        let mut plain = json!({"type": "string"});
        assert!(!not_null(&mut plain));
        assert_eq!(plain, json!({"type": "string"}));
    }

    #[test]
    fn a_named_schema_is_said_the_3_0_way() {
        let mut schema = json!({
            "type": "object",
            "properties": {
                "note": {"type": ["string", "null"]},
                "status": {"oneOf": [{"type": "null"}, {"$ref": "#/s/Status"}]},
                "amount": {"type": "number", "exclusiveMinimum": 0, "examples": [5]},
                "list": {"type": "array", "items": {"type": "integer", "examples": [1, 2]}},
            }
        });
        component(&mut schema);
        assert_eq!(
            schema["properties"],
            json!({
                "note": {"type": "string", "nullable": true},
                "status": {"allOf": [{"$ref": "#/s/Status"}], "nullable": true},
                "amount": {"type": "number", "minimum": 0, "exclusiveMinimum": true,
                           "example": 5},
                "list": {"type": "array", "items": {"type": "integer", "examples": [1, 2]}},
            })
        );
    }
}
