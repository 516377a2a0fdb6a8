//! 志愿服务 in the UI: the community's volunteer teams and the year's volunteers with their
//! hours (`list`), one team with its members, their hours and its activities (`team`). Staff
//! only; a member sees their own hours on their points page. Writes are form posts.
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod list;
#[cfg(feature = "ssr")]
mod team;

#[cfg(feature = "ssr")]
pub use fns::{add_team_member, remove_team_member, save_team};
#[cfg(feature = "ssr")]
pub use list::VolunteersPage;
#[cfg(feature = "ssr")]
pub use team::TeamPage;

/// Name of the volunteer forms (their error comes back in the flash).
pub const VOLUNTEER_FORM: &str = "volunteers";

/// Volunteer time as hours, to a tenth: `1.5`.
pub fn hours(minutes: u32) -> String {
    let tenths = (u64::from(minutes) * 10 + 30) / 60;
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        d => format!("{}.{d}", tenths / 10),
    }
}

/// The year asked for in the query (`?year=`), this year when absent or out of range.
#[cfg(feature = "ssr")]
pub(crate) fn year_of(query: Option<String>) -> i32 {
    let this_year = chrono::Datelike::year(&domain::clock::today());
    query
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=this_year).contains(y))
        .unwrap_or(this_year)
}

#[cfg(test)]
mod tests {
    use super::hours;

    #[test]
    fn hours_to_a_tenth() {
        assert_eq!(hours(0), "0");
        assert_eq!(hours(90), "1.5");
        assert_eq!(hours(120), "2");
        assert_eq!(hours(20), "0.3");
        assert_eq!(hours(59), "1");
    }
}
