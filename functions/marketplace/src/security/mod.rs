//! Security events: every sign-in, admitted or refused, with the caller's address, the email
//! it named, its user agent and a risk level; the addresses banned, by an admin or on their
//! own after repeated refusals ([`bans`]); and the counts the security dashboard reads
//! ([`tallies`]).
//!
//! Items: an event at `SECURITY#<month>` / `<at>#<id>` (a month's events in time order),
//! listed by account in gsi1 (`SECUSER#<id>`), by type in gsi2 (`SECTYPE#<type>`) and by risk
//! in gsi3 (`SECRISK#<level>`). Events are kept a year (TTL).

pub mod bans;
pub mod tallies;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Placement, TxOp};
use tallies::Tally;
use uuid::Uuid;
use web::ApiResult;

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

/// Refused sign-ins from one address within the hour from which its attempts are of medium,
/// then high, risk.
const MEDIUM_FROM: u64 = 3;
const HIGH_FROM: u64 = 10;
/// How long an event is kept.
const KEPT_DAYS: i64 = 365;

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
    pub user_id: Option<String>,
    pub user_agent: Option<String>,
    #[schema(value_type = RiskLevel)]
    pub risk_level: String,
    pub success: bool,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
}

/// When repeated refusals ban an address on their own: so many refused sign-ins within the
/// hour, for so many seconds (`LOGIN_RATE_LIMIT_BAN_AFTER`, `LOGIN_RATE_LIMIT_BAN_SECS`).
#[derive(Debug, Clone, Copy)]
pub struct AutoBan {
    pub failures: u64,
    pub secs: i64,
}

impl From<&web::layers::EdgeConfig> for AutoBan {
    fn from(edge: &web::layers::EdgeConfig) -> Self {
        AutoBan {
            failures: edge.ban_after_failed_logins,
            secs: edge.ban_secs,
        }
    }
}

/// A sign-in attempt as the login route saw it.
pub struct Attempt<'a> {
    pub ip: &'a str,
    pub email: &'a str,
    pub user_agent: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// The refused sign-ins of `ip` this hour, and the risk of its next attempt.
pub async fn risk_of(store: &DynStore, ip: &str, at: DateTime<Utc>) -> ApiResult<(u64, RiskLevel)> {
    let failures = tallies::ip_failures(store, ip, at).await?;
    let risk = match failures {
        n if n >= HIGH_FROM => RiskLevel::High,
        n if n >= MEDIUM_FROM => RiskLevel::Medium,
        _ => RiskLevel::Low,
    };
    Ok((failures, risk))
}

pub fn month_partition(month: &str) -> String {
    format!("SECURITY#{month}")
}

pub const BY_USER: Index = Index::Gsi1;
pub const BY_TYPE: Index = Index::Gsi2;
pub const BY_RISK: Index = Index::Gsi3;

pub fn user_partition(id: &str) -> String {
    format!("SECUSER#{id}")
}

pub fn type_partition(kind: &str) -> String {
    format!("SECTYPE#{kind}")
}

pub fn risk_partition(level: &str) -> String {
    format!("SECRISK#{level}")
}

fn placement(event: &SecurityEvent) -> Placement {
    let month = event.created_at.get(..7).unwrap_or_default();
    let place = format!("{}#{}", event.created_at, event.id);
    let mut placement = Placement::new(Key::new(month_partition(month), place.clone()))
        .listed(BY_TYPE, type_partition(&event.event_type), place.clone())
        .listed(BY_RISK, risk_partition(&event.risk_level), place.clone());
    if let Some(user) = &event.user_id {
        placement = placement.listed(BY_USER, user_partition(user), place);
    }
    placement
}

impl Attempt<'_> {
    /// The writes recording this attempt as `kind` at `risk`, of the account `user_id` when
    /// one was named: the event, and its counts.
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
        let mut fields = web::item::record(&event)?;
        let kept = self.at + Duration::days(KEPT_DAYS);
        fields.insert("ttl".into(), kept.timestamp().into());
        let item = placement(&event).item(fields);
        let mut ops = vec![("security_event", TxOp::Put { item, cond: None })];
        if !success {
            ops.push(("ip_failures", tallies::ip_failed(self.ip, self.at)));
            let [minute, hour] = tallies::counted(Tally::FailedSignIns, self.at);
            ops.extend([("failures_minute", minute), ("failures_hour", hour)]);
        }
        if risk == RiskLevel::High {
            let [minute, hour] = tallies::counted(Tally::HighRisk, self.at);
            ops.extend([("high_risk_minute", minute), ("high_risk_hour", hour)]);
        }
        Ok(ops)
    }

    /// Records this attempt as refused (`kind`), `failures` being its address's refusals of
    /// the hour before it; bans the address when they reach `auto_ban` (unless a ban holds
    /// already: an admin's permanent ban is never shortened).
    pub async fn refused(
        &self,
        store: &DynStore,
        kind: EventType,
        risk: RiskLevel,
        user_id: Option<&str>,
        (failures, auto_ban): (u64, AutoBan),
    ) -> ApiResult<()> {
        store
            .transact_named(self.record(kind, risk, user_id)?)
            .await?;
        if failures + 1 < auto_ban.failures {
            return Ok(());
        }
        let reason = format!("auto: {} connexions refusées en une heure", failures + 1);
        let ban = bans::Ban::new(self.ip, &reason, None, self.at, Some(auto_ban.secs));
        let ended = Cond::lt(web::rate_limit::bans::EXPIRES_AT, self.at.timestamp() + 1);
        let none_holds = Cond::Or(vec![Cond::NotExists, ended]);
        match store.transact(vec![ban.stored(Some(none_holds))?]).await {
            Err(e) if e.is_condition_failed() => Ok(()),
            other => Ok(other?),
        }
    }
}
