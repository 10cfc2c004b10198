//! jsonwebtoken's cryptography for the HMAC family alone (HS256, HS384, HS512), on RustCrypto's
//! `hmac` and `sha2`, installed through the crate's own `CryptoProvider`.
//!
//! Our tokens are HS256 only. jsonwebtoken's `rust_crypto` provider picks its algorithm at run
//! time from the token, so every function linked RSA, ECDSA and EdDSA as well: about 0.4 MB
//! of a function's binary (measured on a linker map) for keys we never hold. Any other
//! algorithm is refused here as jsonwebtoken refuses an unknown one; the validation still
//! admits HS256 alone. HS384 and HS512 stay so that the harnesses can forge tokens with them.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{ErrorKind, Result};
use jsonwebtoken::signature::{self, Signer, Verifier};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};
use sha2::{Sha256, Sha384, Sha512};

static HMAC_ONLY: CryptoProvider = CryptoProvider {
    signer_factory: signer,
    verifier_factory: verifier,
    key_utils: KeyUtils::new_unimplemented(),
};

/// Makes the HMAC provider jsonwebtoken's for this process; once is enough, more is harmless.
/// [`Tokens::new`](super::Tokens::new) calls it, before any token is signed or read.
pub fn install() {
    // Err means a provider is already installed: this one, by an earlier call.
    let _ = HMAC_ONLY.install_default();
}

/// An HMAC keyed for one algorithm of the family: both the signer and the verifier.
struct Keyed<M> {
    mac: M,
    algorithm: Algorithm,
}

/// What jsonwebtoken asks of either; a `Box<dyn KeyedHmac>` coerces to both.
trait KeyedHmac: JwtSigner + JwtVerifier {}

impl<M: Mac + Clone> KeyedHmac for Keyed<M> {}

impl<M: Mac + Clone> Keyed<M> {
    /// The MAC of `message`, not yet finalised.
    fn over(&self, message: &[u8]) -> M {
        let mut mac = self.mac.clone();
        mac.update(message);
        mac
    }
}

impl<M: Mac + Clone> Signer<Vec<u8>> for Keyed<M> {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        Ok(self.over(message).finalize().into_bytes().to_vec())
    }
}

impl<M: Mac + Clone> Verifier<Vec<u8>> for Keyed<M> {
    /// Compares in constant time (`Mac::verify_slice`).
    fn verify(&self, message: &[u8], tag: &Vec<u8>) -> std::result::Result<(), signature::Error> {
        self.over(message)
            .verify_slice(tag)
            .map_err(|_| signature::Error::new())
    }
}

impl<M: Mac + Clone> JwtSigner for Keyed<M> {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

impl<M: Mac + Clone> JwtVerifier for Keyed<M> {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

/// The HMAC of `algorithm` keyed with `secret`; any other algorithm or key is refused.
fn keyed(
    algorithm: Algorithm,
    family: AlgorithmFamily,
    secret: &[u8],
) -> Result<Box<dyn KeyedHmac>> {
    fn boxed<M: Mac + KeyInit + Clone + Send + Sync + 'static>(
        algorithm: Algorithm,
        secret: &[u8],
    ) -> Result<Box<dyn KeyedHmac>> {
        let mac =
            <M as KeyInit>::new_from_slice(secret).map_err(|_| ErrorKind::InvalidKeyFormat)?;
        Ok(Box::new(Keyed { mac, algorithm }))
    }
    if family != AlgorithmFamily::Hmac {
        return Err(ErrorKind::InvalidKeyFormat.into());
    }
    match algorithm {
        Algorithm::HS256 => boxed::<Hmac<Sha256>>(algorithm, secret),
        Algorithm::HS384 => boxed::<Hmac<Sha384>>(algorithm, secret),
        Algorithm::HS512 => boxed::<Hmac<Sha512>>(algorithm, secret),
        _ => Err(ErrorKind::InvalidAlgorithm.into()),
    }
}

fn signer(algorithm: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    Ok(keyed(*algorithm, key.family(), key.as_bytes())?)
}

fn verifier(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    Ok(keyed(*algorithm, key.family(), key.try_get_as_bytes()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{Header, Validation, decode, encode};
    use serde_json::{Value, json};

    fn claims() -> Value {
        json!({"sub": "1", "exp": 4_000_000_000_i64})
    }

    #[test]
    fn hs256_signs_as_the_jwt_spec_says() {
        install();
        // RFC 7515 appendix A.1's key (padded base64url) and signing input, and its signature.
        let key = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow==";
        let key = EncodingKey::from_urlsafe_base64_secret(key).unwrap();
        let input = b"eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        let signed = jsonwebtoken::crypto::sign(input, &key, Algorithm::HS256).unwrap();
        assert_eq!(signed, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    }

    #[test]
    fn tokens_of_the_hmac_family_round_trip_and_others_are_refused() {
        install();
        let secret = b"a-secret-of-thirty-two-bytes-000";
        for algorithm in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let token = encode(
                &Header::new(algorithm),
                &claims(),
                &EncodingKey::from_secret(secret),
            )
            .unwrap();
            let read = decode::<Value>(
                &token,
                &DecodingKey::from_secret(secret),
                &Validation::new(algorithm),
            )
            .unwrap();
            assert_eq!(read.claims, claims());
            let other = DecodingKey::from_secret(b"another-secret-of-32-bytes-00000");
            assert!(decode::<Value>(&token, &other, &Validation::new(algorithm)).is_err());
        }
        let refused = encode(
            &Header::new(Algorithm::RS256),
            &claims(),
            &EncodingKey::from_secret(secret),
        );
        assert!(matches!(
            refused.map_err(|e| e.into_kind()),
            Err(ErrorKind::InvalidKeyFormat | ErrorKind::InvalidAlgorithm)
        ));
    }
}
