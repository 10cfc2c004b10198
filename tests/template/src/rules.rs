//! The rules, over a parsed template.

use std::collections::BTreeMap;

use serde_norway::Value;

use crate::FunctionBinary;
use crate::yaml::{at, entries, get, intrinsic, one_or_many, plain_str, referenced_names};

const RUNTIME: &str = "provided.al2023";
const ARCHITECTURE: &str = "arm64";
/// Every function is built by the generated `Makefile` (one cargo build for all of them).
const BUILD_METHOD: &str = "makefile";
const FUNCTION_TYPE: &str = "AWS::Serverless::Function";
const MANAGED_POLICY_TYPE: &str = "AWS::IAM::ManagedPolicy";
/// Dynamic references that keep a secret out of the template.
const SECRET_REFERENCES: [&str; 3] = [
    "{{resolve:ssm:",
    "{{resolve:ssm-secure:",
    "{{resolve:secretsmanager:",
];

pub(crate) struct Template<'a> {
    doc: &'a Value,
    /// `Globals.Function`: the defaults of every function's properties.
    globals: Option<&'a Value>,
    functions: Vec<Function<'a>>,
}

pub(crate) struct Function<'a> {
    pub(crate) id: &'a str,
    metadata: Option<&'a Value>,
    pub(crate) properties: Option<&'a Value>,
}

impl<'a> Function<'a> {
    pub(crate) fn binary(&self) -> Option<&'a str> {
        self.metadata
            .and_then(|m| at(m, &["BuildProperties", "Binary"]))
            .and_then(plain_str)
    }

    /// The route group it runs (`Handler`: Lambda hands it to the binary as `_HANDLER`).
    pub(crate) fn handler(&self) -> Option<&'a str> {
        self.own("Handler").and_then(plain_str)
    }

    fn own(&self, key: &str) -> Option<&'a Value> {
        self.properties.and_then(|p| get(p, key))
    }
}

impl<'a> Template<'a> {
    pub(crate) fn new(doc: &'a Value) -> Self {
        let functions = entries(get(doc, "Resources").unwrap_or(&Value::Null))
            .filter(|(_, r)| resource_type(r) == Some(FUNCTION_TYPE))
            .map(|(id, r)| Function {
                id,
                metadata: get(r, "Metadata"),
                properties: get(r, "Properties"),
            })
            .collect();
        Self {
            doc,
            globals: at(doc, &["Globals", "Function"]),
            functions,
        }
    }

    pub(crate) fn functions(&self) -> impl Iterator<Item = &Function<'a>> {
        self.functions.iter()
    }

    pub(crate) fn doc(&self) -> &'a Value {
        self.doc
    }

    fn resource(&self, id: &str) -> Option<&'a Value> {
        at(self.doc, &["Resources", id])
    }

    fn parameter(&self, name: &str) -> Option<&'a Value> {
        at(self.doc, &["Parameters", name])
    }

    /// A function's property, or its default from `Globals.Function`.
    fn effective(&self, function: &Function<'a>, key: &str) -> Option<&'a Value> {
        function
            .own(key)
            .or_else(|| self.globals.and_then(|g| get(g, key)))
    }

    /// Runtime, architecture, build method and policies of each function.
    pub(crate) fn check_functions(&self, problems: &mut Vec<String>) {
        if self.functions.is_empty() {
            problems.push(format!("template.yaml defines no {FUNCTION_TYPE}"));
        }
        for f in &self.functions {
            let id = f.id;
            let runtime = self.effective(f, "Runtime");
            if runtime.and_then(plain_str) != Some(RUNTIME) {
                problems.push(format!("{id}: Runtime is {}, not {RUNTIME}", show(runtime)));
            }
            let architectures = self.effective(f, "Architectures");
            let arm64_only = architectures
                .and_then(Value::as_sequence)
                .is_some_and(|a| a.len() == 1 && plain_str(&a[0]) == Some(ARCHITECTURE));
            if !arm64_only {
                problems.push(format!(
                    "{id}: Architectures is {}, not [{ARCHITECTURE}]",
                    show(architectures)
                ));
            }
            let build_method = f.metadata.and_then(|m| get(m, "BuildMethod"));
            if build_method.and_then(plain_str) != Some(BUILD_METHOD) {
                problems.push(format!(
                    "{id}: Metadata.BuildMethod is {}, not {BUILD_METHOD}",
                    show(build_method)
                ));
            }
            if f.binary().is_none() {
                problems.push(format!(
                    "{id}: Metadata.BuildProperties.Binary names no binary"
                ));
            }
            if f.handler().is_none() {
                problems.push(format!(
                    "{id}: sets no Handler, the route group its binary serves"
                ));
            }
            self.check_policies(f, problems);
        }
    }

    /// Whether `f` sets the environment variable `name`, itself or through `Globals.Function`.
    fn sets_variable(&self, f: &Function<'a>, name: &str) -> bool {
        [f.properties, self.globals]
            .into_iter()
            .flatten()
            .any(|props| {
                at(props, &["Environment", "Variables"]).is_some_and(|v| get(v, name).is_some())
            })
    }

    fn check_policies(&self, f: &Function<'a>, problems: &mut Vec<String>) {
        let id = f.id;
        if f.own("Role").is_some() {
            problems.push(format!(
                "{id}: sets Role; grant its permissions through Policies so they are checked here"
            ));
        }
        let Some(policies) = f.own("Policies") else {
            return;
        };
        for policy in one_or_many(policies) {
            if let Some((name, arg)) = intrinsic(policy) {
                let managed = plain_str(arg)
                    .filter(|_| name == "Ref")
                    .and_then(|target| Some((target, self.resource(target)?)))
                    .filter(|(_, r)| resource_type(r) == Some(MANAGED_POLICY_TYPE));
                match managed {
                    Some((target, resource)) => {
                        let document = at(resource, &["Properties", "PolicyDocument"]);
                        if allows_sending_mail(document) && !self.sets_variable(f, MAIL_FROM) {
                            problems.push(format!(
                                "{id}: may send email (through {target}) but sets no {MAIL_FROM}: it would send as the local default, which SES refuses"
                            ));
                        }
                        check_statements(&format!("{id} (through {target})"), document, problems)
                    }
                    None => problems.push(format!(
                        "{id}: policy {} is not a Ref to an {MANAGED_POLICY_TYPE} of this template",
                        show(Some(policy))
                    )),
                }
            } else if let Some(name) = plain_str(policy) {
                problems.push(format!(
                    "{id}: uses the managed policy {name}; grant explicit least-privilege statements instead"
                ));
            } else if get(policy, "Statement").is_some() {
                check_statements(id, Some(policy), problems);
            } else {
                let template = entries(policy).next().map_or("?", |(k, _)| k);
                problems.push(format!(
                    "{id}: uses the SAM policy template {template}; grant explicit least-privilege statements instead"
                ));
            }
        }
    }

    /// Each binary of a crate under `functions/` is run by some function, each function runs
    /// one of them, and no two functions run the same binary for the same route group.
    pub(crate) fn check_binaries(&self, binaries: &[FunctionBinary], problems: &mut Vec<String>) {
        let mut run_by: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
        for f in &self.functions {
            let Some(binary) = f.binary() else { continue };
            run_by
                .entry((binary, f.handler().unwrap_or_default()))
                .or_default()
                .push(f.id);
            if !binaries.iter().any(|b| b.name == binary) {
                let known: Vec<&str> = binaries.iter().map(|b| b.name.as_str()).collect();
                problems.push(format!(
                    "{}: builds binary {binary}, which no crate under functions/ defines (they define: {})",
                    f.id,
                    if known.is_empty() { "nothing".to_owned() } else { known.join(", ") }
                ));
            }
        }
        for b in binaries {
            if !run_by.keys().any(|(binary, _)| *binary == b.name) {
                problems.push(format!(
                    "binary {} of crate {} has no function in template.yaml",
                    b.name, b.package
                ));
            }
        }
        for ((binary, handler), functions) in run_by {
            if functions.len() > 1 {
                problems.push(format!(
                    "binary {binary} with Handler {handler} is run by {} functions ({}); a route group needs exactly one",
                    functions.len(),
                    functions.join(", ")
                ));
            }
        }
    }

    /// Parameters that hold secrets are NoEcho, and environment variables that hold secrets come
    /// from such a parameter or a dynamic reference.
    pub(crate) fn check_secrets(&self, problems: &mut Vec<String>) {
        for (name, parameter) in entries(get(self.doc, "Parameters").unwrap_or(&Value::Null)) {
            if name.to_ascii_lowercase().contains("secret") && !is_no_echo(parameter) {
                problems.push(format!(
                    "parameter {name} holds a secret but is not NoEcho: true"
                ));
            }
        }
        let environments = std::iter::once(("Globals.Function", self.globals))
            .chain(self.functions.iter().map(|f| (f.id, f.properties)))
            .filter_map(|(owner, props)| Some((owner, at(props?, &["Environment", "Variables"])?)));
        for (owner, variables) in environments {
            for (var, value) in entries(variables) {
                if var.to_ascii_uppercase().contains("SECRET") && !self.is_secret_source(value) {
                    problems.push(format!(
                        "{owner}: environment variable {var} is {}, not a Ref to a NoEcho parameter or a {{{{resolve:...}}}} reference",
                        show(Some(value))
                    ));
                }
            }
        }
    }

    fn is_secret_source(&self, value: &Value) -> bool {
        match intrinsic(value) {
            Some((name, arg)) => {
                name == "Ref"
                    && plain_str(arg)
                        .and_then(|p| self.parameter(p))
                        .is_some_and(is_no_echo)
            }
            None => {
                plain_str(value).is_some_and(|s| SECRET_REFERENCES.iter().any(|p| s.starts_with(p)))
            }
        }
    }

    /// Every `Ref`, `GetAtt` and `Sub` placeholder names a parameter, a resource (or the role SAM
    /// makes for a function), or a pseudo parameter.
    pub(crate) fn check_references(&self, problems: &mut Vec<String>) {
        let mut path = Vec::new();
        self.walk_references(self.doc, &mut path, problems);
    }

    fn walk_references(&self, value: &Value, path: &mut Vec<String>, problems: &mut Vec<String>) {
        if let Some((name, arg)) = intrinsic(value) {
            for target in referenced_names(&name, arg) {
                if !self.defines(&target) {
                    problems.push(format!(
                        "{}: !{name} refers to {target}, which the template does not define",
                        path.join(".")
                    ));
                }
            }
        }
        match value {
            Value::Tagged(tagged) => self.walk_references(&tagged.value, path, problems),
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    self.walk_references(item, path, problems);
                    path.pop();
                }
            }
            Value::Mapping(_) => {
                for (key, item) in entries(value) {
                    path.push(key.to_owned());
                    self.walk_references(item, path, problems);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn defines(&self, name: &str) -> bool {
        name.starts_with("AWS::")
            || self.parameter(name).is_some()
            || self.resource(name).is_some()
            || self
                .functions
                .iter()
                .any(|f| f.own("Role").is_none() && name.strip_suffix("Role") == Some(f.id))
    }
}

/// Every topic ARN: what a policy that sends SMS denies, so that its `sns:Publish` reaches
/// phone numbers only.
const EVERY_TOPIC: &str = "arn:aws:sns:*:*:*";

/// Who a function's emails come from: an address SES has verified.
const MAIL_FROM: &str = "MAIL_FROM";

/// Whether a policy document allows sending email through SES.
fn allows_sending_mail(document: Option<&Value>) -> bool {
    let statements = document.and_then(|d| get(d, "Statement")).map(one_or_many);
    statements.unwrap_or_default().into_iter().any(|statement| {
        get(statement, "Effect").and_then(plain_str) == Some("Allow")
            && get(statement, "Action")
                .map(one_or_many)
                .is_some_and(|actions| {
                    actions
                        .into_iter()
                        .filter_map(plain_str)
                        .any(|a| a.starts_with("ses:Send"))
                })
    })
}

/// Whether `statements` hold a Deny of `sns:Publish` on every topic.
fn denies_publishing_to_topics(statements: &[&Value]) -> bool {
    statements.iter().any(|s| {
        get(s, "Effect").and_then(plain_str) == Some("Deny")
            && get(s, "Action").is_some_and(|a| {
                one_or_many(a)
                    .into_iter()
                    .any(|a| plain_str(a) == Some("sns:Publish"))
            })
            && get(s, "Resource").is_some_and(|r| {
                one_or_many(r)
                    .into_iter()
                    .any(|r| plain_str(r) == Some(EVERY_TOPIC))
            })
    })
}

/// Whether `statement` allows `sns:Publish` alone.
fn publishes_only(statement: &Value) -> bool {
    get(statement, "Action").is_some_and(|a| {
        let actions = one_or_many(a);
        !actions.is_empty()
            && actions
                .into_iter()
                .all(|a| plain_str(a) == Some("sns:Publish"))
    })
}

/// Checks an IAM policy document: no Allow statement has a wildcard action, `NotAction`,
/// `NotResource`, or `Resource: '*'`. The one exception is SMS: SNS takes no ARN for a phone
/// number, so `sns:Publish` on '*' passes when the same document denies it on every topic.
fn check_statements(owner: &str, document: Option<&Value>, problems: &mut Vec<String>) {
    let Some(statements) = document.and_then(|d| get(d, "Statement")) else {
        problems.push(format!("{owner}: policy has no Statement"));
        return;
    };
    let sms_only = denies_publishing_to_topics(&one_or_many(statements));
    for (i, statement) in one_or_many(statements).into_iter().enumerate() {
        if get(statement, "Effect").and_then(plain_str) == Some("Deny") {
            continue;
        }
        let sid = get(statement, "Sid")
            .and_then(plain_str)
            .map_or_else(|| format!("#{i}"), str::to_owned);
        for broad in ["NotAction", "NotResource"] {
            if get(statement, broad).is_some() {
                problems.push(format!(
                    "{owner}: statement {sid} uses {broad}; list what it allows instead"
                ));
            }
        }
        match get(statement, "Action") {
            None => problems.push(format!("{owner}: statement {sid} has no Action")),
            Some(actions) => {
                for action in one_or_many(actions).into_iter().filter_map(plain_str) {
                    if action.contains('*') {
                        problems.push(format!(
                            "{owner}: statement {sid} allows {action}; list the actions it needs"
                        ));
                    }
                }
            }
        }
        match get(statement, "Resource") {
            None => problems.push(format!("{owner}: statement {sid} has no Resource")),
            Some(resources) => {
                let to_phones = sms_only && publishes_only(statement);
                if !to_phones
                    && one_or_many(resources)
                        .into_iter()
                        .any(|r| plain_str(r) == Some("*"))
                {
                    problems.push(format!(
                        "{owner}: statement {sid} applies to Resource '*'; name the resources"
                    ));
                }
            }
        }
    }
}

fn resource_type(resource: &Value) -> Option<&str> {
    get(resource, "Type").and_then(plain_str)
}

fn is_no_echo(parameter: &Value) -> bool {
    match get(parameter, "NoEcho") {
        Some(Value::Bool(b)) => *b,
        Some(v) => plain_str(v).is_some_and(|s| s.eq_ignore_ascii_case("true")),
        None => false,
    }
}

/// A value as it would read in the template, on one line, for messages.
fn show(value: Option<&Value>) -> String {
    match value {
        None => "missing".to_owned(),
        Some(Value::Sequence(items)) => {
            let items: Vec<String> = items.iter().map(|i| show(Some(i))).collect();
            format!("[{}]", items.join(", "))
        }
        Some(v) => serde_norway::to_string(v)
            .map_or_else(|_| format!("{v:?}"), |s| s.trim().replace('\n', " ")),
    }
}
