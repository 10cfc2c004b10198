//! The HTTP edge every product's router is served behind: security headers and tracing
//! ([`layers`]), CORS derived from the route table ([`cors`]), rate limits
//! ([`rate_limits`]), and the two ways a router is served: to API Gateway through the
//! Lambda runtime ([`lambda`]) or on a local socket ([`local`]).

pub mod analytics;
pub mod cors;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod layers;
#[cfg(feature = "local-server")]
pub mod local;
pub mod rate_limits;
