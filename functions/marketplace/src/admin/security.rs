//! `marketplace-admin.md` §1 and §7: the security dashboard, the security logs (and their
//! CSV export), and the banned addresses.

mod logs;

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::audit::{self, Action, Actor};
use crate::role::Role;
use crate::security::bans::{self, Ban};
use crate::security::tallies::{self, Tally};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value, json};
use web::auth::AuthUser;
use web::extract::{ClientIp, Command, PathText};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(stats, Access::Roles(Role::ADMIN)),
        route!(logs::list, Access::Roles(Role::ADMIN)),
        route!(logs::export, Access::Roles(Role::ADMIN)),
        route!(banned, Access::Roles(Role::ADMIN)),
        route!(ban, Access::Roles(Role::ADMIN)),
        route!(unban, Access::Roles(Role::ADMIN)),
    ]
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct SuspiciousIp {
    #[schema(example = json!("192.168.1.1"))]
    ip_address: String,
    /// Connexions refusées sur les dernières 24 heures.
    #[schema(example = json!(15))]
    count: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct SecurityStats {
    /// Connexions refusées sur les 60 dernières minutes.
    #[schema(example = json!(12))]
    hourly_failed_attempts: u64,
    /// Connexions refusées sur les dernières 24 heures (par heures entières).
    #[schema(example = json!(47))]
    daily_failed_attempts: u64,
    /// Événements de risque `high` sur les dernières 24 heures (par heures entières).
    #[schema(example = json!(3))]
    high_risk_events24h: u64,
    /// Adresses bannies en ce moment.
    #[serde(rename = "activeBannedIPs")]
    #[schema(example = json!(5))]
    active_banned_ips: u64,
    /// Les 10 adresses aux connexions refusées les plus nombreuses sur 24 heures.
    #[serde(rename = "topSuspiciousIPs")]
    top_suspicious_ips: Vec<SuspiciousIp>,
}

#[utoipa::path(
    get,
    path = "/api/admin/security-stats",
    tag = "Sécurité",
    operation_id = "adminSecurityStats",
    summary = "Dashboard sécurité",
    description = "Statistiques de sécurité en temps réel, lues dans des compteurs tenus à chaque connexion refusée (jamais en parcourant les journaux). Réponse sans enveloppe, comme le document la donne.",
    responses(
        (status = 200, description = "Les statistiques.", body = SecurityStats, example = json!({"hourlyFailedAttempts": 12, "dailyFailedAttempts": 47, "highRiskEvents24h": 3, "activeBannedIPs": 5, "topSuspiciousIPs": [{"ipAddress": "192.168.1.1", "count": 15}, {"ipAddress": "10.0.0.5", "count": 8}]})),
    )
)]
async fn stats(State(state): State<AppState>, _caller: AuthUser) -> ApiResult<Json<SecurityStats>> {
    let (store, now) = (&state.store, chrono::Utc::now());
    let (hourly, daily, high, banned, top) = tokio::try_join!(
        tallies::last_hour(store, Tally::FailedSignIns, now),
        tallies::last_day(store, Tally::FailedSignIns, now),
        tallies::last_day(store, Tally::HighRisk, now),
        bans::active(store, now),
        tallies::most_failing(store, now, 10),
    )?;
    Ok(Json(SecurityStats {
        hourly_failed_attempts: hourly,
        daily_failed_attempts: daily,
        high_risk_events24h: high,
        active_banned_ips: banned.len() as u64,
        top_suspicious_ips: top
            .into_iter()
            .map(|(ip_address, count)| SuspiciousIp { ip_address, count })
            .collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct BannedIps {
    /// Les bannissements en cours, du plus récent au plus ancien.
    banned_ips: Vec<Ban>,
}

#[utoipa::path(
    get,
    path = "/api/admin/banned-ips",
    tag = "Sécurité",
    operation_id = "adminBannedIps",
    summary = "IPs bannies",
    description = "Les adresses bloquées en ce moment : à la main ou automatiquement (`auto`, après trop de connexions refusées). Un bannissement échu n'y est plus, à la seconde.",
    responses(
        (status = 200, description = "Les bannissements en cours.", body = Envelope<BannedIps>),
    )
)]
async fn banned(
    State(state): State<AppState>,
    _caller: AuthUser,
) -> ApiResult<Json<Envelope<BannedIps>>> {
    let banned_ips = bans::active(&state.store, chrono::Utc::now()).await?;
    Ok(answers::ok(BannedIps { banned_ips }))
}

/// The longest ban by duration: ten years (a longer one is `null`, permanent).
const MAX_DURATION_SECS: i64 = 10 * 365 * 24 * 3600;

// `POST /api/admin/banned-ips`.
#[derive(utoipa::ToSchema)]
#[schema(as = BanRequest, example = json!({"ipAddress": "192.168.1.100", "reason": "Tentatives de brute force", "duration": 86400}))]
struct BanRequest {
    #[schema(rename = "ipAddress", example = json!("192.168.1.100"))]
    ip: String,
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    reason: String,
    /// Durée en secondes (1 à 10 ans) ; `null` ou absente : permanent.
    #[schema(minimum = 1, maximum = 315360000)]
    duration: Option<i64>,
}

impl TryFrom<&Map<String, Value>> for BanRequest {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let ip = fields.required_with("ipAddress", |v| {
            v.as_str()
                .and_then(bans::address)
                .ok_or_else(|| "Adresse IP invalide".into())
        });
        let reason = fields.required_with("reason", |v| match v.as_str().map(str::trim) {
            Some(text) if !text.is_empty() && text.chars().count() <= 500 => Ok(text.to_owned()),
            _ => Err("reason doit contenir de 1 à 500 caractères".into()),
        });
        let duration = fields.optional_with("duration", |v| {
            v.as_i64()
                .filter(|secs| (1..=MAX_DURATION_SECS).contains(secs))
                .ok_or_else(|| {
                    "duration doit être un nombre de secondes (1 à 10 ans) ou null".into()
                })
        });
        match (ip, reason) {
            (Some(ip), Some(reason)) => {
                fields.finish()?;
                Ok(BanRequest {
                    ip,
                    reason,
                    duration,
                })
            }
            _ => Err(fields.into_error()),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct Banned {
    banned_ip: Ban,
}

#[utoipa::path(
    post,
    path = "/api/admin/banned-ips",
    tag = "Sécurité",
    operation_id = "adminBanIp",
    summary = "Bannir une IP",
    description = "Bloque une adresse : chacune de ses requêtes, sur toutes les routes, reçoit 403, jusqu'à la fin de la durée (à la seconde) ou pour toujours (`duration` nulle ou absente). Un nouveau bannissement de la même adresse remplace l'ancien. Un admin ne peut pas bannir sa propre adresse. L'action est inscrite au journal d'audit.",
    request_body = BanRequest,
    responses(
        (status = 201, description = "Adresse bannie.", body = Envelope<Banned>),
        (status = 400, description = "Corps invalide, ou l'adresse de l'admin lui-même.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Vous ne pouvez pas bannir votre propre adresse IP"})),
    )
)]
async fn ban(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(own): ClientIp,
    Command(request, _): Command<BanRequest>,
) -> ApiResult<(StatusCode, Json<Envelope<Banned>>)> {
    if bans::address(&own).as_deref() == Some(request.ip.as_str()) {
        return Err(ApiError::bad_request(
            "Vous ne pouvez pas bannir votre propre adresse IP",
        ));
    }
    let admin = caller.id.to_string();
    let now = chrono::Utc::now();
    let before = bans::find(&state.store, &request.ip).await?;
    let ban = Ban::new(
        &request.ip,
        &request.reason,
        Some(&admin),
        now,
        request.duration,
    );
    let action = Action {
        action: "ip.ban",
        entity_type: "BannedIp",
        entity_id: &request.ip,
        before: before.filter(|b| b.is_active(now)).map(|b| json!(b)),
        after: Some(json!(ban)),
        reason: Some(&request.reason),
    };
    let actor = Actor {
        id: &admin,
        ip: &own,
    };
    audit::recorded(
        &state.store,
        &actor,
        &action,
        vec![("ban", ban.stored(None)?)],
    )
    .await?;
    Ok(answers::created("IP bannie", Banned { banned_ip: ban }))
}

#[utoipa::path(
    delete,
    path = "/api/admin/banned-ips/{ip}",
    tag = "Sécurité",
    operation_id = "adminUnbanIp",
    summary = "Débannir",
    description = "Retire une adresse de la liste noire : ses requêtes passent de nouveau. L'action est inscrite au journal d'audit.",
    params(("ip" = String, Path, description = "L'adresse bannie (IPv4 ou IPv6).", example = "192.168.1.100")),
    responses(
        (status = 200, description = "Adresse débannie.", body = answers::Done, example = json!({"success": true, "message": "IP débannie"})),
        (status = 404, description = "Adresse qui n'est pas bannie.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "IP non bannie"})),
    )
)]
async fn unban(
    State(state): State<AppState>,
    caller: AuthUser,
    ClientIp(own): ClientIp,
    PathText(ip): PathText,
) -> ApiResult<Json<answers::Done>> {
    let not_banned = || ApiError::not_found("IP non bannie");
    let ip = bans::address(&ip).ok_or_else(not_banned)?;
    let now = chrono::Utc::now();
    let ban = bans::find(&state.store, &ip)
        .await?
        .filter(|b| b.is_active(now))
        .ok_or_else(not_banned)?;
    let admin = caller.id.to_string();
    let action = Action {
        action: "ip.unban",
        entity_type: "BannedIp",
        entity_id: &ip,
        before: Some(json!(ban)),
        after: None,
        reason: None,
    };
    let actor = Actor {
        id: &admin,
        ip: &own,
    };
    let removed = store::TxOp::Delete {
        key: web::rate_limit::bans::key(&ip),
        cond: Some(store::Cond::Exists),
    };
    audit::recorded(&state.store, &actor, &action, vec![("ban", removed)])
        .await
        .map_err(|e| {
            if e.failed("ban") {
                not_banned()
            } else {
                e.into()
            }
        })?;
    Ok(answers::Done::said("IP débannie"))
}
