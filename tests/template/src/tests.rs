//! The rules on the real `template.yaml`, against a stand-in list of binaries (so they run
//! whatever the crates under `functions/` hold), and on copies of it broken one way at a time.

use crate::{FunctionBinary, check};

const TEMPLATE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../template.yaml"));

/// A registered product's route groups, each one function of the template.
fn groups_of(product: &str) -> Vec<&'static str> {
    products::named(product)
        .map(|p| p.lambda_binaries())
        .unwrap_or_default()
        .into_iter()
        .flat_map(|binary| binary.groups)
        .collect()
}

/// The template's functions: one per route group and one per scheduled job of each product,
/// and its WebSocket function.
fn function_count() -> usize {
    products::ALL
        .iter()
        .map(|p| {
            let live = usize::from(p.deployment().live.is_some());
            groups_of(p.name()).len() + p.deployment().jobs.len() + live
        })
        .sum()
}

/// Every registered product's binaries (Lumira's payment functions' has Stripe, its
/// delivery function's the PDF engine; CV Builder's export function's has the PDF engine).
fn registered_binaries() -> Vec<FunctionBinary> {
    products::ALL
        .iter()
        .flat_map(|p| {
            let mut jobs: Vec<&str> = p.deployment().jobs.iter().map(|job| job.binary).collect();
            jobs.extend(p.deployment().live.as_ref().map(|live| live.binary));
            jobs.dedup();
            p.lambda_binaries()
                .into_iter()
                .map(|binary| binary.name)
                .chain(jobs)
                .map(|name| FunctionBinary {
                    package: p.name().to_owned(),
                    name: name.to_owned(),
                })
        })
        .collect()
}

fn registered() -> Vec<crate::ProductRoutes> {
    products::ALL
        .iter()
        .map(|p| crate::ProductRoutes::of(*p))
        .collect()
}

fn product_problems(template: &str) -> Vec<String> {
    crate::check_products(template, &registered_binaries(), &registered())
}

#[test]
fn each_function_reaches_only_its_products_resources_and_routes() {
    assert_problems(&product_problems(TEMPLATE), &[]);
    let borrowed = mutated(
        "          TABLE_NAME: !Ref LumiraTable",
        "          TABLE_NAME: !Ref KbineTable",
        1,
    );
    assert_problems(
        &product_problems(&borrowed),
        &[&["LumiraHealthFunction", "KbineTable", "not Lumira's"]],
    );
    let foreign_policy = mutated(
        "        - !Ref LumiraFilesReadPolicy",
        "        - !Ref KbineTableAccessPolicy",
        1,
    );
    assert_problems(
        &product_problems(&foreign_policy),
        &[
            &["LumiraHealthFunction", "KbineTableAccessPolicy"],
            &["LumiraHealthFunction", "KbineTable,"],
        ],
    );
}

#[test]
fn every_route_reaches_exactly_one_function_and_every_event_a_route() {
    let unrouted = mutated(
        "            Path: /api/ready\n",
        "            Path: /api/readiness\n",
        1,
    );
    assert_problems(
        &product_problems(&unrouted),
        &[
            &["lumira route GET /api/ready", "0 functions"],
            &["LumiraHealthFunction", "/api/readiness", "takes no route"],
        ],
    );
    let twice = mutated(
        "            Path: /api/plans/{proxy+}",
        "            Path: /api/operators/{proxy+}",
        1,
    );
    let problems = product_problems(&twice);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("/api/operators/{id}") && p.contains("2 functions")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("/api/plans/{id}") && p.contains("0 functions"))
    );
}

/// The template with `count` occurrences of `from` (0: all) replaced; `from` must occur.
fn mutated(from: &str, to: &str, count: usize) -> String {
    assert!(
        TEMPLATE.contains(from),
        "template.yaml no longer contains {from:?}"
    );
    if count == 0 {
        TEMPLATE.replace(from, to)
    } else {
        TEMPLATE.replacen(from, to, count)
    }
}

/// `problems` has exactly `expected.len()` entries, the i-th containing every fragment of
/// `expected[i]` (in any order of problems).
fn assert_problems(problems: &[String], expected: &[&[&str]]) {
    assert_eq!(
        problems.len(),
        expected.len(),
        "expected {} problems, got:\n{}",
        expected.len(),
        problems.join("\n")
    );
    for fragments in expected {
        assert!(
            problems
                .iter()
                .any(|p| fragments.iter().all(|f| p.contains(f))),
            "no problem mentions all of {fragments:?}; got:\n{}",
            problems.join("\n")
        );
    }
}

#[test]
fn the_template_deploys_one_function_per_kbine_group() {
    assert_problems(&check(TEMPLATE, &registered_binaries()), &[]);
}

#[test]
fn a_function_that_may_send_email_says_who_it_sends_as() {
    // Lumira's orders function tells experts of readings to validate; without MAIL_FROM it
    // would send as the local default, which SES refuses.
    let unsigned = mutated(
        "          MAIL_FROM: !Ref LumiraMailFrom\n          EXPERT_DESK_URL: !Ref LumiraExpertDeskUrl\n",
        "          EXPERT_DESK_URL: !Ref LumiraExpertDeskUrl\n",
        1,
    );
    assert_problems(
        &check(&unsigned, &registered_binaries()),
        &[&["LumiraOrdersFunction", "LumiraMailPolicy", "no MAIL_FROM"]],
    );
}

#[test]
fn a_binary_without_a_function_is_named() {
    let mut binaries = registered_binaries();
    binaries.push(FunctionBinary {
        package: "kbine".to_owned(),
        name: "kbine-reports".to_owned(),
    });
    assert_problems(
        &check(TEMPLATE, &binaries),
        &[&["kbine-reports", "crate kbine", "no function"]],
    );
}

#[test]
fn a_function_whose_binary_is_missing_is_named() {
    let mut binaries = registered_binaries();
    binaries.retain(|b| b.name != "lumira-lambda");
    // Every Lumira function but those of lumira-payments and lumira-render.
    let functions: Vec<String> = groups_of("lumira")
        .into_iter()
        .filter(|group| !["products", "payments", "delivery"].contains(group))
        .map(|group| {
            let mut name = group.to_string();
            name[..1].make_ascii_uppercase();
            format!("Lumira{name}Function")
        })
        .collect();
    let expected: Vec<[&str; 3]> = functions
        .iter()
        .map(|f| [f.as_str(), "lumira-lambda", "no crate under functions/"])
        .collect();
    let expected: Vec<&[&str]> = expected.iter().map(|e| e.as_slice()).collect();
    assert_problems(&check(TEMPLATE, &binaries), &expected);
}

#[test]
fn two_functions_for_one_route_group_are_named() {
    let template = mutated("Handler: users", "Handler: auth", 1);
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&[
            "kbine-lambda with Handler auth",
            "2 functions",
            "KbineAuthFunction, KbineUsersFunction",
        ]],
    );
    assert_problems(
        &product_problems(&template),
        &[&["kbine route group users", "no function"]],
    );
}

#[test]
fn a_handler_is_a_route_group_of_the_functions_product() {
    let template = mutated("Handler: plans", "Handler: plan", 1);
    assert_problems(
        &product_problems(&template),
        &[
            &[
                "KbinePlansFunction",
                "Handler \"plan\"",
                "no route group of kbine",
            ],
            &["kbine route group plans", "no function"],
        ],
    );
    let template = mutated("      Handler: health\n", "", 1);
    let problems = check(&template, &registered_binaries());
    assert_problems(&problems, &[&["LumiraHealthFunction", "sets no Handler"]]);
}

#[test]
fn a_handler_is_a_route_group_of_the_binary_it_runs() {
    let template = mutated(
        "        Binary: lumira-payments\n    Properties:\n      Description: Lumira /api/payments",
        "        Binary: lumira-lambda\n    Properties:\n      Description: Lumira /api/payments",
        1,
    );
    assert_problems(
        &product_problems(&template),
        &[
            &[
                "LumiraPaymentsFunction",
                "Handler \"payments\"",
                "no route group of lumira's binary lumira-lambda",
            ],
            &[
                "lumira route group payments of binary lumira-payments",
                "no function",
            ],
        ],
    );
}

#[test]
fn runtime_and_architecture_come_from_globals_or_the_function() {
    let template = mutated("Runtime: provided.al2023", "Runtime: provided.al2", 0);
    let problems = check(&template, &registered_binaries());
    assert_eq!(problems.len(), function_count(), "{problems:#?}");
    assert!(problems.contains(
        &"LumiraHealthFunction: Runtime is provided.al2, not provided.al2023".to_string()
    ));
    for group in groups_of("kbine") {
        let expected = format!(
            "Kbine{}Function: Runtime is provided.al2, not provided.al2023",
            capitalized(group)
        );
        assert!(
            problems.contains(&expected),
            "{expected} not in {problems:#?}"
        );
    }

    let template = mutated(
        "      Description: Kbine /api/plans.\n",
        "      Description: Kbine /api/plans.\n      Architectures: [arm64, x86_64]\n",
        0,
    );
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&[
            "KbinePlansFunction",
            "Architectures is [arm64, x86_64], not [arm64]",
        ]],
    );
}

#[test]
fn a_function_built_another_way_is_named() {
    let template = mutated("BuildMethod: makefile", "BuildMethod: rust-cargolambda", 1);
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&["KbineAuthFunction", "BuildMethod is rust-cargolambda"]],
    );
}

#[test]
fn wildcard_actions_and_resources_are_refused() {
    let template = mutated("- dynamodb:GetItem", "- dynamodb:*", 0);
    let problems = check(&template, &registered_binaries());
    assert_eq!(problems.len(), function_count(), "{problems:#?}");
    assert_problems(
        &problems[..1],
        &[&[
            "KbineAuthFunction (through KbineTableAccessPolicy)",
            "KbineTableItems",
            "dynamodb:*",
        ]],
    );

    let template = mutated("Resource: !GetAtt KbineTable.Arn", "Resource: ['*']", 0);
    let problems = check(&template, &registered_binaries());
    // Kbine's functions: its route groups' and its WebSocket function.
    assert_eq!(
        problems.len(),
        groups_of("kbine").len() + 1,
        "{problems:#?}"
    );
    assert!(
        problems.iter().all(|p| p.contains("Resource '*'")),
        "{problems:#?}"
    );

    let inline = "- !Ref KbineTableAccessPolicy\n      Environment:";
    let template = mutated(
        inline,
        "- Statement:\n            - Effect: Allow\n              Action: s3:GetObject\n              Resource: '*'\n      Environment:",
        1,
    );
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&["KbineUsersFunction", "#0", "Resource '*'"]],
    );
}

#[test]
fn sms_publishing_on_every_resource_needs_its_deny_of_topics() {
    // As deployed: Publish on '*' for phone numbers, denied on every topic.
    assert!(check(TEMPLATE, &registered_binaries()).is_empty());
    let template = mutated(
        "Resource: \"arn:aws:sns:*:*:*\"",
        "Resource: \"arn:aws:sns:*:*:alerts\"",
        0,
    );
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&["KbineAuthFunction", "KbineLoginCodesBySms", "Resource '*'"]],
    );
    let template = mutated(
        "Action: sns:Publish\n            Resource: \"*\"",
        "Action: [sns:Publish, s3:GetObject]\n            Resource: \"*\"",
        0,
    );
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&["KbineAuthFunction", "KbineLoginCodesBySms", "Resource '*'"]],
    );
}

#[test]
fn policies_that_cannot_be_read_here_are_refused() {
    for (policy, fragment) in [
        (
            "- DynamoDBCrudPolicy: {TableName: !Ref KbineTable}",
            "SAM policy template DynamoDBCrudPolicy",
        ),
        (
            "- AmazonDynamoDBFullAccess",
            "managed policy AmazonDynamoDBFullAccess",
        ),
        (
            "- !GetAtt KbineTable.Arn",
            "is not a Ref to an AWS::IAM::ManagedPolicy",
        ),
    ] {
        let template = mutated("- !Ref KbineTableAccessPolicy", policy, 1);
        assert_problems(
            &check(&template, &registered_binaries()),
            &[&["KbineAuthFunction", fragment]],
        );
    }
    let template = mutated(
        "      CodeUri: .\n",
        "      CodeUri: .\n      Role: arn:aws:iam::123456789012:role/admin\n",
        1,
    );
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&["KbineAuthFunction", "sets Role"]],
    );
}

#[test]
fn secrets_come_from_no_echo_parameters() {
    for parameter in ["KbineJwtSecret", "KbineRefreshSecret"] {
        let template = mutated(
            &format!("  {parameter}:\n    Type: String\n    NoEcho: true\n"),
            &format!("  {parameter}:\n    Type: String\n"),
            0,
        );
        let problems = check(&template, &registered_binaries());
        assert!(
            problems
                .iter()
                .any(|p| p.contains(&format!("parameter {parameter} ")) && p.contains("NoEcho")),
            "{problems:#?}"
        );
    }

    let template = mutated(
        "JWT_SECRET: !Ref KbineJwtSecret",
        "JWT_SECRET: a-literal-secret-that-is-long-enough",
        1,
    );
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&["KbineAuthFunction", "JWT_SECRET", "a-literal-secret"]],
    );

    let template = mutated(
        "JWT_SECRET: !Ref KbineJwtSecret",
        "JWT_SECRET: '{{resolve:ssm:/kbine/jwt-secret}}'",
        0,
    );
    assert_problems(&check(&template, &registered_binaries()), &[]);
}

#[test]
fn references_to_nothing_are_named() {
    let template = mutated(
        "TABLE_NAME: !Ref KbineTable",
        "TABLE_NAME: !Ref KbineTablo",
        1,
    );
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&[
            "KbineAuthFunction.Properties.Environment.Variables.TABLE_NAME",
            "!Ref refers to KbineTablo",
        ]],
    );

    let template = mutated("${KbineTable.Arn}/index/*", "${KbineTabel.Arn}/index/*", 0);
    assert_problems(
        &check(&template, &registered_binaries()),
        &[&["KbineTableAccessPolicy", "!Sub refers to KbineTabel"]],
    );

    let template = mutated("- !Ref KbineTableAccessPolicy", "- !Ref NoSuchPolicy", 1);
    assert_problems(
        &check(&template, &registered_binaries()),
        &[
            &["KbineAuthFunction", "!Ref NoSuchPolicy", "is not a Ref"],
            &[
                "Resources.KbineAuthFunction.Properties.Policies.0",
                "NoSuchPolicy",
            ],
        ],
    );
}

#[test]
fn a_template_that_is_not_yaml_is_reported() {
    assert_problems(&check("Resources: [", &[]), &[&["not valid YAML"]]);
    assert_problems(
        &check("Resources: {}\n", &[]),
        &[&["defines no AWS::Serverless::Function"]],
    );
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
