//! 项目清单 (供需对接): a need matched to one or more resources, with an owner unit, a lead
//! person, a deadline, a status and, when done, the outcome and how many people it served.
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{needs, partners, resources, CoopTx, Viewer};
use crate::entities::{coop_need, coop_project, coop_project_resource, coop_resource, coop_unit};
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::Row;
use crate::validate::{optional_text, plain_date, required_text};

pub use crate::kinds::ProjectStatus;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectInput {
    /// The need it answers (its id), or empty.
    pub need: String,
    pub title: String,
    pub owner_unit: String,
    pub lead_person: String,
    pub deadline: String,
    /// Resource ids.
    pub resources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: Uuid,
    pub community_id: Option<Uuid>,
    pub need: Option<(Uuid, String)>,
    pub title: String,
    pub owner_unit: (Uuid, String),
    pub lead_person: String,
    pub deadline: NaiveDate,
    pub status: ProjectStatus,
    pub outcome: Option<String>,
    pub beneficiaries: Option<u32>,
    pub resources: Vec<(Uuid, String)>,
    pub overdue: bool,
}

/// Who plans projects: the street (for the street) or a community's staff (for the community).
fn planner(tx: &CoopTx) -> DomainResult<Option<Uuid>> {
    match (tx.viewer(), tx.tx().role()) {
        (Viewer::Street, _) => Ok(None),
        (Viewer::Community(_), Role::Member) | (Viewer::Unit(_), _) => Err(DomainError::Forbidden),
        (Viewer::Community(c), _) => Ok(Some(c)),
    }
}

fn parse_ids(field: &str, values: &[String]) -> DomainResult<Vec<Uuid>> {
    let mut ids = Vec::new();
    for value in values {
        let id =
            Uuid::parse_str(value.trim()).map_err(|_| DomainError::invalid(field, "not_found"))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Plans a project with resources the planner sees (a community: of its paired units).
pub async fn create_project(
    tx: &CoopTx,
    input: &ProjectInput,
    today: NaiveDate,
) -> DomainResult<Uuid> {
    let community = planner(tx)?;
    let title = required_text("project_title", &input.title, 100)?;
    let lead = required_text("lead_person", &input.lead_person, 64)?;
    let deadline = plain_date("deadline", &input.deadline)?;
    if deadline < today {
        return Err(DomainError::invalid("deadline", "in_past"));
    }
    let owner = Uuid::parse_str(input.owner_unit.trim())
        .map_err(|_| DomainError::invalid("owner_unit", "required"))?;
    if !partners(tx).await?.iter().any(|u| u.id == owner) {
        return Err(DomainError::invalid("owner_unit", "not_paired"));
    }
    let picked = parse_ids("resources", &input.resources)?;
    if picked.is_empty() {
        return Err(DomainError::invalid("resources", "required"));
    }
    let offered = resources(tx).await?;
    if !picked
        .iter()
        .all(|id| offered.iter().any(|r| r.id == *id && r.active))
    {
        return Err(DomainError::invalid("resources", "not_found"));
    }
    let need = match input.need.trim() {
        "" => None,
        id => {
            let id = Uuid::parse_str(id).map_err(|_| DomainError::invalid("need", "not_found"))?;
            if !needs(tx).await?.iter().any(|n| n.id == id) {
                return Err(DomainError::invalid("need", "not_found"));
            }
            Some(id)
        }
    };
    let id = Uuid::now_v7();
    coop_project::ActiveModel {
        tenant_id: Set(tx.street_id()),
        id: Set(id),
        community_id: Set(community),
        need_id: Set(need),
        title: Set(title),
        owner_unit_id: Set(owner),
        lead_person: Set(lead),
        deadline: Set(deadline),
        status: Set(ProjectStatus::Planned),
        outcome: Set(None),
        beneficiaries: Set(None),
        created_on: Set(today),
    }
    .insert_in(tx.tx())
    .await?;
    let rows = picked
        .into_iter()
        .map(|resource| coop_project_resource::ActiveModel {
            tenant_id: Set(tx.street_id()),
            project_id: Set(id),
            resource_id: Set(resource),
        });
    tx.tx().insert_many(rows).await?;
    Ok(id)
}

/// The projects the viewer sees: the street its own; a community's staff theirs; a unit those
/// it owns.
pub async fn projects(tx: &CoopTx, today: NaiveDate) -> DomainResult<Vec<Project>> {
    let mut select = tx.tx().find::<coop_project::Entity>();
    match (tx.viewer(), tx.tx().role()) {
        (Viewer::Street, _) => select = select.filter(coop_project::Column::CommunityId.is_null()),
        (Viewer::Community(_), Role::Member) => return Err(DomainError::Forbidden),
        (Viewer::Community(c), _) => {
            select = select.filter(coop_project::Column::CommunityId.eq(c))
        }
        (Viewer::Unit(u), _) => select = select.filter(coop_project::Column::OwnerUnitId.eq(u)),
    }
    let found = select
        .order_by_asc(coop_project::Column::Deadline)
        .all(tx.tx())
        .await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let links = tx
        .tx()
        .find::<coop_project_resource::Entity>()
        .filter(coop_project_resource::Column::ProjectId.is_in(found.iter().map(|p| p.id)))
        .all(tx.tx())
        .await?;
    // Names of what the projects use, read across the street (the projects are the viewer's).
    let all_resources = tx
        .tx()
        .find_ids::<coop_resource::Entity>(links.iter().map(|l| l.resource_id))
        .await?;
    let all_units = tx
        .tx()
        .find_ids::<coop_unit::Entity>(found.iter().map(|p| p.owner_unit_id))
        .await?;
    let need_titles = tx
        .tx()
        .find_ids::<coop_need::Entity>(found.iter().filter_map(|p| p.need_id))
        .await?;
    Ok(found
        .into_iter()
        .map(|p| {
            let status = p.status;
            Project {
                id: p.id,
                community_id: p.community_id,
                need: p.need_id.map(|id| {
                    let title = need_titles
                        .iter()
                        .find(|n| n.id == id)
                        .map(|n| n.title.clone());
                    (id, title.unwrap_or_default())
                }),
                owner_unit: (
                    p.owner_unit_id,
                    all_units
                        .iter()
                        .find(|u| u.id == p.owner_unit_id)
                        .map(|u| u.name.clone())
                        .unwrap_or_default(),
                ),
                resources: links
                    .iter()
                    .filter(|l| l.project_id == p.id)
                    .filter_map(|l| all_resources.iter().find(|r| r.id == l.resource_id))
                    .map(|r| (r.id, r.name.clone()))
                    .collect(),
                overdue: status != ProjectStatus::Done && p.deadline < today,
                beneficiaries: p.beneficiaries.and_then(|n| u32::try_from(n).ok()),
                status,
                title: p.title,
                lead_person: p.lead_person,
                deadline: p.deadline,
                outcome: p.outcome,
            }
        })
        .collect())
}

/// Moves a project on: its planner or its owner unit. Done needs the outcome.
pub async fn update_project(
    tx: &CoopTx,
    id: Uuid,
    status: &str,
    outcome: &str,
    beneficiaries: &str,
    today: NaiveDate,
) -> DomainResult<()> {
    if !projects(tx, today).await?.iter().any(|p| p.id == id) {
        return Err(DomainError::NotFound);
    }
    let status = ProjectStatus::parse(status)
        .ok_or_else(|| DomainError::invalid("project_status", "not_in_list"))?;
    let outcome = optional_text("outcome", outcome, 500)?;
    let served = match beneficiaries.trim() {
        "" => None,
        n => Some(
            n.parse::<u32>()
                .ok()
                .filter(|n| *n <= 1_000_000)
                .ok_or_else(|| DomainError::invalid("beneficiaries", "bad_value"))?,
        ),
    };
    if status == ProjectStatus::Done && outcome.is_none() {
        return Err(DomainError::invalid("outcome", "required"));
    }
    let found = tx
        .tx()
        .find::<coop_project::Entity>()
        .filter(coop_project::Column::Id.eq(id))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut active: coop_project::ActiveModel = found.into();
    active.status = Set(status);
    active.outcome = Set(outcome);
    active.beneficiaries = Set(served.and_then(|n| i32::try_from(n).ok()));
    active.update_in(tx.tx()).await?;
    Ok(())
}
