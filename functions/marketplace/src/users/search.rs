//! Finding accounts by the start of a first name, a last name or an email, whatever the case
//! and accents: each account has one search entry per word of its names and one for its
//! email, under its role's partition (`USERSEARCH#<role>`), sorted by the folded word. A
//! search is one query per role searched (`begins_with`), never a scan.

use super::User;
use crate::role::Role;
use store::{DynStore, Item, Key, Query, SortKey};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use web::ApiResult;

fn partition(role: &str) -> String {
    format!("USERSEARCH#{role}")
}

/// `text` as searched: lower case, accents removed (`Élodie` → `elodie`).
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words `user` is found by.
fn terms(user: &User) -> Vec<String> {
    let mut terms: Vec<String> = [&user.first_name, &user.last_name]
        .iter()
        .flat_map(|name| name.split_whitespace())
        .map(fold)
        .filter(|word| !word.is_empty())
        .collect();
    terms.push(fold(&user.email));
    terms.sort();
    terms.dedup();
    terms
}

/// The search entries' keys of `user` as it is stored.
pub fn keys(user: &User) -> Vec<Key> {
    terms(user)
        .into_iter()
        .map(|term| Key::new(partition(&user.role), format!("{term}#{}", user.id)))
        .collect()
}

/// The search entries of `user`, each naming its account.
pub fn entries(user: &User) -> Vec<Item> {
    keys(user)
        .into_iter()
        .map(|key| {
            let mut item = key.to_item();
            item.insert("userId".into(), user.id.clone().into());
            item
        })
        .collect()
}

/// The ids of the accounts of `roles` that a word of theirs starts with `prefix`, each once,
/// in the order of their matching words.
pub async fn matching(store: &DynStore, roles: &[Role], prefix: &str) -> ApiResult<Vec<String>> {
    let folded = fold(prefix.trim());
    let queries = roles.iter().map(|role| {
        let query = Query::partition(store::Index::Table, partition(role.as_str()))
            .sort_key(SortKey::BeginsWith(folded.clone()));
        web::pagination::read_all(store, query)
    });
    let found = futures_util::future::try_join_all(queries).await?;
    let mut seen = std::collections::HashSet::new();
    let ids = found
        .into_iter()
        .flatten()
        .filter_map(|item| item.get("userId")?.as_str().map(str::to_owned))
        .filter(|id| seen.insert(id.clone()))
        .collect();
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Élodie"), "elodie");
        assert_eq!(fold("NGOUÉ"), "ngoue");
        assert_eq!(fold("çà"), "ca");
    }
}
