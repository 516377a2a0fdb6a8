//! Small input checks shared by services; each failure names the field and a reason code.
use crate::error::{DomainError, DomainResult};

/// Trims and checks a required text field against a character limit. Line breaks come back
/// as `\n` (browsers send a textarea's as `\r\n`); other control characters and the bidi
/// overrides that can make text read differently from what it is are refused.
pub fn required_text(field: &str, value: &str, max_chars: usize) -> DomainResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::invalid(field, "required"));
    }
    if value.chars().count() > max_chars {
        return Err(DomainError::invalid(field, "too_long"));
    }
    let value = value.replace("\r\n", "\n");
    if value.chars().any(is_forbidden_char) {
        return Err(DomainError::invalid(field, "bad_chars"));
    }
    Ok(value)
}

/// Control characters other than line break and tab, and bidi embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069).
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
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

/// The Party was founded in 1921; no date of its records can be earlier.
const EARLIEST_YEAR: i32 = 1921;

/// An optional date that has happened (a birth, joining the Party, a branch founded), as
/// typed in the common ways (`2026-03-01`, `2026/3/1`, `2026.3.1`, `2026年3月1日`); empty means
/// none given.
pub fn past_date(
    field: &str,
    value: &str,
    today: chrono::NaiveDate,
) -> DomainResult<Option<chrono::NaiveDate>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let parsed = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|format| chrono::NaiveDate::parse_from_str(value, format).ok())
        .ok_or_else(|| DomainError::invalid(field, "bad_date"))?;
    if parsed > today {
        return Err(DomainError::invalid(field, "in_future"));
    }
    if chrono::Datelike::year(&parsed) < EARLIEST_YEAR {
        return Err(DomainError::invalid(field, "before_1921"));
    }
    Ok(Some(parsed))
}

/// An amount typed in yuan (`500`, `500.5`, `500.50`) as fen, at most `max_cents`; empty means
/// none given.
pub fn yuan_cents(field: &str, value: &str, max_cents: i64) -> DomainResult<Option<i64>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let bad = || DomainError::invalid(field, "bad_value");
    let (yuan, fen) = value.split_once('.').unwrap_or((value, ""));
    if yuan.is_empty()
        || fen.len() > 2
        || !(yuan.chars().chain(fen.chars()).all(|c| c.is_ascii_digit()))
    {
        return Err(bad());
    }
    let yuan: i64 = yuan.parse().map_err(|_| bad())?;
    let fen: i64 = format!("{fen:0<2}").parse().map_err(|_| bad())?;
    let cents = yuan
        .checked_mul(100)
        .and_then(|c| c.checked_add(fen))
        .ok_or_else(bad)?;
    if cents > max_cents {
        return Err(bad());
    }
    Ok(Some(cents))
}

/// Parses a public id; anything that is not a UUID is simply "not found".
pub fn parse_id(value: &str) -> DomainResult<uuid::Uuid> {
    uuid::Uuid::parse_str(value.trim()).map_err(|_| DomainError::NotFound)
}

/// A checkbox of a form post: ticked when it is sent at all (browsers send `on`), so any
/// text but empty reads as ticked; a JSON `true`/`false` reads as itself.
pub fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Ticked;
    impl serde::de::Visitor<'_> for Ticked {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a checkbox value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_str<E>(self, v: &str) -> Result<bool, E> {
            Ok(!v.is_empty())
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
    }
    d.deserialize_any(Ticked)
}

/// An optional id of a form post (a `<select>` whose empty choice means none). Text that is no
/// id reads as the nil id, which names nothing: the service refuses it as `not_found` with the
/// field's name, as it does any id it cannot find.
pub fn form_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<uuid::Uuid>, D::Error> {
    use serde::Deserialize;
    let text = Option::<String>::deserialize(d)?.unwrap_or_default();
    Ok(match text.trim() {
        "" => None,
        id => Some(uuid::Uuid::parse_str(id).unwrap_or(uuid::Uuid::nil())),
    })
}

/// A mainland mobile number: eleven digits starting with 1.
pub fn check_phone(phone: &str) -> DomainResult<String> {
    let phone = phone.trim();
    if phone.len() != 11 || !phone.starts_with('1') || !phone.chars().all(|c| c.is_ascii_digit()) {
        return Err(DomainError::invalid("phone", "bad_phone"));
    }
    Ok(phone.to_owned())
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
    fn control_characters_and_bidi_overrides_are_refused_line_breaks_kept() {
        assert_eq!(
            required_text("title", "会议\r\n议程", 10).as_deref(),
            Ok("会议\n议程")
        );
        for bad in [
            "标\r题",
            "a\u{0}b",
            "a\u{1b}[31m",
            "abc\u{202E}cba",
            "x\u{2067}y",
        ] {
            assert_eq!(
                required_text("title", bad, 10),
                Err(DomainError::invalid("title", "bad_chars")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn malformed_id_is_not_found() {
        assert_eq!(parse_id("../etc"), Err(DomainError::NotFound));
        assert!(parse_id("0193a1d2-7c00-7000-8000-000000000000").is_ok());
    }

    #[derive(serde::Deserialize)]
    struct Posted {
        #[serde(default, deserialize_with = "super::checkbox")]
        ticked: bool,
        #[serde(default, deserialize_with = "super::form_id")]
        unit: Option<uuid::Uuid>,
    }

    #[test]
    fn a_checkbox_is_ticked_when_sent_and_an_id_that_is_none_names_nothing() {
        let read = |json: &str| serde_json::from_str::<Posted>(json).expect("posted");
        let none = read("{}");
        assert!(!none.ticked);
        assert_eq!(none.unit, None);
        let ticked = read(r#"{"ticked": "on", "unit": " "}"#);
        assert!(ticked.ticked);
        assert_eq!(ticked.unit, None);
        let id = uuid::Uuid::now_v7();
        assert_eq!(read(&format!(r#"{{"unit": "{id}"}}"#)).unit, Some(id));
        assert_eq!(
            read(r#"{"ticked": false, "unit": "<script>"}"#).unit,
            Some(uuid::Uuid::nil())
        );
        assert!(!read(r#"{"ticked": ""}"#).ticked);
    }

    #[test]
    fn amounts_are_yuan_with_at_most_two_decimals() {
        let cents = |v| yuan_cents("amount", v, 100_000_000);
        assert_eq!(cents(""), Ok(None));
        assert_eq!(cents("500"), Ok(Some(50_000)));
        assert_eq!(cents("500.5"), Ok(Some(50_050)));
        assert_eq!(cents("0.05"), Ok(Some(5)));
        for bad in [
            "-5",
            "5.123",
            "abc",
            ".5",
            "99999999999999999999",
            "2000000",
        ] {
            assert!(cents(bad).is_err(), "{bad}");
        }
    }
}
