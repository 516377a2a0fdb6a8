//! Volunteer hours of a year, from verified attendance only: per member (everything they
//! served) and per team (what was served at the team's activities, by anyone who came).
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::load;
use crate::activities::{attended_in_year, own_member, start_of_year, Served};
use crate::entities::{activity, member, volunteer_team, volunteer_team_member};
use crate::error::DomainResult;
use crate::members::ensure_staff;
use crate::tenancy::TenantTx;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSummary {
    pub id: Uuid,
    pub name: String,
    pub service_area: Option<String>,
    pub leader: Option<(Uuid, String)>,
    pub members: u32,
    /// The team's activities of the year (not cancelled).
    pub activities: u32,
    /// Volunteer minutes served at them.
    pub minutes: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub member_id: Uuid,
    pub name: String,
    pub joined_on: NaiveDate,
    /// Minutes served at this team's activities, and in all.
    pub team_minutes: u32,
    pub total_minutes: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamActivity {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub attended: u32,
    pub minutes: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamDetail {
    pub summary: TeamSummary,
    pub members: Vec<TeamMember>,
    pub activities: Vec<TeamActivity>,
}

/// One line of the year's volunteer list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volunteer {
    pub member_id: Uuid,
    pub name: String,
    pub activities: u32,
    pub minutes: u32,
    pub teams: Vec<String>,
}

/// A member's own service of the year.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyService {
    pub activities: u32,
    pub minutes: u32,
    pub teams: Vec<String>,
}

/// What the year's pages read once: served time, teams, their members, member names.
struct Year {
    served: Vec<Served>,
    teams: Vec<volunteer_team::Model>,
    memberships: Vec<volunteer_team_member::Model>,
    names: HashMap<Uuid, String>,
    /// Each team's activities of the year that were not cancelled.
    team_activities: Vec<activity::Model>,
}

async fn read_year(tx: &TenantTx, year: i32) -> DomainResult<Year> {
    let served = attended_in_year(tx, year).await?;
    let mut teams = tx.find::<volunteer_team::Entity>().all(tx).await?;
    crate::collate::sort_by_label(&mut teams, |t| &t.name);
    let memberships = tx.find::<volunteer_team_member::Entity>().all(tx).await?;
    let mut ids: Vec<Uuid> = served.iter().map(|s| s.member_id).collect();
    ids.extend(memberships.iter().map(|m| m.member_id));
    ids.sort_unstable();
    ids.dedup();
    let names = tx
        .find_ids::<member::Entity>(ids)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let team_activities = match (start_of_year(year), start_of_year(year + 1)) {
        (Some(from), Some(to)) => {
            tx.find::<activity::Entity>()
                .filter(activity::Column::TeamId.is_not_null())
                .filter(activity::Column::CancelledAt.is_null())
                .filter(activity::Column::StartsAt.gte(from))
                .filter(activity::Column::StartsAt.lt(to))
                .order_by_asc(activity::Column::StartsAt)
                .all(tx)
                .await?
        }
        _ => Vec::new(),
    };
    Ok(Year {
        served,
        teams,
        memberships,
        names,
        team_activities,
    })
}

impl Year {
    fn name(&self, member: Uuid) -> String {
        self.names.get(&member).cloned().unwrap_or_default()
    }

    fn summary(&self, t: &volunteer_team::Model) -> TeamSummary {
        TeamSummary {
            id: t.id,
            name: t.name.clone(),
            service_area: t.service_area.clone(),
            leader: t.leader_member_id.map(|id| (id, self.name(id))),
            members: self
                .memberships
                .iter()
                .filter(|m| m.team_id == t.id)
                .count() as u32,
            activities: self
                .team_activities
                .iter()
                .filter(|a| a.team_id == Some(t.id))
                .count() as u32,
            minutes: self
                .served
                .iter()
                .filter(|s| s.team_id == Some(t.id))
                .map(|s| s.minutes)
                .sum(),
        }
    }

    fn minutes_of(&self, member: Uuid, team: Option<Uuid>) -> u32 {
        self.served
            .iter()
            .filter(|s| s.member_id == member && (team.is_none() || s.team_id == team))
            .map(|s| s.minutes)
            .sum()
    }

    fn team_names_of(&self, member: Uuid) -> Vec<String> {
        self.memberships
            .iter()
            .filter(|m| m.member_id == member)
            .filter_map(|m| self.teams.iter().find(|t| t.id == m.team_id))
            .map(|t| t.name.clone())
            .collect()
    }
}

/// Every team with its size and the year's activities and hours (staff).
pub async fn teams(tx: &TenantTx, year: i32) -> DomainResult<Vec<TeamSummary>> {
    ensure_staff(tx)?;
    let y = read_year(tx, year).await?;
    Ok(y.teams.iter().map(|t| y.summary(t)).collect())
}

/// One team: its members with their hours (at the team's activities and in all), most first,
/// and its activities of the year with attendance (staff).
pub async fn team(tx: &TenantTx, id: Uuid, year: i32) -> DomainResult<TeamDetail> {
    ensure_staff(tx)?;
    let t = load(tx, id).await?;
    let y = read_year(tx, year).await?;
    let mut members: Vec<TeamMember> = y
        .memberships
        .iter()
        .filter(|m| m.team_id == id)
        .map(|m| TeamMember {
            member_id: m.member_id,
            name: y.name(m.member_id),
            joined_on: m.joined_on,
            team_minutes: y.minutes_of(m.member_id, Some(id)),
            total_minutes: y.minutes_of(m.member_id, None),
        })
        .collect();
    members.sort_by_cached_key(|m| {
        let name = crate::collate::name_key(&m.name);
        (std::cmp::Reverse(m.team_minutes), name, m.name.clone())
    });
    let activities = y
        .team_activities
        .iter()
        .filter(|a| a.team_id == Some(id))
        .map(|a| {
            let came = y.served.iter().filter(|s| s.activity_id == a.id);
            TeamActivity {
                id: a.id,
                title: a.title.clone(),
                starts_at: a.starts_at,
                attended: came.clone().count() as u32,
                minutes: came.map(|s| s.minutes).sum(),
            }
        })
        .collect();
    Ok(TeamDetail {
        summary: y.summary(&t),
        members,
        activities,
    })
}

/// Every member who served in the year, most hours first (staff).
pub async fn volunteers(tx: &TenantTx, year: i32) -> DomainResult<Vec<Volunteer>> {
    ensure_staff(tx)?;
    let y = read_year(tx, year).await?;
    let mut per: HashMap<Uuid, (u32, u32)> = HashMap::new();
    for s in y.served.iter().filter(|s| s.minutes > 0) {
        let e = per.entry(s.member_id).or_default();
        e.0 += 1;
        e.1 += s.minutes;
    }
    let mut out: Vec<Volunteer> = per
        .into_iter()
        .map(|(member_id, (activities, minutes))| Volunteer {
            member_id,
            name: y.name(member_id),
            activities,
            minutes,
            teams: y.team_names_of(member_id),
        })
        .collect();
    out.sort_by_cached_key(|p| {
        let name = crate::collate::name_key(&p.name);
        (std::cmp::Reverse(p.minutes), name, p.name.clone())
    });
    Ok(out)
}

/// The signed-in member's own volunteer service of the year and their teams.
pub async fn my_service(tx: &TenantTx, year: i32) -> DomainResult<MyService> {
    let me = own_member(tx).await?;
    let y = read_year(tx, year).await?;
    let mine = y
        .served
        .iter()
        .filter(|s| s.member_id == me.id && s.minutes > 0);
    Ok(MyService {
        activities: mine.clone().count() as u32,
        minutes: mine.map(|s| s.minutes).sum(),
        teams: y.team_names_of(me.id),
    })
}
