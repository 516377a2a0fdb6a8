//! China time (Asia/Shanghai) for every date a person sees or a rule counts by, whatever the
//! host's zone. China has kept UTC+8 without daylight saving since 1991, so a fixed offset is
//! exact for every date the product handles.
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, Utc};

/// UTC+8.
pub const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// Now, in China time.
pub fn now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&CHINA)
}

/// Today's date in China.
pub fn today() -> NaiveDate {
    now().date_naive()
}

/// The date of a moment in China.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&CHINA).date_naive()
}

/// A wall-clock time typed in China (a form's datetime-local) as an instant. Callers check the
/// year first; the smallest time chrono knows has no instant 8 hours earlier and stays itself.
pub fn from_china(t: NaiveDateTime) -> DateTime<Utc> {
    t.checked_sub_signed(TimeDelta::seconds(i64::from(CHINA.local_minus_utc())))
        .unwrap_or(t)
        .and_utc()
}

/// `2026-11`: the local month of a moment, as monthly figures are keyed.
pub fn month_key(t: DateTime<Utc>) -> String {
    use chrono::Datelike;
    let t = t.with_timezone(&CHINA);
    format!("{:04}-{:02}", t.year(), t.month())
}

/// The year and month (0–11) of a moment, in China time.
pub fn local_month(t: DateTime<Utc>) -> (i32, u32) {
    use chrono::Datelike;
    let t = t.with_timezone(&CHINA);
    (t.year(), t.month0())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn china_is_eight_hours_ahead_of_utc_whatever_the_host_zone() {
        let late_utc = Utc
            .with_ymd_and_hms(2026, 11, 30, 19, 0, 0)
            .single()
            .expect("time");
        assert_eq!(
            late_utc.with_timezone(&CHINA).date_naive(),
            NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
        );
        let typed = NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(3, 0, 0))
            .expect("time");
        assert_eq!(from_china(typed), late_utc);
    }
}
