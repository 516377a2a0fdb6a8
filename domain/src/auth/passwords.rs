//! argon2id with the crate's defaults (the OWASP-recommended m=19 MiB, t=2, p=1).
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::error::{DomainError, DomainResult};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

pub fn hash(password: &str) -> DomainResult<String> {
    if password.chars().count() < MIN_LEN {
        return Err(DomainError::invalid("password", "too_short"));
    }
    if password.chars().count() > MAX_LEN {
        return Err(DomainError::invalid("password", "too_long"));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|err| {
            tracing::error!(error = %err, "hashing a password");
            DomainError::Internal
        })
}

pub fn verify(stored_hash: &str, password: &str) -> bool {
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A one-time password to hand over in person (an operator's first account, a reset): 12
/// characters without the ones easily confused (0/O, 1/l/I), about 70 bits.
pub fn one_time() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    (0..12)
        .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
        .collect()
}

/// Spends the same work as a real check, so an unknown login name cannot be told apart by timing.
pub fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash("dummy-password-for-timing").unwrap_or_default());
    let _ = verify(hash, password);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_argon2id_and_verifies() {
        let h = hash("正确的密码123").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, "正确的密码123"));
        assert!(!verify(&h, "wrong-password"));
        assert!(!verify("not a hash", "x"));
    }

    #[test]
    fn rejects_short_and_long_passwords() {
        assert_eq!(
            hash("short"),
            Err(DomainError::invalid("password", "too_short"))
        );
        assert_eq!(
            hash(&"x".repeat(10_000)),
            Err(DomainError::invalid("password", "too_long"))
        );
    }
}
