//! Where the public finds providers: only those active and verified, featured first, then
//! newest, by activity, by town, and by the start of a word of their business name. Each
//! visible provider has an entry in each list it belongs to, moved in the same transaction
//! as every change that adds it, removes it or moves it; a list is a query of its partition,
//! never a scan. Totals per list are counters moved with the entries.
//!
//! Items: `PUBLIC` / `<rank>#<newest first>#<id>` (rank 0 featured, 1 boosted, 2 neither), the same place
//! under `PUBACT#<activity>` and `PUBLOC#<town>`, and `PUBWORD` / `<word>#<id>` for each
//! folded word of the business name. Each entry names its provider (`providerId`).

use super::Provider;
use crate::users::search::fold;
use store::{Key, TxOp};
use web::counters;

/// The lists a visible provider is in, by partition, with the total counting each.
fn lists(provider: &Provider) -> Vec<(String, Option<String>)> {
    if !(provider.is_active && provider.is_verified) {
        return Vec::new();
    }
    let mut lists = vec![("PUBLIC".to_owned(), Some("public".to_owned()))];
    for activity in &provider.activities {
        let activity = fold(activity);
        lists.push((
            format!("PUBACT#{activity}"),
            Some(format!("public#act#{activity}")),
        ));
    }
    let town = town(&provider.location);
    lists.push((format!("PUBLOC#{town}"), Some(format!("public#loc#{town}"))));
    let mut words: Vec<String> = provider
        .business_name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    words.sort();
    words.dedup();
    lists.extend(words.into_iter().map(|w| (format!("PUBWORD#{w}"), None)));
    lists
}

/// The town of a location: what comes before its first comma, folded (`Yaoundé, Bastos` is
/// in `yaounde`).
pub fn town(location: &str) -> String {
    fold(location.split(',').next().unwrap_or_default().trim())
}

/// A provider's place in the ordered lists: featured first, then boosted, then newest.
pub fn place(provider: &Provider) -> String {
    let rank = match (provider.is_featured, provider.boosted_until.is_some()) {
        (true, _) => 0,
        (false, true) => 1,
        (false, false) => 2,
    };
    let created = chrono::DateTime::parse_from_rfc3339(&provider.created_at)
        .map(|at| at.timestamp_millis())
        .unwrap_or_default();
    // Newest first in ascending order: the time counted down from a far future.
    format!(
        "{rank}#{:015}#{}",
        999_999_999_999_999 - created,
        provider.id
    )
}

fn entry(partition: &str, provider: &Provider) -> Key {
    match partition.strip_prefix("PUBWORD#") {
        // Words are searched by prefix: the word is the sort key.
        Some(word) => Key::new("PUBWORD", format!("{word}#{}", provider.id)),
        None => Key::new(partition, place(provider)),
    }
}

/// The writes that move `was`'s entries to `now`'s (either absent: created or deleted).
pub fn moves(was: Option<&Provider>, now: Option<&Provider>) -> Vec<(&'static str, TxOp)> {
    let old: Vec<(Key, Option<String>)> = was
        .map(|p| {
            lists(p)
                .into_iter()
                .map(|(l, t)| (entry(&l, p), t))
                .collect()
        })
        .unwrap_or_default();
    let new: Vec<(Key, Option<String>)> = now
        .map(|p| {
            lists(p)
                .into_iter()
                .map(|(l, t)| (entry(&l, p), t))
                .collect()
        })
        .unwrap_or_default();
    let mut ops = Vec::new();
    for (key, total) in &old {
        if !new.iter().any(|(k, _)| k == key) {
            ops.push((
                "public_entry",
                TxOp::Delete {
                    key: key.clone(),
                    cond: None,
                },
            ));
        }
        if let Some(total) = total
            .as_ref()
            .filter(|t| !new.iter().any(|(_, n)| n.as_ref() == Some(*t)))
        {
            ops.push(("public_total", counters::bump(total, -1)));
        }
    }
    if let Some(provider) = now {
        for (key, total) in &new {
            if !old.iter().any(|(k, _)| k == key) {
                let mut item = key.to_item();
                item.insert("providerId".into(), provider.id.clone().into());
                ops.push(("public_entry", TxOp::Put { item, cond: None }));
            }
            if let Some(total) = total
                .as_ref()
                .filter(|t| !old.iter().any(|(_, o)| o.as_ref() == Some(*t)))
            {
                ops.push(("public_total", counters::bump(total, 1)));
            }
        }
    }
    ops
}
