//! The benchmark harnesses. Each discovers what it measures: the functions from
//! `template.yaml`, the routes from each product's route table (`web::routes`), so a product
//! that lands later is measured with no new harness code, only its entry in [`products`].

pub mod browser_peer;
pub mod cli;
pub mod coldstart;
pub mod coldstart_report;
pub mod limits;
pub mod load;
pub mod products;
pub mod report;
pub mod runtime_api;
pub mod samples;
pub mod stats;
pub mod store_calls;
pub mod template;

/// The workspace root (the harness runs from anywhere in it).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default()
}

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;
