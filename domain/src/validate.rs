//! Small input checks shared by services; each failure names the field and a reason code.
use crate::error::{DomainError, DomainResult};

/// Trims and checks a required text field against a character limit.
pub fn required_text(field: &str, value: &str, max_chars: usize) -> DomainResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::invalid(field, "required"));
    }
    if value.chars().count() > max_chars {
        return Err(DomainError::invalid(field, "too_long"));
    }
    Ok(value.to_owned())
}

/// Like `required_text`, but empty means "not given".
pub fn optional_text(field: &str, value: &str, max_chars: usize) -> DomainResult<Option<String>> {
    match value.trim() {
        "" => Ok(None),
        value => required_text(field, value, max_chars).map(Some),
    }
}

/// A required calendar date (`2026-03-01`), any year from 2000 to 2100.
pub fn plain_date(field: &str, value: &str) -> DomainResult<chrono::NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::invalid(field, "required"));
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| DomainError::invalid(field, "bad_date"))
}

/// Parses a public id; anything that is not a UUID is simply "not found".
pub fn parse_id(value: &str) -> DomainResult<uuid::Uuid> {
    uuid::Uuid::parse_str(value.trim()).map_err(|_| DomainError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_over_long_text() {
        assert_eq!(
            required_text("name", "  ", 10),
            Err(DomainError::invalid("name", "required"))
        );
        assert_eq!(
            required_text("name", &"字".repeat(11), 10),
            Err(DomainError::invalid("name", "too_long"))
        );
        assert_eq!(required_text("name", " 张三 ", 10).as_deref(), Ok("张三"));
    }

    #[test]
    fn malformed_id_is_not_found() {
        assert_eq!(parse_id("../etc"), Err(DomainError::NotFound));
        assert!(parse_id("0193a1d2-7c00-7000-8000-000000000000").is_ok());
    }
}
