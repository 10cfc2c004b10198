//! Security events: every sign-in, admitted or refused, with the caller's address, the email
//! it named, its user agent and a risk level. What the admin's security routes read.
//!
//! Items: an event at `SECURITY#<day>` / `<at>#<id>` (a day's events in time order), listed
//! by account in gsi1 (`SECUSER#<id>`), by type in gsi2 (`SECTYPE#<type>`) and by risk in
//! gsi3 (`SECRISK#<level>`). Each refused sign-in also moves its address's count of the
//! hour (`ipfail#<ip>#<hour>`), which sets the risk of the next ones.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::{DynStore, Index, Key, Placement, TxOp};
use uuid::Uuid;
use web::{ApiResult, counters};

web::choice! {
    // What happened.
    pub enum EventType {
        LoginSuccess = "login_success",
        LoginFailed = "login_failed",
        LoginBlocked = "login_blocked",
    }
}

web::choice! {
    pub enum RiskLevel {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
}

/// Refused sign-ins from one address within an hour from which its next attempts are of
/// medium, then high, risk.
const MEDIUM_FROM: u64 = 3;
const HIGH_FROM: u64 = 10;

/// An event as stored and as the admin reads it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecurityEvent {
    #[schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    pub id: String,
    #[schema(value_type = EventType)]
    pub event_type: String,
    #[schema(example = json!("192.168.1.1"))]
    pub ip_address: String,
    #[schema(example = json!("marie.ndiaye@example.com"))]
    pub email: Option<String>,
    #[schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    pub user_id: Option<String>,
    pub user_agent: Option<String>,
    #[schema(value_type = RiskLevel)]
    pub risk_level: String,
    pub success: bool,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
}

/// A sign-in attempt as the login route saw it.
pub struct Attempt<'a> {
    pub ip: &'a str,
    pub email: &'a str,
    pub user_agent: Option<&'a str>,
    pub at: DateTime<Utc>,
}

fn hour(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H").to_string()
}

fn failures_counter(ip: &str, at: DateTime<Utc>) -> String {
    format!("ipfail#{ip}#{}", hour(at))
}

/// The counter of refused sign-ins of the hour of `at`, over every address.
pub fn hourly_failures(at: DateTime<Utc>) -> String {
    format!("loginfail#{}", hour(at))
}

/// The counter of high-risk events of the hour of `at`.
pub fn hourly_high_risk(at: DateTime<Utc>) -> String {
    format!("highrisk#{}", hour(at))
}

/// How risky an attempt from `ip` is, from its refused sign-ins of the hour.
pub async fn risk_of(store: &DynStore, ip: &str, at: DateTime<Utc>) -> ApiResult<RiskLevel> {
    let failures = counters::total(store, failures_counter(ip, at)).await?;
    Ok(match failures {
        n if n >= HIGH_FROM => RiskLevel::High,
        n if n >= MEDIUM_FROM => RiskLevel::Medium,
        _ => RiskLevel::Low,
    })
}

impl Attempt<'_> {
    /// The writes recording this attempt as `kind` at `risk`, of the account `user_id` when
    /// one was named: the event, and for a refusal its address's and the hour's counts.
    pub fn record(
        &self,
        kind: EventType,
        risk: RiskLevel,
        user_id: Option<&str>,
    ) -> ApiResult<Vec<(&'static str, TxOp)>> {
        let success = kind == EventType::LoginSuccess;
        let event = SecurityEvent {
            id: Uuid::new_v4().to_string(),
            event_type: kind.as_str().to_owned(),
            ip_address: self.ip.to_owned(),
            email: Some(self.email.to_owned()),
            user_id: user_id.map(str::to_owned),
            user_agent: self
                .user_agent
                .map(|agent| agent.chars().take(512).collect()),
            risk_level: risk.as_str().to_owned(),
            success,
            created_at: web::time::format(self.at),
        };
        let item = placement(&event).item(web::item::record(&event)?);
        let mut ops = vec![("security_event", TxOp::Put { item, cond: None })];
        if !success {
            ops.push((
                "ip_failures",
                counters::bump(failures_counter(self.ip, self.at), 1),
            ));
            ops.push(("hour_failures", counters::bump(hourly_failures(self.at), 1)));
        }
        if risk == RiskLevel::High {
            ops.push((
                "hour_high_risk",
                counters::bump(hourly_high_risk(self.at), 1),
            ));
        }
        Ok(ops)
    }
}

fn placement(event: &SecurityEvent) -> Placement {
    let day = event.created_at.get(..10).unwrap_or_default();
    let place = format!("{}#{}", event.created_at, event.id);
    let mut placement = Placement::new(Key::new(format!("SECURITY#{day}"), place.clone()))
        .listed(
            Index::Gsi2,
            format!("SECTYPE#{}", event.event_type),
            place.clone(),
        )
        .listed(
            Index::Gsi3,
            format!("SECRISK#{}", event.risk_level),
            place.clone(),
        );
    if let Some(user) = &event.user_id {
        placement = placement.listed(Index::Gsi1, format!("SECUSER#{user}"), place);
    }
    placement
}
