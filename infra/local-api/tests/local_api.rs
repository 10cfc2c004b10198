//! The README's first command, run as a user would: the binary, its output, its data folder.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: failing loudly is the point

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    /// Kbine's origin.
    base: String,
    /// Every product's origin, by the title its lines start with.
    origins: std::collections::BTreeMap<String, String>,
    output: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `local-api`, every product on a free port, and reads its banner to the end.
fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_local-api"))
        .args(args)
        .arg("--free-ports")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut output = Vec::new();
    let mut origins = std::collections::BTreeMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some((title, url)) = line.split_once(" API: ") {
            origins.insert(
                title.to_string(),
                url.trim().trim_end_matches("/api").to_string(),
            );
        }
        let done = line.starts_with("Ready: ");
        output.push(line);
        if done {
            break;
        }
    }
    Server {
        child,
        base: origins
            .get("Kbine")
            .cloned()
            .expect("the banner names Kbine's URL"),
        origins,
        output,
    }
}

/// The status line's code of a WebSocket handshake at `addr` for `target`.
fn handshake_status(addr: &str, target: &str) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    let line = String::from_utf8_lossy(&head);
    line[9..12].parse().unwrap()
}

async fn get_json(url: &str) -> Value {
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

async fn login(base: &str, phone: &str) -> Value {
    login_with(base, json!({"phoneNumber": phone})).await
}

async fn login_with(base: &str, body: Value) -> Value {
    let reply = reqwest::Client::new()
        .post(format!("{base}/api/auth/login"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200, "{body}");
    reply.json().await.unwrap()
}

/// The demo admin's login request the server printed (`Kbine admin login: POST URL BODY`).
fn demo_admin_login(server: &Server) -> Value {
    let line = server
        .output
        .iter()
        .find_map(|l| l.strip_prefix("Kbine admin login: "))
        .expect("the banner has Kbine's admin login");
    serde_json::from_str(line.split_whitespace().nth(2).unwrap()).unwrap()
}

/// The password the admin command is given for staff and admin accounts here.
const PASSWORD: &str = "a-long-enough-password";

#[tokio::test]
async fn ephemeral_server_serves_demo_data_and_prints_staff_phones() {
    let server = start(&["--ephemeral"]);
    let banner = server.output.join("\n");
    assert!(banner.contains("Kbine docs: http://"), "{banner}");
    assert!(banner.contains("admin phone: 0700000000"), "{banner}");
    assert!(banner.contains("staff phone: 0500000000"), "{banner}");
    let plans: Value = get_json(&format!("{}/api/plans", server.base)).await;
    assert_eq!(plans.as_array().unwrap().len(), 9);
    let operators: Value = get_json(&format!("{}/api/operators", server.base)).await;
    assert_eq!(operators.as_array().unwrap().len(), 3);
    let docs = reqwest::get(format!("{}/docs", server.base)).await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
    let spec: Value = get_json(&format!("{}/api/openapi.json", server.base)).await;
    assert_eq!(spec["info"]["title"], "Kbine API");
    // The demo staff and admin log in with their password: the banner and the admin login
    // line give it (a local secret, kept in local-secrets.json).
    let admin = demo_admin_login(&server);
    assert_eq!(admin["phoneNumber"], "0700000000");
    let password = admin["password"].as_str().unwrap().to_string();
    assert!(
        banner.contains(&format!("password: {password}")),
        "{banner}"
    );
    assert_eq!(
        login_with(&server.base, admin).await["user"]["role"],
        "admin"
    );
    let staff = json!({"phoneNumber": "0500000000", "password": password});
    assert_eq!(
        login_with(&server.base, staff).await["user"]["role"],
        "staff"
    );
}

#[tokio::test]
async fn every_product_has_its_own_port_docs_and_document() {
    let server = start(&["--ephemeral"]);
    assert_eq!(
        server.origins.len(),
        products::ALL.len(),
        "{:?}",
        server.output
    );
    let ports: std::collections::BTreeSet<_> = server.origins.values().collect();
    assert_eq!(ports.len(), products::ALL.len(), "one port each");
    for product in products::ALL {
        let title = product.title();
        let origin = &server.origins[title];
        let banner = server.output.join("\n");
        assert!(
            banner.contains(&format!("{title} docs: {origin}/docs")),
            "{banner}"
        );
        let spec = get_json(&format!("{origin}/api/openapi.json")).await;
        let served: Value = serde_json::from_str(product.openapi_json()).unwrap();
        assert_eq!(spec, served, "{title}");
        let unknown = reqwest::get(format!("{origin}/api/no-such-route"))
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404);
        let body: Value = unknown.json().await.unwrap();
        assert!(
            product.error_style().is_error_body(&body),
            "{title}: {body}"
        );
    }
    // Each WebSocket API on a port of its own, behind the gateway that plays API Gateway:
    // a handshake with a token that is not the product's is refused as a refused
    // `$connect` is (401).
    let banner = server.output.join("\n");
    for product in products::ALL.iter().filter(|p| p.live_api().is_some()) {
        let prefix = format!("{} WebSocket: ws://", product.title());
        let line = banner
            .lines()
            .find_map(|line| line.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` line: {banner}"));
        let (addr, path) = line.split_once(" path=").unwrap();
        assert_eq!(path, product.live_api().unwrap().path);
        let query = "?EIO=4&transport=websocket&token=not.a.token";
        assert_eq!(
            handshake_status(addr, &format!("{path}{query}")),
            401,
            "{line}"
        );
    }
    // Lumira's health asks its own table and file store.
    let health = get_json(&format!("{}/api/health", server.origins["Lumira"])).await;
    assert_eq!(health["status"], "healthy");
    assert_eq!(health["services"]["database"], "connected");
}

#[tokio::test]
async fn harness_callers_are_signed_in_only_under_their_flag() {
    let plain = start(&["--ephemeral"]);
    assert!(
        !plain.output.iter().any(|l| l.contains("caller login")),
        "{:?}",
        plain.output
    );
    let refused = reqwest::Client::new()
        .post(format!(
            "{}/_harness/callers/admin",
            plain.origins["Lumira"]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);

    let server = start(&["--ephemeral", "--harness-callers"]);
    let client = reqwest::Client::new();
    for product in products::ALL {
        let title = product.title();
        for role in product.roles() {
            let prefix = format!("{title} caller login ({role}): POST ");
            let line = server
                .output
                .iter()
                .find_map(|l| l.strip_prefix(&prefix))
                .unwrap_or_else(|| panic!("no line {prefix}: {:?}", server.output));
            let url = line.split_whitespace().next().unwrap();
            let reply = client.post(url).send().await.unwrap();
            assert_eq!(reply.status(), 200, "{title} {role}");
            let caller: Value = reply.json().await.unwrap();
            let token = caller["accessToken"].as_str().unwrap();
            // A read the role may make, with nothing to fill in, takes the token.
            let Some(route) = product.routes().iter().find(|r| {
                r.method == "GET"
                    && r.access.requires_token()
                    && r.access.admits(role)
                    && !r.path.contains('{')
            }) else {
                continue;
            };
            let read = client
                .get(format!(
                    "{}{}",
                    server.origins[title],
                    route.concrete_uri("")
                ))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert!(
                read.status().is_success(),
                "{title} {role} GET {}: {}",
                route.path,
                read.status()
            );
        }
        let unknown = client
            .post(format!("{}/_harness/callers/nobody", server.origins[title]))
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404, "{title}");
    }
}

#[test]
fn local_secrets_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    drop(start(&["--data-dir", dir.path().to_str().unwrap()]));
    let secrets = std::fs::read_to_string(dir.path().join("local-secrets.json")).unwrap();
    assert!(
        secrets.contains("KBINE_JWT_SECRET") && secrets.contains("LUMIRA_FILES_SIGNING_SECRET")
    );
    let mode = std::fs::metadata(dir.path().join("local-secrets.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// `local-api admin create` for a Kbine user, with `--password-stdin` for staff and admin;
/// the caller adds where the store is and runs it with [`run_with_password`].
fn admin_create(phone: &str, role: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_local-api"));
    command.args(["admin", "create", "--product", "kbine"]);
    command.args(["--phone", phone, "--role", role]);
    if role != "client" {
        command.arg("--password-stdin");
    }
    command
}

/// Runs `command` with [`PASSWORD`] and a line ending on its standard input.
fn run_with_password(command: &mut Command) -> std::process::Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{PASSWORD}").unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn admin_create_local(data_dir: &Path, phone: &str, role: &str) -> std::process::Output {
    run_with_password(admin_create(phone, role).arg("--data-dir").arg(data_dir))
}

#[tokio::test]
async fn data_and_admin_command_survive_restarts() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let promoted = admin_create_local(&data_dir, "+225 01 23 45 67 89", "staff");
    assert!(promoted.status.success(), "{promoted:?}");
    assert!(String::from_utf8_lossy(&promoted.stdout).contains("0123456789"));
    let refused = admin_create_local(&data_dir, "0923456789", "staff");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Préfixe invalide"));

    let data_arg = data_dir.to_str().unwrap();
    let first = start(&["--data-dir", data_arg]);
    assert!(first.output.iter().any(|l| l.contains("Demo data created")));
    let promoted = json!({"phoneNumber": "0123456789", "password": PASSWORD});
    assert_eq!(
        login_with(&first.base, promoted).await["user"]["role"],
        "staff"
    );
    // Staff without a password is refused, and nothing is written.
    let bare = Command::new(env!("CARGO_BIN_EXE_local-api"))
        .args([
            "admin",
            "create",
            "--product",
            "kbine",
            "--phone",
            "0123456780",
        ])
        .args(["--role", "staff", "--data-dir"])
        .arg(&data_dir)
        .output()
        .unwrap();
    assert!(!bare.status.success());
    assert!(String::from_utf8_lossy(&bare.stderr).contains("Mot de passe requis"));
    let absent = json!({"phoneNumber": "0123456780"});
    assert_eq!(
        login_with(&first.base, absent).await["user"]["role"],
        "client"
    );
    let admin = login_with(&first.base, demo_admin_login(&first)).await;
    let token = admin["token"].as_str().unwrap().to_string();
    let created = reqwest::Client::new()
        .post(format!("{}/api/operators", first.base))
        .bearer_auth(&token)
        .json(&json!({"name": "Telecel", "code": "TELECEL", "prefixes": ["09"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    drop(first);
    // An operator demotes the demo staff account: a restart must not seed it back.
    let demoted = admin_create_local(&data_dir, "0500000000", "client");
    assert!(demoted.status.success(), "{demoted:?}");
    // The store holds accounts: only its owner may read it (its WAL follows the file).
    for file in ["kbine.sqlite3", "kbine.sqlite3-wal"] {
        let path = data_dir.join(file);
        if path.exists() {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }
    assert!(data_dir.join("kbine.sqlite3").exists());

    let second = start(&["--data-dir", data_arg]);
    assert!(
        !second
            .output
            .iter()
            .any(|l| l.contains("Demo data created")),
        "seeded once"
    );
    assert_eq!(
        login(&second.base, "0500000000").await["user"]["role"],
        "client",
        "the operator's change survives the demo seeding"
    );
    let operators: Value = get_json(&format!("{}/api/operators", second.base)).await;
    assert_eq!(operators.as_array().unwrap().len(), 4, "kept between runs");
    // The local secrets persist too: a token from the first run still works.
    let profile = reqwest::Client::new()
        .get(format!("{}/api/users/profile", second.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(profile.status(), 200);
}

/// Production bootstrap: the admin command writes to a real DynamoDB table named by
/// `TABLE_NAME`, with the usual AWS environment (here DynamoDB Local). Built with the admin
/// command's DynamoDB adapter (`--features dynamodb`, which the test command turns on).
#[cfg(feature = "dynamodb")]
#[tokio::test]
async fn admin_command_promotes_a_user_in_a_dynamodb_table() {
    let endpoint = std::env::var("TEST_DYNAMODB_ENDPOINT").expect(
        "TEST_DYNAMODB_ENDPOINT is not set: run the tests with scripts/test.sh, \
         which starts DynamoDB Local",
    );
    let table = format!("kbine-admin-{}", uuid::Uuid::new_v4().simple());
    let store = store::dynamodb::DynamoStore::local(&endpoint, table.clone());
    store.create_table_if_missing().await.unwrap();
    let run = |phone: &str, role: &str| {
        run_with_password(
            admin_create(phone, role)
                .args(["--store", "dynamodb"])
                .env("TABLE_NAME", &table)
                .env("AWS_ENDPOINT_URL_DYNAMODB", &endpoint)
                .env("AWS_REGION", "us-east-1")
                .env("AWS_ACCESS_KEY_ID", "test")
                .env("AWS_SECRET_ACCESS_KEY", "test"),
        )
    };
    let created = run("0700000000", "client");
    assert!(created.status.success(), "{created:?}");
    let promoted = run("07 00 00 00 00", "admin");
    assert!(promoted.status.success(), "{promoted:?}");
    let store: store::DynStore = std::sync::Arc::new(store);
    let phone = kbine::phone::PhoneNumber::parse("0700000000").unwrap();
    let user = kbine::users::find_by_phone(&store, &phone)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, "admin");
    assert_eq!(user.id, 1, "promoted, not created twice");
}

#[test]
fn admin_create_help_prints_the_usage() {
    let help = Command::new(env!("CARGO_BIN_EXE_local-api"))
        .args(["admin", "create", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success(), "{help:?}");
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("local-api admin create --product NAME"),
        "{text}"
    );
}

/// `local-api admin deactivate` shuts an account out; `admin reactivate` lets it back in.
#[tokio::test]
async fn the_admin_command_shuts_an_account_out_and_back_in() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let made = admin_create_local(&data_dir, "0123456789", "staff");
    assert!(made.status.success(), "{made:?}");
    let set_active = |action: &str| {
        Command::new(env!("CARGO_BIN_EXE_local-api"))
            .args([
                "admin",
                action,
                "--product",
                "kbine",
                "--phone",
                "0123456789",
            ])
            .arg("--data-dir")
            .arg(&data_dir)
            .output()
            .unwrap()
    };
    let shut = set_active("deactivate");
    assert!(shut.status.success(), "{shut:?}");
    assert!(String::from_utf8_lossy(&shut.stdout).contains("shut out"));

    let data_arg = data_dir.to_str().unwrap().to_owned();
    let login = json!({"phoneNumber": "0123456789", "password": PASSWORD});
    {
        let server = start(&["--data-dir", &data_arg]);
        let refused = reqwest::Client::new()
            .post(format!("{}/api/auth/login", server.base))
            .json(&login)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"], "Compte désactivé");
    }
    let back = set_active("reactivate");
    assert!(back.status.success(), "{back:?}");
    let server = start(&["--data-dir", &data_arg]);
    assert_eq!(
        login_with(&server.base, login).await["user"]["role"],
        "staff"
    );
}
