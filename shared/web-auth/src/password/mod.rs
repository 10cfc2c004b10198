//! Passwords, for the products whose accounts have them: argon2id with OWASP's parameters
//! (7 MiB, five passes, one lane), stored as PHC strings (`$argon2id$v=19$m=7168,t=5,p=1$...`)
//! so the parameters travel with each hash: a hash made with other parameters (19 MiB and two
//! passes, before) still verifies with its own. Verification compares in constant time, and a
//! login for an account that does not exist verifies against a dummy hash, so the answer
//! takes as long whether or not the email is known.

mod strength;

pub use strength::{Problem, problems, problems_in_french};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

/// OWASP's password storage cheat sheet, argon2id, fifth option: m=7 MiB, t=5, p=1. Its
/// options resist guessing equally; this one needs the least memory, which a function's
/// peak RSS is mostly made of when it signs someone in (and is the quickest here).
const MEMORY_KIB: u32 = 7 * 1024;
const PASSES: u32 = 5;
const LANES: u32 = 1;

fn hasher() -> Result<Argon2<'static>, String> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| e.to_string())?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string of `password`, with a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    let salt = uuid::Uuid::new_v4().into_bytes();
    hasher()?
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` is the one `stored` was made from. A malformed `stored` is no match.
pub fn verify(password: &str, stored: &str) -> bool {
    hasher().is_ok_and(|argon2| argon2.verify_password(password.as_bytes(), stored).is_ok())
}

/// Spends the time of a verification for an account that does not exist; always false.
pub fn verify_absent(password: &str) -> bool {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("an account that does not exist").ok());
    if let Some(dummy) = dummy {
        let _ = verify(password, dummy);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_their_password_only() {
        let stored = hash("correct horse battery staple").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"),
            "{stored}"
        );
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("correct horse battery stapler", &stored));
        assert!(!verify("", &stored));
        assert!(!verify("anything", "not a phc string"));
        let again = hash("correct horse battery staple").unwrap();
        assert_ne!(stored, again, "each hash has its own salt");
        assert!(!verify_absent("correct horse battery staple"));
    }

    #[test]
    fn hashes_made_with_earlier_parameters_still_verify() {
        // Made with the 19 MiB, two-pass parameters used before.
        let params = Params::new(19 * 1024, 2, 1, None).unwrap();
        let earlier = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_with_salt(b"correct horse battery staple", b"an earlier salt!")
            .unwrap()
            .to_string();
        assert!(earlier.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery staple", &earlier));
        assert!(!verify("correct horse battery stapler", &earlier));
    }
}
