//! Verifying the audit chain: every entry in order, each holding the hash of the one before,
//! its own number, and the hash its fields give. The first entry that breaks it is named.

use super::{Entry, GENESIS, PARTITION, hash_of};
use serde::Serialize;
use store::{DynStore, Index, Query};
use web::ApiResult;

/// Entries read per round trip.
const BATCH: u32 = 500;

/// What the verification found.
#[derive(Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// Si la chaîne est intacte.
    pub valid: bool,
    /// Le nombre d'entrées vérifiées.
    pub entries: u64,
    /// La première entrée qui rompt la chaîne, s'il y en a une.
    #[schema(nullable = true)]
    pub first_broken: Option<Broken>,
}

#[derive(Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Broken {
    /// Son rang attendu dans la chaîne.
    pub seq: u64,
    /// Son identifiant, quand elle est lisible.
    pub id: Option<String>,
    /// Ce qui ne va pas.
    #[schema(example = json!("son empreinte ne correspond pas à son contenu"))]
    pub reason: String,
}

/// Walks the chain from its first entry.
pub async fn verify(store: &DynStore) -> ApiResult<Verdict> {
    let mut previous = GENESIS.to_owned();
    let mut expected = 1;
    let mut cursor = None;
    loop {
        let query = Query::partition(Index::Table, PARTITION)
            .limit(BATCH)
            .after(cursor);
        let page = store.query(query).await?;
        for item in page.items {
            let broken = |id: Option<String>, reason: &str| Verdict {
                valid: false,
                entries: expected - 1,
                first_broken: Some(Broken {
                    seq: expected,
                    id,
                    reason: reason.to_owned(),
                }),
            };
            let id = item.get("id").and_then(|v| v.as_str()).map(str::to_owned);
            let Ok(entry) = web::item::parse::<Entry>(item) else {
                return Ok(broken(id, "entrée illisible"));
            };
            if entry.seq != expected {
                return Ok(broken(id, "entrée manquante ou déplacée"));
            }
            if entry.prev_hash != previous {
                return Ok(broken(id, "ne suit pas l'entrée précédente"));
            }
            if hash_of(&entry) != entry.hash {
                return Ok(broken(id, "son empreinte ne correspond pas à son contenu"));
            }
            previous = entry.hash;
            expected += 1;
        }
        cursor = page.next;
        if cursor.is_none() {
            // An entry removed from the end leaves a chain that holds, but shorter than its
            // head says.
            let (last, hash) = super::head(store).await?;
            let entries = expected - 1;
            let first_broken = (last != entries || hash != previous).then(|| Broken {
                seq: expected,
                id: None,
                reason: "entrée manquante".to_owned(),
            });
            return Ok(Verdict {
                valid: first_broken.is_none(),
                entries,
                first_broken,
            });
        }
    }
}
