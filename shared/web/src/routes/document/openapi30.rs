//! The OpenAPI 3.0 forms of what utoipa writes the 3.1 way: the documents are 3.0.3, which
//! the fuzzing, Swagger UI and the clients' generators read.

use serde_json::{Value, json};

/// `schema` without the `null` utoipa adds to an optional value's (`oneOf: [null, T]`, or
/// `type: [T, "null"]`): in 3.0 an optional body or parameter says so by `required: false`.
/// Whether it had one.
pub(super) fn not_null(schema: &mut Value) -> bool {
    let null = json!({"type": "null"});
    let inner = match schema
        .get("oneOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([first, second]) if *first == null => Some(second.clone()),
        Some([first, second]) if *second == null => Some(first.clone()),
        _ => None,
    };
    if let Some(inner) = inner {
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
    let Some(Value::Array(one_of)) = schema.get("oneOf") else {
        return;
    };
    let [Value::Object(only)] = one_of.as_slice() else {
        return;
    };
    let only = only.clone();
    if let Value::Object(schema) = schema {
        schema.remove("oneOf");
        for (key, value) in only {
            schema.entry(key).or_insert(value);
        }
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
}
