//! Reading a CloudFormation template: YAML whose short-form intrinsics (`!Ref`, `!GetAtt`,
//! `!Sub`, ...) arrive as tagged values, and whose long forms (`Ref:`, `Fn::GetAtt:`) as
//! one-key mappings. Both are read the same way here.

use serde_norway::Value;

pub(crate) fn parse(text: &str) -> Result<Value, String> {
    serde_norway::from_str(text).map_err(|e| format!("template.yaml is not valid YAML: {e}"))
}

/// The value under `key`, if `value` is a plain mapping that has it.
pub(crate) fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match value {
        Value::Mapping(map) => map.get(key),
        _ => None,
    }
}

/// The value at a path of mapping keys.
pub(crate) fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| get(v, key))
}

/// A literal string (not an intrinsic function that produces one).
pub(crate) fn plain_str(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// The entries of a plain mapping whose keys are strings, in template order.
pub(crate) fn entries(value: &Value) -> impl Iterator<Item = (&str, &Value)> {
    let map = match value {
        Value::Mapping(map) => Some(map),
        _ => None,
    };
    map.into_iter()
        .flat_map(|m| m.iter())
        .filter_map(|(k, v)| Some((plain_str(k)?, v)))
}

/// A value, or each element of it when it is a list (CloudFormation accepts both for
/// `Action`, `Resource`, SAM's `Policies`, ...).
pub(crate) fn one_or_many(value: &Value) -> Vec<&Value> {
    match value {
        Value::Sequence(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// An intrinsic function call, short or long form: its name without `!` or `Fn::` (`Ref`,
/// `GetAtt`, `Sub`, ...) and its argument.
pub(crate) fn intrinsic(value: &Value) -> Option<(String, &Value)> {
    match value {
        Value::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            Some((tag.trim_start_matches('!').to_owned(), &tagged.value))
        }
        Value::Mapping(map) if map.len() == 1 => {
            let (key, arg) = map.iter().next()?;
            let key = plain_str(key)?;
            let name = if key == "Ref" {
                key
            } else {
                key.strip_prefix("Fn::")?
            };
            Some((name.to_owned(), arg))
        }
        _ => None,
    }
}

/// The logical names an intrinsic call refers to: `Ref X`, `GetAtt X.Attr` (or `[X, Attr]`), and
/// each `${X}` / `${X.Attr}` of a `Sub` that is not one of its own variables.
pub(crate) fn referenced_names(name: &str, arg: &Value) -> Vec<String> {
    match name {
        "Ref" => plain_str(arg).map(str::to_owned).into_iter().collect(),
        "GetAtt" => {
            let target = match arg {
                Value::Sequence(parts) => parts.first().and_then(plain_str),
                other => plain_str(other).and_then(|s| s.split('.').next()),
            };
            target.map(str::to_owned).into_iter().collect()
        }
        "Sub" => {
            let (text, own_vars) = match arg {
                Value::Sequence(parts) => (
                    parts.first().and_then(plain_str),
                    parts
                        .get(1)
                        .map(|vars| entries(vars).map(|(k, _)| k).collect()),
                ),
                other => (plain_str(other), None),
            };
            let own_vars: Vec<&str> = own_vars.unwrap_or_default();
            text.map(sub_placeholders)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| p.split('.').next().map(str::to_owned))
                .filter(|p| !own_vars.contains(&p.as_str()))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The `${...}` placeholders of a `Sub` string, without the literal `${!...}` escapes.
fn sub_placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let inner = after[..end].trim();
        if !inner.starts_with('!') {
            found.push(inner);
        }
        rest = &after[end + 1..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        match parse(text) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn short_and_long_intrinsics_read_the_same() {
        let doc = value(
            "a: !Ref Table\nb: {Ref: Table}\nc: !GetAtt Table.Arn\nd: {'Fn::GetAtt': [Table, Arn]}\n",
        );
        for key in ["a", "b", "c", "d"] {
            let v = get(&doc, key).and_then(intrinsic);
            let Some((name, arg)) = v else {
                panic!("{key} is not read as an intrinsic")
            };
            assert_eq!(referenced_names(&name, arg), vec!["Table"], "{key}");
        }
        // A tagged value is not a plain string, even though serde_norway could untag it.
        assert_eq!(get(&doc, "a").and_then(plain_str), None);
    }

    #[test]
    fn sub_names_skip_escapes_pseudo_and_own_variables() {
        let doc = value(
            "a: !Sub 'arn:${AWS::Partition}:x:${Table.Arn}/index/*${!Literal}'\n\
             b: !Sub ['${Own}-${Api}', {Own: x}]\n",
        );
        let names = |key| {
            get(&doc, key)
                .and_then(intrinsic)
                .map(|(n, a)| referenced_names(&n, a))
                .unwrap_or_default()
        };
        assert_eq!(names("a"), vec!["AWS::Partition", "Table"]);
        assert_eq!(names("b"), vec!["Api"]);
    }
}
