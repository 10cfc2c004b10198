//! `local-api`: every product's API on this machine, on the embedded store, with demo data.
//! `local-api admin create ...` creates or promotes a user, on the embedded store or on a
//! real DynamoDB table (production bootstrap).

mod cli;
mod secrets;

use cli::{AdminCreate, Command, ServeOptions, StoreChoice};
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use store::DynStore;
use store::dynamodb::DynamoStore;
use store::embedded::EmbeddedStore;

/// The demo staff accounts, printed at every start.
const DEMO_ADMIN_PHONE: &str = "0700000000";
const DEMO_STAFF_PHONE: &str = "0500000000";
/// Where the local server serves Kbine's OpenAPI document.
const KBINE_OPENAPI_PATH: &str = "/api/openapi.json";

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
        Command::AdminCreate(request) => admin_create(request).await,
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
    std::fs::create_dir_all(&data_dir)?;
    let secrets = secrets::load_or_create(&data_dir)?;

    let kbine_store = open_embedded(&data_dir, "kbine")?;
    let seeded = kbine::seed::demo_catalogue(&kbine_store).await?;
    for (phone, role) in [(DEMO_ADMIN_PHONE, "admin"), (DEMO_STAFF_PHONE, "staff")] {
        let phone = kbine::phone::PhoneNumber::parse(phone)?;
        kbine::users::ensure_user(&kbine_store, &phone, role).await?;
    }
    let config =
        kbine::KbineConfig::from_env_or_local(secrets.kbine_access, secrets.kbine_refresh)?;
    let state = kbine::AppState::new(kbine_store, config);
    let router = kbine::app(state, kbine::routes()).merge(api_docs::router(
        KBINE_OPENAPI_PATH,
        kbine::openapi::OPENAPI_JSON,
        "Kbine API",
    ));

    let listener =
        tokio::net::TcpListener::bind(SocketAddr::new(options.host, options.kbine_port)).await?;
    let addr = listener.local_addr()?;
    println!(
        "Data folder: {}{}",
        data_dir.display(),
        if options.ephemeral {
            " (throw-away)"
        } else {
            ""
        }
    );
    if seeded {
        println!("Demo data created: 3 operators with their plans.");
    }
    println!("Kbine API:  http://{addr}/api");
    println!("Kbine docs: http://{addr}/docs");
    // One `<Product> OpenAPI: URL` line per product: scripts/fuzz-openapi.sh finds every
    // product's document (and its base URL) from these lines.
    println!("Kbine OpenAPI: http://{addr}{KBINE_OPENAPI_PATH}");
    // The demo admin's login request, as one line a script can replay.
    println!(
        "Kbine admin login: POST http://{addr}/api/auth/login {{\"phoneNumber\":\"{DEMO_ADMIN_PHONE}\"}}"
    );
    println!(
        "Kbine admin phone: {DEMO_ADMIN_PHONE}  staff phone: {DEMO_STAFF_PHONE}  (log in with POST /api/auth/login)"
    );
    web::local::serve(listener, router, shutdown_signal()).await?;
    if let Some(dir) = scratch {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf, Failure> {
    let dir = std::env::temp_dir().join(format!("local-api-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
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

async fn admin_create(request: AdminCreate) -> Result<(), Failure> {
    let store: DynStore = match &request.store {
        StoreChoice::Embedded(data_dir) => open_embedded(data_dir, &request.product)?,
        StoreChoice::DynamoDb => {
            let table = web::config::required("TABLE_NAME")?;
            Arc::new(DynamoStore::from_provider_chain(table).await)
        }
    };
    match request.product.as_str() {
        "kbine" => {
            let phone = kbine::phone::PhoneNumber::parse(&request.phone)?;
            let user = kbine::users::ensure_user(&store, &phone, &request.role).await?;
            println!(
                "kbine user {} ({}) now has role {}",
                user.id, user.phone_number, user.role
            );
            Ok(())
        }
        other => Err(format!("unknown product {other}; known: kbine").into()),
    }
}
