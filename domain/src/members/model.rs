//! Member fields, their allowed values, and the checks every write goes through.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::validate::{optional_text, past_date, required_text};

pub use crate::kinds::{
    CareKind, Category, ContactMethod, Gender, PartyRelation, PartyStanding, Status,
};

/// A member as typed into a form or read from an import row: text, checked by `check`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberInput {
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub phone: String,
    pub joined_on: String,
    pub category: String,
    /// Empty: 组织关系在本社区.
    pub relation: String,
    /// Empty: 正式党员.
    pub standing: String,
    pub status: String,
    #[serde(deserialize_with = "crate::validate::form_id")]
    pub unit_id: Option<Uuid>,
    pub building: String,
    pub unit_no: String,
    pub room: String,
    pub employer: String,
    pub employer_party_org: String,
    pub interests: String,
    #[serde(deserialize_with = "crate::validate::checkbox")]
    pub hardship: bool,
    #[serde(deserialize_with = "crate::validate::checkbox")]
    pub immobile: bool,
    pub id_last4: String,
}

/// A member that passed every check (except those that need the database).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedMember {
    pub name: String,
    pub gender: Gender,
    pub birth_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub joined_on: Option<NaiveDate>,
    pub category: Category,
    pub relation: PartyRelation,
    pub standing: PartyStanding,
    pub status: Status,
    pub unit_id: Option<Uuid>,
    pub building: Option<String>,
    pub unit_no: Option<String>,
    pub room: Option<String>,
    pub employer: Option<String>,
    pub employer_party_org: Option<String>,
    pub interests: Option<String>,
    pub hardship: bool,
    pub immobile: bool,
    pub id_last4: Option<String>,
}

/// Checks and normalises an input. `today` is passed in so checks are repeatable.
pub fn check(input: &MemberInput, today: NaiveDate) -> DomainResult<CheckedMember> {
    let name = required_text("full_name", &input.name, 64)?;
    let gender = Gender::parse(&input.gender)
        .ok_or_else(|| DomainError::invalid("gender", "not_in_list"))?;
    let birth_date = past_date("birth_date", &input.birth_date, today)?;
    let joined_on = past_date("joined_on", &input.joined_on, today)?;
    if let (Some(birth), Some(joined)) = (birth_date, joined_on) {
        if birth >= joined {
            return Err(DomainError::invalid("birth_date", "after_joining"));
        }
    }
    let phone = match input.phone.trim() {
        "" => None,
        phone => Some(crate::validate::check_phone(phone)?),
    };
    let category = if input.category.trim().is_empty() {
        return Err(DomainError::invalid("category", "required"));
    } else {
        Category::parse(&input.category)
            .ok_or_else(|| DomainError::invalid("category", "not_in_list"))?
    };
    let relation = match input.relation.trim() {
        "" => PartyRelation::Here,
        relation => PartyRelation::parse(relation)
            .ok_or_else(|| DomainError::invalid("relation", "not_in_list"))?,
    };
    let standing = match input.standing.trim() {
        "" => PartyStanding::Full,
        standing => PartyStanding::parse(standing)
            .ok_or_else(|| DomainError::invalid("standing", "not_in_list"))?,
    };
    let status = match input.status.trim() {
        "" => Status::Normal,
        status => {
            Status::parse(status).ok_or_else(|| DomainError::invalid("status", "not_in_list"))?
        }
    };
    let id_last4 = optional_text("id_last4", &input.id_last4, 4)?.map(|v| v.to_uppercase());
    if let Some(last4) = &id_last4 {
        let ok = last4.len() == 4
            && last4
                .chars()
                .enumerate()
                .all(|(i, c)| c.is_ascii_digit() || (i == 3 && c == 'X'));
        if !ok {
            return Err(DomainError::invalid("id_last4", "bad_value"));
        }
    }
    Ok(CheckedMember {
        name,
        gender,
        birth_date,
        phone,
        joined_on,
        category,
        relation,
        standing,
        status,
        unit_id: input.unit_id,
        building: optional_text("building", &input.building, 32)?,
        unit_no: optional_text("unit_no", &input.unit_no, 16)?,
        room: optional_text("room", &input.room, 16)?,
        employer: optional_text("employer", &input.employer, 100)?,
        employer_party_org: optional_text("employer_party_org", &input.employer_party_org, 100)?,
        interests: optional_text("interests", &input.interests, 500)?,
        hardship: input.hardship,
        immobile: input.immobile,
        id_last4,
    })
}

/// `138****5678`: what everyone but the community secretary sees of a phone number.
pub fn mask_phone(phone: &str) -> String {
    if phone.len() == 11 && phone.is_ascii() {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "****".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
    }

    fn valid() -> MemberInput {
        MemberInput {
            name: "王秀兰".into(),
            gender: "女".into(),
            birth_date: "1956-03-08".into(),
            joined_on: "1980-07-01".into(),
            phone: "13812345678".into(),
            category: "离退休".into(),
            ..Default::default()
        }
    }

    fn reason(input: MemberInput) -> DomainError {
        check(&input, today()).expect_err("invalid")
    }

    #[test]
    fn a_valid_member_is_normalised() {
        let m = check(&valid(), today()).expect("valid");
        assert_eq!(m.category, Category::Retired);
        assert_eq!(m.status, Status::Normal);
        assert_eq!(m.joined_on, NaiveDate::from_ymd_opt(1980, 7, 1));
        assert_eq!(m.building, None);
    }

    #[test]
    fn bad_dates_are_refused() {
        let e = |field: &str, reason: &str| DomainError::invalid(field, reason);
        assert_eq!(
            reason(MemberInput {
                joined_on: "2027-01-01".into(),
                ..valid()
            }),
            e("joined_on", "in_future")
        );
        assert_eq!(
            reason(MemberInput {
                joined_on: "1920-12-31".into(),
                ..valid()
            }),
            e("joined_on", "before_1921")
        );
        assert_eq!(
            reason(MemberInput {
                birth_date: "1990-02-30".into(),
                ..valid()
            }),
            e("birth_date", "bad_date")
        );
        assert_eq!(
            reason(MemberInput {
                birth_date: "1981-01-01".into(),
                ..valid()
            }),
            e("birth_date", "after_joining")
        );
    }

    #[test]
    fn bad_values_are_refused() {
        let e = |field: &str, reason: &str| DomainError::invalid(field, reason);
        assert_eq!(
            reason(MemberInput {
                phone: "1381234567".into(),
                ..valid()
            }),
            e("phone", "bad_phone")
        );
        assert_eq!(
            reason(MemberInput {
                category: "党员".into(),
                ..valid()
            }),
            e("category", "not_in_list")
        );
        assert_eq!(
            reason(MemberInput {
                category: "".into(),
                ..valid()
            }),
            e("category", "required")
        );
        assert_eq!(
            reason(MemberInput {
                status: "离开".into(),
                ..valid()
            }),
            e("status", "not_in_list")
        );
        assert_eq!(
            reason(MemberInput {
                name: "张".repeat(65),
                ..valid()
            }),
            e("full_name", "too_long")
        );
        assert_eq!(
            reason(MemberInput {
                interests: "书".repeat(501),
                ..valid()
            }),
            e("interests", "too_long")
        );
        assert_eq!(
            reason(MemberInput {
                id_last4: "12a4".into(),
                ..valid()
            }),
            e("id_last4", "bad_value")
        );
        assert!(check(
            &MemberInput {
                id_last4: "123x".into(),
                ..valid()
            },
            today()
        )
        .is_ok());
    }

    #[test]
    fn phones_are_masked() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("short"), "****");
    }

    #[test]
    fn codes_and_labels_parse() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
            assert_eq!(Category::parse(c.label()), Some(*c));
        }
        assert_eq!(Status::parse("已转出"), Some(Status::TransferredOut));
    }
}
