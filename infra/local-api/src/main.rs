//! `local-api`: every registered product's API on this machine, each on its own port, on the
//! embedded store with demo data. `local-api admin create ...` creates or promotes a user of
//! any product, and `admin deactivate`/`reactivate` shut one out or let it back in, on the
//! embedded store or on a real DynamoDB table (production bootstrap).

mod cli;
mod harness;
mod live;
mod secrets;

use cli::{Admin, AdminAction, Command, JobRequest, ServeOptions, StoreChoice};
use secrets::LocalSecrets;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use store::DynStore;
use store::embedded::EmbeddedStore;
use web::config::Env;
use web::product::{Deps, Product};

/// Where the local server serves each product's OpenAPI document and docs page.
const OPENAPI_PATH: &str = "/api/openapi.json";
/// Where it lists the messages (SMS, emails) each product sent, newest last: nothing leaves
/// a laptop.
const OUTBOX_PATH: &str = "/_local/outbox";
/// Where it serves the signed links to each product's files.
const FILES_PATH: &str = "/files";

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    let command = match cli::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("{message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help => {
            println!("{}", cli::USAGE);
            Ok(())
        }
        Command::Serve(options) => serve(options).await,
        Command::Admin(request) => admin(request).await,
        Command::Job(request) => job(request).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("local-api: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open_embedded(data_dir: &Path, product: &str) -> Result<DynStore, Failure> {
    let store = EmbeddedStore::open(&data_dir.join(format!("{product}.sqlite3")))?;
    Ok(Arc::new(store))
}

async fn serve(options: ServeOptions) -> Result<(), Failure> {
    web::layers::init_tracing();
    // A throw-away store lives in a temporary folder removed at exit.
    let scratch = if options.ephemeral {
        Some(tempfile_dir()?)
    } else {
        None
    };
    let data_dir = match &scratch {
        Some(dir) => dir.clone(),
        None => options.data_dir.clone(),
    };
    blobs::folder::private_dir(&data_dir)?;
    println!(
        "Data folder: {}{}",
        data_dir.display(),
        if options.ephemeral {
            " (throw-away)"
        } else {
            ""
        }
    );
    let mut secrets = LocalSecrets::load(&data_dir);
    let (stop, _) = tokio::sync::broadcast::channel::<()>(1);
    let mut servers = tokio::task::JoinSet::new();
    for product in products::ALL.iter().copied() {
        let started = start(product, &options, &data_dir, &mut secrets).await?;
        let mut stopped = stop.subscribe();
        servers.spawn(web::local::serve(
            started.listener,
            started.router,
            started.guard,
            async move {
                let _ = stopped.recv().await;
            },
        ));
        if let Some((live, endpoint)) = started.live {
            let mut stopped = stop.subscribe();
            servers.spawn(live.serve(endpoint, async move {
                let _ = stopped.recv().await;
            }));
        }
    }
    secrets.save()?;
    // The last line of the banner: every product is listening.
    println!("Ready: {}", products::names());
    tokio::select! {
        () = shutdown_signal() => {}
        Some(ended) = servers.join_next() => {
            ended??;
        }
    }
    let _ = stop.send(());
    while let Some(ended) = servers.join_next().await {
        ended??;
    }
    if let Some(dir) = scratch {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

/// A product ready to serve: its API, and its WebSocket API if it has one.
struct Started {
    listener: tokio::net::TcpListener,
    router: axum::Router,
    guard: web::local::Guard,
    live: Option<(live::LiveServer, web::live::DynEndpoint)>,
}

/// Binds `product`'s ports, prepares its store, files and demo data, prints its lines.
async fn start(
    product: &'static dyn Product,
    options: &ServeOptions,
    data_dir: &Path,
    secrets: &mut LocalSecrets,
) -> Result<Started, Failure> {
    let name = product.name();
    let title = product.title();
    let mut env = Env::local(product.env_prefix());
    if options.no_rate_limits {
        // The product's test settings say how to lift each of its limits.
        let test_env = product.test_env();
        for (name, value) in test_env
            .given_pairs()
            .filter(|(n, _)| n.contains("RATE_LIMIT"))
        {
            env = env.with(name, value);
        }
    }
    let port = match options.ports.get(name) {
        Some(port) => *port,
        None if options.free_ports => 0,
        None => match env.own_var("PORT") {
            Some(port) => port
                .parse()
                .map_err(|_| format!("{} is not a port number", env.name_of("PORT")))?,
            None => product.default_port(),
        },
    };
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(options.host, port))
        .await
        .map_err(|e| format!("{title}: cannot listen on {}:{port}: {e}", options.host))?;
    let addr = listener.local_addr()?;
    for secret in product.local_secrets().iter().chain(&[FILES_SECRET]) {
        if env.own_var(secret).is_none() {
            let local_name = env.name_of(secret);
            env = env.with(&local_name, secrets.get(&local_name));
        }
    }
    let files = Arc::new(blobs::folder::FolderBlobs::new(
        data_dir.join(format!("{name}-files")),
        &format!("http://{addr}{FILES_PATH}"),
        env.secret(FILES_SECRET, blobs::folder::MIN_SECRET_BYTES)?
            .expose()
            .as_bytes(),
    )?);
    // Messages a product sends are printed, and listed at OUTBOX_PATH.
    let outbox = messaging::Outbox::printing(title);
    let live = live::bind(product, options).await?;
    let deps = Deps {
        store: open_embedded(data_dir, name)?,
        blobs: files.clone(),
        sms: outbox.clone(),
        mail: outbox.clone(),
        live: live.as_ref().map(|live| live.local.gateway.clone()),
    };
    let seeded = product.seed_demo(&deps, &env).await?;
    let callers = options
        .harness_callers
        .then(|| harness::router(product, deps.clone(), env.clone()));
    let live = match (live, product.live_endpoint(&deps, &env)?) {
        (Some(live), Some(endpoint)) => Some((live, endpoint)),
        _ => None,
    };
    let mut router = product
        .app(deps, &env)?
        .merge(api_docs::router(
            OPENAPI_PATH,
            product.openapi_json(),
            &format!("{title} API"),
        ))
        .merge(files.router())
        .route(
            OUTBOX_PATH,
            axum::routing::get(move || {
                let outbox = outbox.clone();
                async move { axum::Json(outbox.listing()) }
            }),
        );
    if let Some(callers) = callers {
        router = router.merge(callers);
    }
    println!("{title} API: http://{addr}/api");
    println!("{title} docs: http://{addr}/docs");
    // One `<Product> OpenAPI: URL` line per product: scripts/fuzz-openapi.sh finds every
    // product's document (and its base URL) from these lines.
    println!("{title} OpenAPI: http://{addr}{OPENAPI_PATH}");
    println!("{title} outbox: http://{addr}{OUTBOX_PATH}");
    if let Some((live, _)) = &live {
        println!("{}", live.banner(title)?);
    }
    if let Some(login) = product.demo_login(&env) {
        // The demo admin's login request, as one line a script can replay.
        println!(
            "{title} admin login: {} http://{addr}{} {}",
            login.method, login.path, login.body
        );
    }
    if let Some(login) = product.demo_user_login(&env) {
        println!(
            "{title} demo login: {} http://{addr}{} {}",
            login.method, login.path, login.body
        );
    }
    if options.harness_callers {
        // One line per role: scripts/fuzz-openapi.sh signs in each role it needs with it.
        for role in product.roles() {
            let path = harness::callers_path(role);
            println!("{title} caller login ({role}): POST http://{addr}{path} {{}}");
        }
    }
    for line in seeded {
        println!("{line}");
    }
    let hosts = env.string_or("LOCAL_ALLOWED_HOSTS", "");
    let guard = web::local::Guard {
        hosts: hosts
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_owned)
            .collect(),
        ..web::local::Guard::loopback(product.error_style())
    };
    Ok(Started {
        listener,
        router,
        guard,
        live,
    })
}

/// The key that signs links to a product's files (its own, per product).
const FILES_SECRET: &str = "FILES_SIGNING_SECRET";

fn tempfile_dir() -> Result<std::path::PathBuf, Failure> {
    let dir = std::env::temp_dir().join(format!("local-api-{}", uuid::Uuid::new_v4().simple()));
    blobs::folder::private_dir(&dir)?;
    Ok(dir)
}

/// Ctrl-C or SIGTERM stops the server gracefully (so a throw-away store is removed).
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

fn product_named(name: &str) -> Result<&'static dyn web::product::Product, Failure> {
    Ok(products::named(name)
        .ok_or_else(|| format!("unknown product {name}; known: {}", products::names()))?)
}

/// Runs a product's scheduled job once on the store chosen.
async fn job(request: JobRequest) -> Result<(), Failure> {
    let product = product_named(&request.product)?;
    let store = open_store(&request.store, product.name()).await?;
    let env = Env::local(product.env_prefix());
    // The product's files, where the local server keeps them (a deployed table's are in its
    // bucket, which its own scheduled function reaches).
    let blobs: blobs::DynBlobs = match &request.store {
        StoreChoice::Embedded(data_dir) => {
            let mut secrets = LocalSecrets::load(data_dir);
            let secret = env
                .own_var(FILES_SECRET)
                .unwrap_or_else(|| secrets.get(&env.name_of(FILES_SECRET)));
            Arc::new(blobs::folder::FolderBlobs::new(
                data_dir.join(format!("{}-files", product.name())),
                &format!("http://127.0.0.1{FILES_PATH}"),
                secret.as_bytes(),
            )?)
        }
        StoreChoice::DynamoDb => Arc::new(blobs::NoBlobs),
    };
    let outbox = messaging::Outbox::printing(product.title());
    let deps = Deps {
        store,
        blobs,
        sms: outbox.clone(),
        mail: outbox,
        live: None,
    };
    println!("{}", product.run_job(&deps, &env, &request.name).await?);
    Ok(())
}

/// The store an operator's command writes to: the local one, or the deployed table.
async fn open_store(choice: &StoreChoice, product: &str) -> Result<DynStore, Failure> {
    Ok(match choice {
        StoreChoice::Embedded(data_dir) => {
            blobs::folder::private_dir(data_dir)?;
            open_embedded(data_dir, product)?
        }
        #[cfg(feature = "dynamodb")]
        StoreChoice::DynamoDb => {
            let table = Env::lambda().required("TABLE_NAME")?;
            Arc::new(store::dynamodb::DynamoStore::from_provider_chain(table).await)
        }
        #[cfg(not(feature = "dynamodb"))]
        StoreChoice::DynamoDb => {
            return Err("this build has no DynamoDB adapter: run it with \
                `cargo run -p local-api --features dynamodb -- admin create ...`"
                .into());
        }
    })
}

async fn admin(request: Admin) -> Result<(), Failure> {
    let product = product_named(&request.product)?;
    let store = open_store(&request.store, product.name()).await?;
    let done = match request.action {
        AdminAction::Create {
            role,
            password_stdin,
        } => {
            let password = if password_stdin {
                Some(password_from_stdin()?)
            } else {
                None
            };
            product
                .admin_create(&store, &request.login, &role, password.as_deref())
                .await?
        }
        AdminAction::SetActive(active) => {
            let account = product.set_active(&store, &request.login, active).await?;
            let state = if active { "active" } else { "shut out" };
            format!("{account} is {state}")
        }
    };
    println!("{done}");
    Ok(())
}

/// The first line of standard input, without its line ending.
fn password_from_stdin() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err("--password-stdin: standard input held no password".into());
    }
    Ok(password)
}
