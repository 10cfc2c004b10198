//! What is wrong with a new password, as Django's four default validators judge it: too
//! short, too common (Django's own list of 20,000 common passwords, `common-passwords.txt`,
//! from Django 5.1, BSD licence), entirely numeric, or too similar to one of the account's
//! attributes. Each product says the problems in its own words.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Django's `UserAttributeSimilarityValidator` threshold.
const MAX_SIMILARITY: f64 = 0.7;

/// One thing wrong with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Shorter than the product's minimum (in characters).
    TooShort { min: usize },
    /// Among the 20,000 most common passwords.
    TooCommon,
    /// Only digits.
    EntirelyNumeric,
    /// Too close to the account's attribute of this name (`email`, `username`...).
    TooSimilar { attribute: &'static str },
}

/// Every problem of `password` for an account whose attributes are `attributes` (name,
/// value), in Django's order: similarity, length, commonness, digits.
pub fn problems(password: &str, min: usize, attributes: &[(&'static str, &str)]) -> Vec<Problem> {
    let mut found = Vec::new();
    if let Some((attribute, _)) = attributes
        .iter()
        .find(|(_, value)| too_similar(password, value))
    {
        found.push(Problem::TooSimilar { attribute });
    }
    if password.chars().count() < min {
        found.push(Problem::TooShort { min });
    }
    if common().contains(password.trim().to_lowercase().as_str()) {
        found.push(Problem::TooCommon);
    }
    if !password.is_empty() && password.chars().all(|c| c.is_ascii_digit()) {
        found.push(Problem::EntirelyNumeric);
    }
    found
}

fn common() -> &'static HashSet<&'static str> {
    static COMMON: OnceLock<HashSet<&'static str>> = OnceLock::new();
    COMMON.get_or_init(|| include_str!("common-passwords.txt").lines().collect())
}

/// Django's test: the password against the whole value and each of its words (split on
/// non-word characters), skipping a part far shorter than the password, with
/// `SequenceMatcher.quick_ratio` (the share of characters in common, counted with their
/// multiplicity).
fn too_similar(password: &str, value: &str) -> bool {
    let password = password.to_lowercase();
    let value = value.to_lowercase();
    if value.is_empty() {
        return false;
    }
    let parts = value
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .chain(std::iter::once(value.as_str()));
    parts.filter(|part| !part.is_empty()).any(|part| {
        let (password_len, part_len) = (password.chars().count(), part.chars().count());
        let far_shorter = password_len >= 10 * part_len
            && (part_len as f64) < MAX_SIMILARITY / 2.0 * password_len as f64;
        !far_shorter && quick_ratio(&password, part) >= MAX_SIMILARITY
    })
}

fn quick_ratio(a: &str, b: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in b.chars() {
        *counts.entry(c).or_insert(0i64) += 1;
    }
    let mut matches = 0;
    for c in a.chars() {
        if let Some(n) = counts.get_mut(&c).filter(|n| **n > 0) {
            *n -= 1;
            matches += 1;
        }
    }
    let total = a.chars().count() + b.chars().count();
    if total == 0 {
        return 1.0;
    }
    2.0 * f64::from(matches) / total as f64
}

/// Every problem of a new password, in French (the marketplace's and PaieCashFan's words):
/// [`problems`], and a password longer than `max` characters (hashing cost).
pub fn problems_in_french(
    password: &str,
    min: usize,
    max: usize,
    attributes: &[(&'static str, &str)],
) -> Vec<String> {
    let mut said: Vec<String> = problems(password, min, attributes)
        .into_iter()
        .map(|problem| match problem {
            Problem::TooShort { min } => {
                format!("Le mot de passe doit contenir au moins {min} caractères")
            }
            Problem::TooCommon => "Ce mot de passe est trop courant".to_owned(),
            Problem::EntirelyNumeric => {
                "Le mot de passe ne peut pas être entièrement numérique".to_owned()
            }
            Problem::TooSimilar { .. } => {
                "Le mot de passe ressemble trop à vos informations personnelles".to_owned()
            }
        })
        .collect();
    if password.chars().count() > max {
        said.push(format!(
            "Le mot de passe doit contenir au plus {max} caractères"
        ));
    }
    said
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn djangos_four_validators() {
        let email = [("username", "janedoe"), ("email", "jane.doe@example.com")];
        // The examples, which Django refuses.
        assert_eq!(problems("password", 8, &email), [Problem::TooCommon]);
        assert_eq!(problems("aaaaaaaa", 8, &email), [Problem::TooCommon]);
        assert_eq!(problems("Password1", 8, &email), [Problem::TooCommon]);
        assert_eq!(
            problems("jane.doe@example.com", 8, &email),
            [Problem::TooSimilar { attribute: "email" }]
        );
        assert_eq!(
            problems("Janedoe1", 8, &email),
            [Problem::TooSimilar {
                attribute: "username"
            }]
        );
        assert_eq!(
            problems("73918", 8, &[]),
            [Problem::TooShort { min: 8 }, Problem::EntirelyNumeric]
        );
        assert_eq!(problems("correct horse battery staple", 8, &email), []);
        assert_eq!(problems("Tr0ub4dor&3xyz", 12, &email), []);
        assert_eq!(problems("short", 12, &[])[0], Problem::TooShort { min: 12 });
    }

    #[test]
    fn a_word_far_shorter_than_the_password_does_not_count() {
        // "jo" is a part of the email, but a tenth of the password's length.
        let email = [("email", "jo@x.io")];
        assert_eq!(problems("a much longer passphrase, jo", 8, &email), []);
    }

    #[test]
    fn quick_ratio_is_pythons() {
        // difflib.SequenceMatcher(a="abcd", b="bcde").quick_ratio() == 0.75
        assert!((quick_ratio("abcd", "bcde") - 0.75).abs() < 1e-9);
        assert!((quick_ratio("aab", "abb") - 2.0 * 2.0 / 6.0).abs() < 1e-9);
        assert_eq!(quick_ratio("", ""), 1.0);
    }
}
