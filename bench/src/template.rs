//! The functions `template.yaml` deploys: each one's binary, the route group it runs and the
//! HttpApi paths routed to it.

use serde_norway::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// The CloudFormation logical id (`KbineAuthFunction`).
    pub logical_id: String,
    /// The cargo binary (`kbine-lambda`).
    pub binary: String,
    /// The route group the binary serves in this function (`auth`), Lambda's `_HANDLER`.
    pub handler: String,
    /// HttpApi event paths (`/api/auth/{proxy+}`, `/api/users`).
    pub paths: Vec<String>,
}

impl Function {
    /// Whether a request to `path` reaches this function: an event path's `{proxy+}` takes
    /// the rest of the path, and a `{name}` segment any one segment, as API Gateway routes.
    pub fn serves(&self, path: &str) -> bool {
        self.paths.iter().any(|pattern| takes(pattern, path))
    }
}

fn takes(pattern: &str, path: &str) -> bool {
    if let Some(prefix) = pattern.strip_suffix("{proxy+}") {
        return path.len() > prefix.len()
            && path
                .get(..prefix.len())
                .is_some_and(|start| takes_segments(prefix, start));
    }
    takes_segments(pattern, path)
}

fn takes_segments(pattern: &str, path: &str) -> bool {
    let (pattern, path): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), path.split('/').collect());
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(p, c)| p == c || (p.starts_with('{') && p.ends_with('}') && !c.is_empty()))
}

/// Every `AWS::Serverless::Function` of the template that requests reach, in template order.
pub fn functions(template: &str) -> Result<Vec<Function>, String> {
    let doc: Value = serde_norway::from_str(template).map_err(|e| e.to_string())?;
    let resources = doc
        .get("Resources")
        .and_then(Value::as_mapping)
        .ok_or("the template has no Resources")?;
    let mut found = Vec::new();
    for (id, resource) in resources {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::Serverless::Function") {
            continue;
        }
        let logical_id = id.as_str().unwrap_or_default().to_string();
        let binary = resource
            .get("Metadata")
            .and_then(|m| m.get("BuildProperties"))
            .and_then(|b| b.get("Binary"))
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{logical_id}: no Metadata.BuildProperties.Binary"))?
            .to_string();
        let handler = resource
            .get("Properties")
            .and_then(|p| p.get("Handler"))
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{logical_id}: no Properties.Handler"))?
            .to_string();
        let paths = resource
            .get("Properties")
            .and_then(|p| p.get("Events"))
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
            .filter_map(|(_, event)| event.get("Properties")?.get("Path")?.as_str())
            .map(str::to_string)
            .collect::<Vec<_>>();
        // A scheduled job's function (an EventBridge schedule) takes no request to measure.
        if paths.is_empty() {
            continue;
        }
        found.push(Function {
            logical_id,
            binary,
            handler,
            paths,
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_paths_take_requests_as_api_gateway_routes_them() {
        let function = Function {
            logical_id: "F".into(),
            binary: "b".into(),
            handler: "h".into(),
            paths: vec![
                "/api/orders/{id}/delivered".into(),
                "/api/auth/{proxy+}".into(),
            ],
        };
        assert!(function.serves("/api/orders/1/delivered"));
        assert!(!function.serves("/api/orders//delivered"));
        assert!(!function.serves("/api/orders/1/content"));
        assert!(function.serves("/api/auth/login"));
        assert!(function.serves("/api/auth/a/b"));
        assert!(!function.serves("/api/auth/"));
        assert!(!function.serves("/api/authors/x"));
    }

    #[test]
    fn the_workspace_template_names_every_kbine_function_with_its_paths() {
        let text = std::fs::read_to_string(crate::workspace_root().join("template.yaml"))
            .unwrap_or_default();
        let found = functions(&text).unwrap_or_default();
        let auth = found.iter().find(|f| f.logical_id == "KbineAuthFunction");
        assert!(auth.is_some_and(|f| f.serves("/api/auth/login") && !f.serves("/api/auth/")));
        assert!(auth.is_some_and(|f| f.binary == "kbine-lambda" && f.handler == "auth"));
        let users = found.iter().find(|f| f.logical_id == "KbineUsersFunction");
        assert!(users.is_some_and(|f| f.serves("/api/users") && f.serves("/api/users/profile")));
        assert!(found.len() >= 6, "{found:?}");
    }
}
