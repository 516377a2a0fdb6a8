//! Months, amounts and the standard rates of the 党费 rules.
use chrono::{Datelike, Months, NaiveDate};

use crate::error::{DomainError, DomainResult};
use crate::kinds::Category;

pub use crate::kinds::PaymentMethod;

/// The rates a base may be assessed at, per mille (0.5 %, 1 %, 1.5 %, 2 %).
pub const RATES_PERMILLE: [i32; 4] = [5, 10, 15, 20];

/// What students, the unemployed and those awaiting work pay each month: 0.2 元.
const FLAT_CENTS: i64 = 20;

/// The standard dues for a member of `category` with a monthly income base (fen), as the 党费
/// rules (中组部, 2008) set them: in service, after tax, up to 3,000 元 0.5 %, up to 5,000 元 1 %,
/// up to 10,000 元 1.5 %, above that 2 %; retired, up to 5,000 元 0.5 %, above that 1 %; the
/// unemployed and those awaiting work a flat 0.2 元 whatever the base. `(rate, monthly fen)`; the
/// rate is none for the flat amount, and nothing is standard for a base-less member with an
/// income.
pub fn standard_dues(category: Category, base_cents: Option<i64>) -> Option<(Option<i32>, i64)> {
    if matches!(category, Category::Unemployed | Category::Graduate) {
        return Some((None, FLAT_CENTS));
    }
    match base_cents {
        None => None,
        Some(base) => {
            const YUAN: i64 = 100;
            let rate = match category {
                Category::Retired if base <= 5_000 * YUAN => 5,
                Category::Retired => 10,
                _ if base <= 3_000 * YUAN => 5,
                _ if base <= 5_000 * YUAN => 10,
                _ if base <= 10_000 * YUAN => 15,
                _ => 20,
            };
            Some((Some(rate), of_base(base, rate)))
        }
    }
}

/// `rate` per mille of `base`, to the nearest fen.
pub(super) fn of_base(base_cents: i64, rate_permille: i32) -> i64 {
    (base_cents * i64::from(rate_permille) + 500) / 1000
}

/// `2026-01` (or `2026-1`) as the first of that month: from 2000 to the year after next.
pub fn parse_month(field: &str, value: &str, today: NaiveDate) -> DomainResult<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::invalid(field, "required"));
    }
    let bad = || DomainError::invalid(field, "bad_month");
    let (year, month) = value.split_once('-').ok_or_else(bad)?;
    let (year, month): (i32, u32) = (
        year.parse().map_err(|_| bad())?,
        month.parse().map_err(|_| bad())?,
    );
    if !(2000..=today.year() + 2).contains(&year) {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)
}

/// A rate per mille as shown: `1.5%`.
pub fn rate_label(rate_permille: i32) -> String {
    format!("{}%", f64::from(rate_permille) / 10.0)
}

/// `2026-01`.
pub fn month_label(month: NaiveDate) -> String {
    format!("{:04}-{:02}", month.year(), month.month())
}

/// The first of the month `date` falls in.
pub(super) fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// The first of the month `n` months after `month` (before it when negative).
pub(super) fn add_months(month: NaiveDate, n: i32) -> NaiveDate {
    let moved = if n >= 0 {
        month.checked_add_months(Months::new(n.unsigned_abs()))
    } else {
        month.checked_sub_months(Months::new(n.unsigned_abs()))
    };
    moved.unwrap_or(month)
}

/// The months from `first` to `last`, both included.
pub(super) fn months_between(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = first;
    while m <= last {
        out.push(m);
        m = add_months(m, 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_brackets_of_the_dues_rules() {
        let yuan = |y: i64| Some(y * 100);
        let monthly = |c, b| standard_dues(c, b).map(|(_, m)| m);
        // 3,000 元 after tax at 0.5 %: 15 元; 3,000.01 元 at 1 %.
        assert_eq!(monthly(Category::InService, yuan(3_000)), Some(1_500));
        assert_eq!(
            standard_dues(Category::InService, Some(300_001)),
            Some((Some(10), 3_000))
        );
        assert_eq!(monthly(Category::InService, yuan(8_000)), Some(12_000));
        assert_eq!(monthly(Category::InService, yuan(12_000)), Some(24_000));
        assert_eq!(monthly(Category::Retired, yuan(4_000)), Some(2_000));
        assert_eq!(monthly(Category::Retired, yuan(6_000)), Some(6_000));
        assert_eq!(standard_dues(Category::Unemployed, None), Some((None, 20)));
        assert_eq!(
            standard_dues(Category::Graduate, Some(200_000)),
            Some((None, 20))
        );
        assert_eq!(standard_dues(Category::Retired, None), None);
        // Rounded to the fen: 1,234.56 元 at 0.5 % is 6.1728 元.
        assert_eq!(monthly(Category::Retired, Some(123_456)), Some(617));
        assert_eq!(
            (rate_label(5), rate_label(15), rate_label(20)),
            ("0.5%".into(), "1.5%".into(), "2%".into())
        );
    }

    #[test]
    fn months_are_typed_as_year_and_month() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).expect("date");
        let first = |y, m| NaiveDate::from_ymd_opt(y, m, 1).expect("date");
        assert_eq!(parse_month("m", "2026-01", today), Ok(first(2026, 1)));
        assert_eq!(parse_month("m", " 2027-3 ", today), Ok(first(2027, 3)));
        for bad in [
            "2026", "2026-13", "2029-01", "1999-12", "2026-00", "x-1", "2026-1-1",
        ] {
            assert!(parse_month("m", bad, today).is_err(), "{bad}");
        }
        assert_eq!(months_between(first(2026, 11), first(2027, 2)).len(), 4);
        assert_eq!(add_months(first(2026, 3), -6), first(2025, 9));
    }
}
