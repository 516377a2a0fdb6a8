//! Whether a password a person chooses is good enough: a minimum length, and zxcvbn's estimate
//! of how guessable it is, with what others know of the account (login name, name, phone) and
//! the platform's own words counted as guessable. The form shows the same rules.
use crate::error::{DomainError, DomainResult};

/// Characters a chosen password needs at least (a one-time password handed over by staff is
/// held to `passwords::MIN_LEN` only: it is replaced at first login).
pub const MIN_CHOSEN_LEN: usize = 10;

/// zxcvbn's score a chosen password needs: 3 of 4, "safely unguessable" (about 10^8 guesses
/// and more, enough against online guessing, which the login limits slow further).
pub const MIN_SCORE: u8 = 3;

/// Words anyone attacking this service would try first.
const PLATFORM_WORDS: &[&str] = &["gongjian", "dangjian", "shequ", "jiedao", "dangyuan"];

/// What someone could know of the account, counted as guessable.
#[derive(Default)]
pub struct Known<'a> {
    pub login_name: &'a str,
    pub display_name: &'a str,
    pub phone: Option<&'a str>,
}

/// Checks a password a person chose for themselves (CPU-bound for long inputs: call it where
/// hashing happens, off the async runtime). `field` names the form field refused.
pub fn check(field: &str, password: &str, known: &Known<'_>) -> DomainResult<()> {
    let len = password.chars().count();
    if len < MIN_CHOSEN_LEN {
        return Err(DomainError::invalid(field, "password_too_short"));
    }
    if len > super::passwords::MAX_LEN {
        return Err(DomainError::invalid(field, "too_long"));
    }
    let lower = password.to_lowercase();
    let mut inputs: Vec<&str> = PLATFORM_WORDS.to_vec();
    inputs.extend([known.login_name, known.display_name]);
    inputs.extend(known.phone);
    // zxcvbn finds a known word inside a password; a password that merely repeats the login
    // name or phone around filler is refused outright too.
    let inputs: Vec<&str> = inputs.into_iter().filter(|s| !s.is_empty()).collect();
    if inputs
        .iter()
        .any(|known| known.chars().count() >= 4 && lower.contains(&known.to_lowercase()))
    {
        return Err(DomainError::invalid(field, "password_personal"));
    }
    let score: u8 = zxcvbn::zxcvbn(password, &inputs).score().into();
    if score < MIN_SCORE {
        return Err(DomainError::invalid(field, "password_guessable"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known<'static> {
        Known {
            login_name: "zhangli",
            display_name: "张丽华",
            phone: Some("13900000004"),
        }
    }

    fn reason(password: &str) -> Option<String> {
        match check("new_password", password, &known()) {
            Ok(()) => None,
            Err(DomainError::Invalid { reason, .. }) => Some(reason),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn short_common_and_personal_passwords_are_refused() {
        assert_eq!(reason("Ab3$xyz").as_deref(), Some("password_too_short"));
        assert_eq!(reason("password123").as_deref(), Some("password_guessable"));
        assert_eq!(reason("1234567890").as_deref(), Some("password_guessable"));
        assert_eq!(reason("qwertyuiop").as_deref(), Some("password_guessable"));
        assert_eq!(reason("zhangli2026!").as_deref(), Some("password_personal"));
        assert_eq!(
            reason("x13900000004x").as_deref(),
            Some("password_personal")
        );
        assert_eq!(
            reason("Gongjian@2026").as_deref(),
            Some("password_personal")
        );
        assert_eq!(reason(&"x".repeat(200)).as_deref(), Some("too_long"));
    }

    #[test]
    fn long_unusual_passwords_pass() {
        assert_eq!(reason("青山绿水-长江路-77"), None);
        assert_eq!(reason("correct horse battery staple"), None);
        assert_eq!(reason("t7#Lq9!vZr2p"), None);
    }
}
