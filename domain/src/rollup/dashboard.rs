//! 党建统筹: the figures of a node's subtree for its dashboard — members, 双报到 and lost
//! contact, activities by kind this month, quarter and year, attendance, volunteer time,
//! points, 三会一课, co-construction — with the last twelve months and the same figures for
//! each direct child, for ranking and drill-down.
//! Counters only: nothing here names or describes a person.
use std::collections::HashMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::member_figures::{self, MemberFigures};
use super::{
    breakdown_of, figures_of, org_life, read_totals, ChildFigures, Figures, MemberBreakdown,
    OrgLifeFigures, RollupScope,
};
use crate::db::Db;
use crate::error::DomainResult;
use crate::kinds::ActivityKind;

/// Figures of one subtree (a child's, or the node's own) for the year of `now`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Activities of each kind this month, quarter and year (the totals are their sums).
    pub by_kind: Vec<KindFigures>,
    /// Attendance marks this year, and how many of them were 已签到.
    pub marked: i64,
    pub attended: i64,
    pub volunteer_minutes: i64,
    pub points: i64,
}

/// Activities of one kind held this month, this quarter and this year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindFigures {
    pub kind: ActivityKind,
    pub this_month: i64,
    pub this_quarter: i64,
    pub this_year: i64,
}

impl Activity {
    pub fn this_month(&self) -> i64 {
        self.by_kind.iter().map(|k| k.this_month).sum()
    }

    pub fn this_quarter(&self) -> i64 {
        self.by_kind.iter().map(|k| k.this_quarter).sum()
    }

    pub fn this_year(&self) -> i64 {
        self.by_kind.iter().map(|k| k.this_year).sum()
    }

    /// Attended of marked, in percent (none before any mark).
    pub fn attendance_rate(&self) -> Option<f64> {
        (self.marked > 0).then(|| self.attended as f64 * 100.0 / self.marked as f64)
    }
}

/// The co-construction figures of a subtree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coop {
    pub needs_open: i64,
    /// Claimed, or delivered and awaiting confirmation.
    pub needs_claimed: i64,
    pub needs_done: i64,
    pub needs_escalated: i64,
    /// Active resources of the street's units (counted at the street).
    pub resources: i64,
    /// Planned or under way.
    pub projects_active: i64,
    pub projects_done: i64,
    /// Joint meetings held (minutes written) this year.
    pub meetings_held: i64,
    pub resolutions: i64,
    pub resolutions_done: i64,
    /// Open past their due date.
    pub resolutions_overdue: i64,
}

impl Coop {
    /// 办结率: closed of all resolutions, in percent (none before any).
    pub fn completion_rate(&self) -> Option<f64> {
        (self.resolutions > 0)
            .then(|| self.resolutions_done as f64 * 100.0 / self.resolutions as f64)
    }
}

fn coop_of(sums: &HashMap<String, i64>, now: DateTime<Utc>) -> Coop {
    let local = now.with_timezone(&crate::clock::CHINA);
    let today = local.date_naive().to_string();
    let year = format!("coop.meetings.{:04}-", local.year());
    let get = |name: &str| sums.get(name).copied().unwrap_or(0);
    let sum_where = |keep: &dyn Fn(&str) -> bool| {
        sums.iter()
            .filter(|(name, _)| keep(name))
            .map(|(_, n)| *n)
            .sum::<i64>()
    };
    Coop {
        needs_open: get("coop.needs.open"),
        needs_claimed: get("coop.needs.claimed") + get("coop.needs.delivered"),
        needs_done: get("coop.needs.done"),
        needs_escalated: get("coop.needs.escalated"),
        resources: get("coop.resources"),
        projects_active: get("coop.projects.planned") + get("coop.projects.active"),
        projects_done: get("coop.projects.done"),
        meetings_held: sum_where(&|name| name.starts_with(&year)),
        resolutions: get("coop.res.total"),
        resolutions_done: get("coop.res.done"),
        resolutions_overdue: sum_where(&|name| {
            name.strip_prefix("coop.res.open_due.")
                .is_some_and(|due| due < today.as_str())
        }),
    }
}

/// One month of the trend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthPoint {
    /// `2026-11`.
    pub month: String,
    pub activities: i64,
    pub marked: i64,
    pub attended: i64,
    pub volunteer_minutes: i64,
    pub points: i64,
    /// Joint meetings held (minutes written).
    pub meetings: i64,
}

impl MonthPoint {
    /// Attended of marked, in percent (none before any mark).
    pub fn attendance_rate(&self) -> Option<f64> {
        (self.marked > 0).then(|| self.attended as f64 * 100.0 / self.marked as f64)
    }

    fn of(sums: &HashMap<String, i64>, month: String) -> MonthPoint {
        let get = |family: &str| sums.get(&format!("{family}.{month}")).copied().unwrap_or(0);
        MonthPoint {
            activities: ActivityKind::ALL
                .iter()
                .map(|k| get(&format!("act.{}", k.as_str())))
                .sum(),
            marked: get("att.marked"),
            attended: get("att.attended"),
            volunteer_minutes: get("vol.minutes"),
            points: get("pts"),
            meetings: get("coop.meetings"),
            month,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildDashboard {
    pub figures: ChildFigures,
    pub members: MemberFigures,
    pub activity: Activity,
    pub coop: Coop,
    pub org_life: OrgLifeFigures,
}

impl ChildDashboard {
    /// Marked on a ranking: branches behind on 三会一课, resolutions overdue, or members out of
    /// contact.
    pub fn is_behind(&self) -> bool {
        self.org_life.behind > 0
            || self.coop.resolutions_overdue > 0
            || self.members.lost_contact > 0
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub year: i32,
    pub totals: Figures,
    pub breakdown: MemberBreakdown,
    pub members: MemberFigures,
    pub activity: Activity,
    pub coop: Coop,
    pub org_life: OrgLifeFigures,
    /// The twelve months up to this one, oldest first.
    pub trend: Vec<MonthPoint>,
    pub children: Vec<ChildDashboard>,
}

/// `YYYY-MM` of the twelve months up to `now`'s, oldest first.
fn last_twelve(now: DateTime<Utc>) -> Vec<String> {
    let local = now.with_timezone(&crate::clock::CHINA);
    let first = NaiveDate::from_ymd_opt(local.year(), local.month(), 1);
    (0..12u32)
        .rev()
        .filter_map(|back| first?.checked_sub_months(Months::new(back)))
        .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
        .collect()
}

/// The activity figures of one set of summed counters.
fn activity_of(sums: &HashMap<String, i64>, now: DateTime<Utc>) -> Activity {
    let local = now.with_timezone(&crate::clock::CHINA);
    let (year, month) = (local.year(), local.month());
    let quarter_start = (month - 1) / 3 * 3 + 1;
    let get = |name: String| sums.get(&name).copied().unwrap_or(0);
    let months = |from: u32| (from..=month).map(move |m| format!("{year:04}-{m:02}"));
    let year_of = |family: &str| {
        (1..=12)
            .map(|m| get(format!("{family}.{year:04}-{m:02}")))
            .sum::<i64>()
    };
    Activity {
        by_kind: ActivityKind::ALL
            .iter()
            .map(|k| {
                let of = |m: String| get(format!("act.{}.{m}", k.as_str()));
                KindFigures {
                    kind: *k,
                    this_month: months(month).map(&of).sum(),
                    this_quarter: months(quarter_start).map(&of).sum(),
                    this_year: year_of(&format!("act.{}", k.as_str())),
                }
            })
            .collect(),
        marked: year_of("att.marked"),
        attended: year_of("att.attended"),
        volunteer_minutes: year_of("vol.minutes"),
        points: year_of("pts"),
    }
}

/// The counters the dashboard reads: the headline figures, members by category and status,
/// this year's and last year's monthly families, 三会一课 and the co-construction figures.
fn wanted(years: [i32; 2]) -> String {
    let months = years
        .iter()
        .map(|y| format!("t.metric LIKE '%.{y:04}-%'"))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!(
        "{months} OR t.metric LIKE 'coop.%' OR t.metric LIKE 'ol.%' OR t.metric LIKE 'members%' \
         OR t.metric LIKE 'reports.%' OR t.metric IN ('communities', 'grid_branches')"
    )
}

/// The dashboard of the scope's node as of `now`: its subtree totals and its children's, in
/// two reads, kept until something below changes (`super::kept`).
pub async fn dashboard(
    db: &Db,
    scope: &RollupScope,
    now: DateTime<Utc>,
) -> DomainResult<Dashboard> {
    super::kept(db, scope, "dashboard", now, read_dashboard(db, scope, now)).await
}

async fn read_dashboard(
    db: &Db,
    scope: &RollupScope,
    now: DateTime<Utc>,
) -> DomainResult<Dashboard> {
    let year = now.with_timezone(&crate::clock::CHINA).year();
    let (own, children) = read_totals(db, scope, &wanted([year - 1, year]), vec![]).await?;
    let children = children
        .into_iter()
        .map(|(node, sums)| ChildDashboard {
            members: member_figures::of_sums(&sums),
            activity: activity_of(&sums, now),
            coop: coop_of(&sums, now),
            org_life: org_life::of_sums(&sums, now),
            figures: ChildFigures {
                node,
                figures: figures_of(&sums),
            },
        })
        .collect();
    let trend = last_twelve(now)
        .into_iter()
        .map(|month| MonthPoint::of(&own, month))
        .collect();
    Ok(Dashboard {
        year,
        totals: figures_of(&own),
        breakdown: breakdown_of(&own),
        members: member_figures::of_sums(&own),
        activity: activity_of(&own, now),
        coop: coop_of(&own, now),
        org_life: org_life::of_sums(&own, now),
        trend,
        children,
    })
}

#[cfg(test)]
mod tests {
    use super::last_twelve;
    use chrono::TimeZone;

    #[test]
    fn twelve_months_back_across_the_new_year() {
        let now = crate::clock::CHINA
            .with_ymd_and_hms(2026, 2, 10, 12, 0, 0)
            .single()
            .expect("time")
            .with_timezone(&chrono::Utc);
        let months = last_twelve(now);
        assert_eq!(months.len(), 12);
        assert_eq!(months.first().map(String::as_str), Some("2025-03"));
        assert_eq!(months.last().map(String::as_str), Some("2026-02"));
    }
}
