//! A product's WebSocket API on this machine: the local gateway (`web::live::local`), on a
//! port of its own as each WebSocket API has its own URL in AWS, running the product's
//! endpoint, with its heartbeat on the schedule the function has in AWS.

use crate::Failure;
use crate::cli::ServeOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use web::live::{DynEndpoint, DynGateway, ManagementApi};
use web::product::{LiveApi, Product};

/// The heartbeat's schedule in AWS (`rate(1 minute)`).
const HEARTBEAT: Duration = Duration::from_secs(60);

/// A bound WebSocket API, whose management API the product's handlers post to.
pub struct LiveServer {
    listener: tokio::net::TcpListener,
    api: LiveApi,
    pub gateway: DynGateway,
}

/// Binds `product`'s WebSocket API, if it has one: on its own default port, or on a free
/// one with `--free-ports` or when the product's API was given port 0.
pub async fn bind(
    product: &dyn Product,
    options: &ServeOptions,
) -> Result<Option<LiveServer>, Failure> {
    let Some(api) = product.live_api() else {
        return Ok(None);
    };
    let free = options.free_ports || options.ports.get(product.name()) == Some(&0);
    let port = if free { 0 } else { api.default_port };
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(options.host, port))
        .await
        .map_err(|e| {
            format!(
                "{} WebSocket: cannot listen on {}:{port}: {e}",
                product.title(),
                options.host
            )
        })?;
    let addr = listener.local_addr()?;
    let gateway = Arc::new(ManagementApi::local(&format!("http://{addr}")));
    Ok(Some(LiveServer {
        listener,
        api,
        gateway,
    }))
}

impl LiveServer {
    /// The line clients connect from: `<Product> WebSocket: ws://HOST:PORT path=PATH`.
    pub fn banner(&self, title: &str) -> Result<String, Failure> {
        let addr = self.listener.local_addr()?;
        Ok(format!(
            "{title} WebSocket: ws://{addr} path={}",
            self.api.path
        ))
    }

    /// Serves `endpoint` until `stop`.
    pub async fn serve(
        self,
        endpoint: DynEndpoint,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let router = web::live::local::router(self.api.path, endpoint.clone(), Default::default());
        let heartbeat = tokio::spawn(web::live::local::heartbeat_every(endpoint, HEARTBEAT));
        let served = axum::serve(self.listener, router)
            .with_graceful_shutdown(stop)
            .await;
        heartbeat.abort();
        served
    }
}
