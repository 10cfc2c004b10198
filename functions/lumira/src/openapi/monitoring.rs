//! The monitoring routes' answers (`/api/health`, `/api/ready`), as the document names them:
//! built as JSON values by `crate::health`, described here.
#![allow(dead_code)] // described, never built

use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

#[derive(utoipa::ToSchema)]
pub enum Healthy {
    #[schema(rename = "healthy")]
    Healthy,
}

#[derive(utoipa::ToSchema)]
pub enum Connected {
    #[schema(rename = "connected")]
    Connected,
}

#[derive(utoipa::ToSchema)]
pub enum StripeSetting {
    #[schema(rename = "configured")]
    Configured,
    #[schema(rename = "not_configured")]
    NotConfigured,
}

#[derive(utoipa::ToSchema)]
pub struct HealthServices {
    #[schema(inline)]
    database: Connected,
    #[schema(inline, nullable = false)]
    storage: Option<Connected>,
    #[schema(inline)]
    stripe: StripeSetting,
}

#[derive(utoipa::ToSchema)]
pub struct Health {
    #[schema(inline)]
    status: Healthy,
    #[schema(format = DateTime)]
    timestamp: String,
    /// Seconds since this instance started.
    #[schema(minimum = 0)]
    uptime: i64,
    version: String,
    #[schema(example = json!("production"))]
    environment: String,
    #[schema(inline)]
    services: HealthServices,
    memory: MemoryFigures,
}

#[derive(utoipa::ToSchema)]
pub struct MemoryFigures {
    /// MiB in use.
    #[schema(minimum = 0)]
    used: i64,
    /// MiB available.
    #[schema(minimum = 0)]
    total: i64,
    #[schema(minimum = 0, maximum = 100)]
    percentage: i64,
}

#[derive(utoipa::ToSchema)]
pub enum UnhealthyValue {
    #[schema(rename = "unhealthy")]
    Unhealthy,
}

#[derive(utoipa::ToSchema)]
pub struct Unhealthy {
    #[schema(inline)]
    status: UnhealthyValue,
    #[schema(format = DateTime)]
    timestamp: String,
    #[schema(example = json!("Health check failed"))]
    error: String,
    #[schema(example = json!("Database connection failed"))]
    details: String,
}

#[derive(utoipa::ToSchema)]
pub struct ServiceCheck {
    connected: bool,
    /// Milliseconds.
    #[schema(rename = "responseTime", minimum = 0)]
    response_time: i64,
}

#[derive(utoipa::ToSchema)]
pub struct ReadyServicesStripe {
    initialized: bool,
    #[schema(rename = "responseTime", minimum = 0)]
    response_time: i64,
}

#[derive(utoipa::ToSchema)]
pub enum MemoryLevel {
    #[schema(rename = "ok")]
    Ok,
    #[schema(rename = "high")]
    High,
}

#[derive(utoipa::ToSchema)]
pub struct ReadyServicesMemory {
    #[schema(inline)]
    status: MemoryLevel,
    #[schema(minimum = 0)]
    used: i64,
    #[schema(minimum = 0)]
    free: i64,
    #[schema(minimum = 0, maximum = 100)]
    percentage: i64,
}

#[derive(utoipa::ToSchema)]
pub struct ReadyServices {
    mongodb: ServiceCheck,
    #[schema(nullable = false)]
    storage: Option<ServiceCheck>,
    #[schema(inline)]
    stripe: ReadyServicesStripe,
    #[schema(inline)]
    memory: ReadyServicesMemory,
    #[schema(minimum = 0)]
    uptime: i64,
}

#[derive(utoipa::ToSchema)]
pub struct Ready {
    #[schema(schema_with = is_ready)]
    ready: bool,
    #[schema(format = DateTime)]
    timestamp: String,
    services: ReadyServices,
    version: String,
    environment: String,
}

#[derive(utoipa::ToSchema)]
pub struct NotReady {
    #[schema(schema_with = is_not_ready)]
    ready: bool,
    #[schema(format = DateTime)]
    timestamp: String,
    #[schema(example = json!("Service not ready"))]
    error: String,
    #[schema(example = json!("Database connection failed"))]
    details: String,
    services: ReadyServices,
    #[schema(nullable = false)]
    version: Option<String>,
    #[schema(nullable = false)]
    environment: Option<String>,
}

// `ready` says which answer it is.
fn is_ready() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([true]))
        .build()
}

fn is_not_ready() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([false]))
        .build()
}
