//! A product's WebSocket API on this machine: the local gateway (`web::live::local`), on a
//! port of its own as each WebSocket API has its own URL in AWS, running the product's
//! endpoint, with its heartbeat on the schedule the function has in AWS.

use crate::Failure;
use crate::cli::ServeOptions;
use std::net::SocketAddr;
use std::time::Duration;
use web::live::DynEndpoint;
use web::live::local::LocalApi;
use web::product::{LiveApi, Product};

/// The heartbeat's schedule in AWS (`rate(1 minute)`).
const HEARTBEAT: Duration = Duration::from_secs(60);

/// A bound WebSocket API, whose management API the product's handlers post to.
pub struct LiveServer {
    pub local: LocalApi,
    api: LiveApi,
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
    let local = LocalApi::bind(SocketAddr::new(options.host, port))
        .await
        .map_err(|e| {
            format!(
                "{} WebSocket: cannot listen on {}:{port}: {e}",
                product.title(),
                options.host
            )
        })?;
    Ok(Some(LiveServer { local, api }))
}

impl LiveServer {
    /// The line clients connect from: `<Product> WebSocket: ws://HOST:PORT path=PATH`.
    pub fn banner(&self, title: &str) -> Result<String, Failure> {
        Ok(format!(
            "{title} WebSocket: {} path={}",
            self.local.url()?,
            self.api.path
        ))
    }

    /// Serves `endpoint` until `stop`, with its heartbeat.
    pub async fn serve(
        self,
        endpoint: DynEndpoint,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let heartbeat = tokio::spawn(web::live::local::heartbeat_every(
            endpoint.clone(),
            HEARTBEAT,
        ));
        let served = self.local.serve(self.api.path, endpoint, stop).await;
        heartbeat.abort();
        served
    }
}
