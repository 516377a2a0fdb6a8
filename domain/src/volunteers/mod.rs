//! 志愿服务队: a community's volunteer teams. Staff form a team, name its leader and add or
//! remove members; a 志愿服务 activity may be run by a team. Hours come only from verified
//! attendance (`hours`): a member's hours are everything they served, a team's the hours
//! served at its activities.
mod hours;

pub use hours::{
    my_service, team, teams, volunteers, MyService, TeamDetail, TeamMember, TeamSummary, Volunteer,
};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entities::{member, volunteer_team, volunteer_team_member};
use crate::error::{DomainError, DomainResult};
use crate::members::{ensure_staff, Status};
use crate::tenancy::{Row, TenantTx};
use crate::validate::{optional_text, required_text};

/// As typed in the team form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamInput {
    pub name: String,
    pub service_area: String,
    /// A member's id, or empty for none.
    pub leader: String,
}

/// Forms a team (no `id`) or changes one. A leader who is not yet in the team joins it.
pub async fn save_team(
    tx: &TenantTx,
    id: Option<Uuid>,
    input: &TeamInput,
    now: DateTime<Utc>,
) -> DomainResult<Uuid> {
    ensure_staff(tx)?;
    let name = required_text("team_name", &input.name, 60)?;
    let service_area = optional_text("service_area", &input.service_area, 500)?;
    let leader = match input.leader.trim() {
        "" => None,
        leader => {
            let id = Uuid::parse_str(leader)
                .map_err(|_| DomainError::invalid("team_leader", "not_in_list"))?;
            Some(active_member(tx, id, "team_leader").await?.id)
        }
    };
    let same_name = tx
        .find::<volunteer_team::Entity>()
        .filter(volunteer_team::Column::Name.eq(name.as_str()))
        .one(tx)
        .await?;
    if same_name.is_some_and(|t| Some(t.id) != id) {
        return Err(DomainError::invalid("team_name", "exists"));
    }
    let id = match id {
        None => {
            let id = Uuid::now_v7();
            volunteer_team::ActiveModel {
                tenant_id: Set(tx.tenant_id()),
                id: Set(id),
                name: Set(name),
                service_area: Set(service_area),
                leader_member_id: Set(leader),
                created_at: Set(now),
            }
            .insert_in(tx)
            .await?;
            id
        }
        Some(id) => {
            let mut active: volunteer_team::ActiveModel = load(tx, id).await?.into();
            active.name = Set(name);
            active.service_area = Set(service_area);
            active.leader_member_id = Set(leader);
            active.update_in(tx).await?;
            id
        }
    };
    if let Some(leader) = leader {
        if membership(tx, id, leader).await?.is_none() {
            insert_member(tx, id, leader, now).await?;
        }
    }
    Ok(id)
}

/// Adds a member of the community (not transferred out) to a team.
pub async fn add_member(
    tx: &TenantTx,
    team: Uuid,
    member: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    ensure_staff(tx)?;
    load(tx, team).await?;
    let member = active_member(tx, member, "member").await?;
    if membership(tx, team, member.id).await?.is_some() {
        return Err(DomainError::invalid("member", "already_in_team"));
    }
    insert_member(tx, team, member.id, now).await
}

/// Takes a member off a team (the hours they served stay with the team's activities). The
/// leader steps down with it.
pub async fn remove_member(tx: &TenantTx, team: Uuid, member: Uuid) -> DomainResult<()> {
    ensure_staff(tx)?;
    let current = load(tx, team).await?;
    let row = membership(tx, team, member)
        .await?
        .ok_or(DomainError::NotFound)?;
    if current.leader_member_id == Some(member) {
        let mut active: volunteer_team::ActiveModel = current.into();
        active.leader_member_id = Set(None);
        active.update_in(tx).await?;
    }
    let row: volunteer_team_member::ActiveModel = row.into();
    row.delete_in(tx).await?;
    Ok(())
}

/// The teams as (id, name), for the activity form's choice.
pub async fn team_choices(tx: &TenantTx) -> DomainResult<Vec<(Uuid, String)>> {
    ensure_staff(tx)?;
    let mut out: Vec<(Uuid, String)> = tx
        .find::<volunteer_team::Entity>()
        .all(tx)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    crate::collate::sort_by_label(&mut out, |t| &t.1);
    Ok(out)
}

pub(crate) async fn load(tx: &TenantTx, id: Uuid) -> DomainResult<volunteer_team::Model> {
    tx.find::<volunteer_team::Entity>()
        .filter(volunteer_team::Column::Id.eq(id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)
}

async fn active_member(tx: &TenantTx, id: Uuid, field: &str) -> DomainResult<member::Model> {
    tx.find::<member::Entity>()
        .filter(member::Column::Id.eq(id))
        .filter(member::Column::Status.ne(Status::TransferredOut.as_str()))
        .one(tx)
        .await?
        .ok_or_else(|| DomainError::invalid(field, "not_in_list"))
}

async fn membership(
    tx: &TenantTx,
    team: Uuid,
    member: Uuid,
) -> DomainResult<Option<volunteer_team_member::Model>> {
    tx.find::<volunteer_team_member::Entity>()
        .filter(volunteer_team_member::Column::TeamId.eq(team))
        .filter(volunteer_team_member::Column::MemberId.eq(member))
        .one(tx)
        .await
}

async fn insert_member(
    tx: &TenantTx,
    team: Uuid,
    member: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    volunteer_team_member::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        team_id: Set(team),
        member_id: Set(member),
        joined_on: Set(now.with_timezone(&crate::clock::CHINA).date_naive()),
    }
    .insert_in(tx)
    .await?;
    Ok(())
}
