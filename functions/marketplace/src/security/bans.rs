//! Banned addresses as the marketplace keeps them: the item the shared rate-limit layer
//! reads (`web::rate_limit::bans`), with who banned the address, why, and until when. An
//! admin bans and unbans by hand; repeated refused sign-ins ban an address on their own
//! (reason `auto`).
//!
//! Items: the ban at the shared key (`BANNED_IP#<ip>`), listed in gsi1 (`BANS`, newest
//! first). A ban past its end is no ban (to the second), and the table's TTL sweep removes it
//! some time later.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Placement, TxOp};
use web::ApiResult;
use web::rate_limit::bans;

/// A ban as stored and as the admin reads it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = BannedIp)]
pub struct Ban {
    #[schema(example = json!("192.168.1.100"))]
    pub ip_address: String,
    #[schema(example = json!("Tentatives de brute force"))]
    pub reason: String,
    /// L'administrateur qui l'a bannie, `null` pour un bannissement automatique.
    pub banned_by: Option<String>,
    /// Vrai pour un bannissement automatique (trop de connexions refusées).
    pub auto: bool,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    /// Fin du bannissement, `null` s'il est permanent.
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub expires_at: Option<String>,
    /// La même fin, en secondes depuis l'epoch (ce que la vérification lit).
    pub expires_at_epoch: Option<i64>,
}

pub const LIST: Index = Index::Gsi1;
pub const LIST_PARTITION: &str = "BANS";

impl Ban {
    pub fn new(
        ip: &str,
        reason: &str,
        by: Option<&str>,
        now: DateTime<Utc>,
        lasts: Option<i64>,
    ) -> Ban {
        let ends = lasts.map(|secs| now + Duration::seconds(secs));
        Ban {
            ip_address: ip.to_owned(),
            reason: reason.to_owned(),
            banned_by: by.map(str::to_owned),
            auto: by.is_none(),
            created_at: web::time::format(now),
            expires_at: ends.map(web::time::format),
            expires_at_epoch: ends.map(|at| at.timestamp()),
        }
    }

    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.expires_at_epoch
            .is_none_or(|end| end > now.timestamp())
    }

    /// The write that stores it (replacing an earlier ban of the address), with the TTL that
    /// lets the table forget it a day after it ends.
    pub fn stored(&self, cond: Option<Cond>) -> ApiResult<TxOp> {
        let place = format!("{}#{}", self.created_at, self.ip_address);
        let mut fields = web::item::record(self)?;
        if let Some(end) = self.expires_at_epoch {
            fields.insert("ttl".into(), (end + 24 * 3600).into());
        }
        let item = Placement::new(bans::key(&self.ip_address))
            .listed(LIST, LIST_PARTITION, place)
            .item(fields);
        Ok(TxOp::Put { item, cond })
    }
}

/// The ban of `ip`, whether it still holds or not.
pub async fn find(store: &DynStore, ip: &str) -> ApiResult<Option<Ban>> {
    store
        .get(&bans::key(ip))
        .await?
        .map(web::item::parse)
        .transpose()
}

/// The bans that hold at `now`, newest first.
pub async fn active(store: &DynStore, now: DateTime<Utc>) -> ApiResult<Vec<Ban>> {
    let query = store::Query::partition(LIST, LIST_PARTITION).backward();
    let items = web::pagination::read_all(store, query).await?;
    let all: Vec<Ban> = items
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok(all.into_iter().filter(|ban| ban.is_active(now)).collect())
}

/// An address as a ban names it: `text` parsed, in its canonical form (`::1`, not `0::1`).
pub fn address(text: &str) -> Option<String> {
    text.trim()
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}
