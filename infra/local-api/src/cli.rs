//! Command-line parsing, by hand: two commands and a few flags.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

pub const USAGE: &str = "\
usage:
  local-api [serve] [--data-dir DIR] [--ephemeral] [--host IP] [--free-ports] [--no-rate-limits]
            [--harness-callers] [--<product>-port PORT]...
      Serves every product on the embedded store, each on its own port, with demo data.
      --data-dir         where data is kept between runs (default .local-data, or LOCAL_DATA_DIR)
      --ephemeral        a throw-away store, removed at exit
      --host             address to listen on (default 127.0.0.1)
      --free-ports       every product on a free port (scripts read them from the output)
      --no-rate-limits   every rate limit raised out of the way, as in tests (for fuzzing;
                         never on a server others can reach)
      --harness-callers  POST /_harness/callers/ROLE on each product's port signs in a new
                         caller of that role, for fuzzing every role's routes (it gives
                         tokens to anyone: never on a server others can reach)
      --<product>-port   a product's port (--kbine-port 3000, --lumira-port 3001, or
                         KBINE_PORT, LUMIRA_PORT...; 0 picks a free one)
  local-api admin create --product NAME (--phone PHONE | --email EMAIL) --role ROLE
                         [--password-stdin] [--store embedded|dynamodb] [--data-dir DIR]
      Creates the user or changes its role (Kbine: --phone, roles client|staff|admin;
      Lumira: --email, \"Name <email>\" to name it, roles expert|admin). A staff, expert
      or admin account logs in with a password: --password-stdin
      reads it from the first line of standard input (12 characters at least), never from
      the command line. With --store dynamodb (a build with --features dynamodb) it
      writes to the table TABLE_NAME with the usual AWS environment (AWS_REGION,
      credentials, AWS_ENDPOINT_URL_DYNAMODB). A new role or password ends every session
      of the account.
  local-api admin deactivate --product NAME (--phone PHONE | --email EMAIL) [--store ...]
  local-api admin reactivate --product NAME (--phone PHONE | --email EMAIL) [--store ...]
      Shuts an account out (it cannot sign in, and every session of it ends at once: its
      tokens answer 401), or lets it back in.
  local-api job --product NAME --name JOB [--store embedded|dynamodb] [--data-dir DIR]
      Runs a product's scheduled job once, as its schedule would (the marketplace's
      expire_featuring, nightly at 00:30 in Douala, ends the featurings and boosts that are
      over). --store as for admin.";

#[derive(Debug, PartialEq)]
pub enum Command {
    Help,
    Serve(ServeOptions),
    Admin(Admin),
    Job(JobRequest),
}

/// A scheduled job to run once.
#[derive(Debug, PartialEq)]
pub struct JobRequest {
    pub product: String,
    pub name: String,
    pub store: StoreChoice,
}

#[derive(Debug, PartialEq)]
pub struct ServeOptions {
    pub data_dir: PathBuf,
    pub ephemeral: bool,
    pub host: IpAddr,
    /// Ports given with `--<product>-port`, by product name.
    pub ports: BTreeMap<String, u16>,
    /// Products without a port of their own listen on a free one.
    pub free_ports: bool,
    /// Every rate limit raised out of the way, to the product's test settings (fuzzing).
    pub no_rate_limits: bool,
    /// Serves the route that signs in a caller of any role (`harness.rs`), for fuzzing.
    pub harness_callers: bool,
}

#[derive(Debug, PartialEq)]
pub enum StoreChoice {
    Embedded(PathBuf),
    DynamoDb,
}

/// An operator's change to one account.
#[derive(Debug, PartialEq)]
pub struct Admin {
    pub product: String,
    /// The account: a phone number or an email, as the product keys its accounts.
    pub login: String,
    pub action: AdminAction,
    pub store: StoreChoice,
}

#[derive(Debug, PartialEq)]
pub enum AdminAction {
    /// Creates the account or gives it `role`.
    Create {
        role: String,
        /// Whether the account's new password comes on standard input.
        password_stdin: bool,
    },
    /// Shuts the account out (`false`) or lets it back in (`true`).
    SetActive(bool),
}

fn default_data_dir() -> PathBuf {
    PathBuf::from(web::config::Env::lambda().string_or("LOCAL_DATA_DIR", ".local-data"))
}

pub fn parse(args: impl Iterator<Item = String>) -> Result<Command, String> {
    let args: Vec<String> = args.collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        return Ok(Command::Help);
    }
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("admin") => match args.get(1).map(String::as_str) {
            Some(action @ ("create" | "deactivate" | "reactivate")) => {
                parse_admin(action, &args[2..]).map(Command::Admin)
            }
            _ => Err("expected `admin create`, `admin deactivate` or `admin reactivate`".into()),
        },
        Some("serve") => parse_serve(&args[1..]).map(Command::Serve),
        Some("job") => parse_job(&args[1..]).map(Command::Job),
        _ => parse_serve(&args).map(Command::Serve),
    }
}

fn value<'a>(args: &'a [String], i: usize, flag: &str) -> Result<&'a str, String> {
    args.get(i + 1)
        .map(String::as_str)
        .ok_or_else(|| format!("{flag} needs a value"))
}

fn parse_serve(args: &[String]) -> Result<ServeOptions, String> {
    let mut options = ServeOptions {
        data_dir: default_data_dir(),
        ephemeral: false,
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        ports: BTreeMap::new(),
        free_ports: false,
        no_rate_limits: false,
        harness_callers: false,
    };
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--ephemeral" => {
                options.ephemeral = true;
                i += 1;
                continue;
            }
            "--free-ports" => {
                options.free_ports = true;
                i += 1;
                continue;
            }
            "--no-rate-limits" => {
                options.no_rate_limits = true;
                i += 1;
                continue;
            }
            "--harness-callers" => {
                options.harness_callers = true;
                i += 1;
                continue;
            }
            "--data-dir" => options.data_dir = PathBuf::from(value(args, i, "--data-dir")?),
            "--host" => {
                options.host = value(args, i, "--host")?
                    .parse()
                    .map_err(|_| "--host needs an IP address".to_string())?;
            }
            flag if flag.starts_with("--") && flag.ends_with("-port") => {
                let product = &flag[2..flag.len() - "-port".len()];
                if products::named(product).is_none() {
                    return Err(format!(
                        "unknown argument {flag} (products: {})",
                        products::names()
                    ));
                }
                let port = value(args, i, flag)?
                    .parse()
                    .map_err(|_| format!("{flag} needs a port number"))?;
                options.ports.insert(product.to_string(), port);
            }
            other => return Err(format!("unknown argument {other}")),
        }
        i += 2;
    }
    Ok(options)
}

fn store_choice(store: Option<&str>, data_dir: PathBuf) -> Result<StoreChoice, String> {
    match store {
        None | Some("embedded") => Ok(StoreChoice::Embedded(data_dir)),
        Some("dynamodb") => Ok(StoreChoice::DynamoDb),
        Some(other) => Err(format!("unknown store {other}: embedded or dynamodb")),
    }
}

fn parse_job(args: &[String]) -> Result<JobRequest, String> {
    let (mut product, mut name, mut store) = (None, None, None);
    let mut data_dir = default_data_dir();
    for pair in args.chunks(2) {
        let flag = pair[0].as_str();
        let v = value(pair, 0, flag)?.to_string();
        match flag {
            "--product" => product = Some(v),
            "--name" => name = Some(v),
            "--store" => store = Some(v),
            "--data-dir" => data_dir = PathBuf::from(v),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(JobRequest {
        product: product.ok_or("--product is required")?,
        name: name.ok_or("--name is required")?,
        store: store_choice(store.as_deref(), data_dir)?,
    })
}

fn parse_admin(action: &str, args: &[String]) -> Result<Admin, String> {
    let (mut product, mut login, mut role) = (None, None, None);
    let mut store = None;
    let mut data_dir = default_data_dir();
    let mut password_stdin = false;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--password-stdin" {
            password_stdin = true;
            i += 1;
            continue;
        }
        let v = value(args, i, &args[i])?.to_string();
        match args[i].as_str() {
            "--product" => product = Some(v),
            "--phone" | "--email" | "--login" => login = Some(v),
            "--role" => role = Some(v),
            "--store" => store = Some(v),
            "--data-dir" => data_dir = PathBuf::from(v),
            other => return Err(format!("unknown argument {other}")),
        }
        i += 2;
    }
    let store = store_choice(store.as_deref(), data_dir)?;
    let action = match action {
        "create" => AdminAction::Create {
            role: role.ok_or("--role is required")?,
            password_stdin,
        },
        _ if role.is_some() || password_stdin => {
            return Err(format!(
                "admin {action} takes no --role or --password-stdin"
            ));
        }
        "deactivate" => AdminAction::SetActive(false),
        _ => AdminAction::SetActive(true),
    };
    Ok(Admin {
        product: product.ok_or("--product is required")?,
        login: login.ok_or("--phone or --email is required")?,
        action,
        store,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> impl Iterator<Item = String> {
        line.split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn parses_a_job_to_run_once() {
        assert_eq!(
            parse(args(
                "job --product marketplace --name expire_featuring --store dynamodb"
            )),
            Ok(Command::Job(JobRequest {
                product: "marketplace".into(),
                name: "expire_featuring".into(),
                store: StoreChoice::DynamoDb,
            }))
        );
        assert!(parse(args("job --product marketplace")).is_err());
        assert!(parse(args("job --product marketplace --name")).is_err());
    }

    #[test]
    fn parses_serve_flags() {
        let Command::Serve(options) =
            parse(args("--ephemeral --kbine-port 0 --data-dir /tmp/x")).unwrap()
        else {
            panic!("not serve");
        };
        assert!(options.ephemeral);
        assert_eq!(options.ports.get("kbine"), Some(&0));
        assert_eq!(options.data_dir, PathBuf::from("/tmp/x"));
        assert!(!options.free_ports && !options.no_rate_limits && !options.harness_callers);
        let Command::Serve(options) = parse(args(
            "serve --free-ports --no-rate-limits --harness-callers",
        ))
        .unwrap() else {
            panic!("not serve");
        };
        assert!(options.free_ports && options.ports.is_empty() && options.no_rate_limits);
        assert!(options.harness_callers);
        assert!(parse(args("--kbine-port nope")).is_err());
        assert!(parse(args("--nobody-port 1")).is_err());
        assert!(parse(args("--bogus")).is_err());
    }

    #[test]
    fn parses_deactivate_and_reactivate() {
        let Command::Admin(admin) = parse(args(
            "admin deactivate --product lumira --email a@b.co --data-dir /tmp/d",
        ))
        .unwrap() else {
            panic!("not admin");
        };
        assert_eq!(admin.action, AdminAction::SetActive(false));
        assert_eq!(admin.login, "a@b.co");
        assert_eq!(admin.store, StoreChoice::Embedded(PathBuf::from("/tmp/d")));
        let Command::Admin(admin) =
            parse(args("admin reactivate --product kbine --phone 0700000000")).unwrap()
        else {
            panic!("not admin");
        };
        assert_eq!(admin.action, AdminAction::SetActive(true));
        assert!(
            parse(args(
                "admin deactivate --product kbine --phone 07 --role admin"
            ))
            .is_err()
        );
        assert!(parse(args("admin deactivate --phone 0700000000")).is_err());
        assert!(parse(args("admin delete --product kbine --phone 0700000000")).is_err());
    }

    #[test]
    fn parses_admin_create() {
        let command = parse(args(
            "admin create --product kbine --phone 0700000000 --role admin --password-stdin --store dynamodb",
        ))
        .unwrap();
        assert_eq!(
            command,
            Command::Admin(Admin {
                product: "kbine".into(),
                login: "0700000000".into(),
                action: AdminAction::Create {
                    role: "admin".into(),
                    password_stdin: true,
                },
                store: StoreChoice::DynamoDb,
            })
        );
        assert!(parse(args("admin create --product kbine --role admin")).is_err());
        assert!(
            parse(args(
                "admin create --product kbine --phone 1 --role admin --store mysql"
            ))
            .is_err()
        );
    }
}
