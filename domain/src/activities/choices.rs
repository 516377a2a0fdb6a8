//! What an organiser is offered when publishing or changing an activity: the kinds and audiences
//! their part allows, the grid branches and the volunteer teams. The same rules `save_activity`
//! enforces, so the form never offers what would be refused.
use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::{ensure_organiser, ActivityKind, Audience};
use crate::entities::{community_unit, volunteer_team};
use crate::error::DomainResult;
use crate::kinds::PlacementKind;
use crate::tenancy::TenantTx;

/// Kinds, audiences, grid branches and volunteer teams (as id and name) to choose from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choices {
    pub kinds: Vec<ActivityKind>,
    pub audiences: Vec<Audience>,
    pub branches: Vec<(Uuid, String)>,
    /// The building groups of those branches, for a 党小组会 (named with their branch).
    pub groups: Vec<(Uuid, String)>,
    pub teams: Vec<(Uuid, String)>,
}

/// A paired unit's liaison: their unit's own kinds, for no branch and no community team. A
/// 支部书记: any kind, for their own branch only, no community team. The community's staff:
/// everything, with the community's branches and teams.
pub async fn choices(tx: &TenantTx) -> DomainResult<Choices> {
    ensure_organiser(tx)?;
    if tx.acting_unit().is_some() {
        return Ok(Choices {
            kinds: ActivityKind::ALL
                .iter()
                .copied()
                .filter(|k| k.unit_may_organise())
                .collect(),
            audiences: Audience::ALL
                .iter()
                .copied()
                .filter(|a| *a != Audience::Branch)
                .collect(),
            ..Choices::default()
        });
    }
    let units = tx
        .find::<community_unit::Entity>()
        .filter(community_unit::Column::Kind.is_in([
            PlacementKind::GridBranch.as_str(),
            PlacementKind::BuildingGroup.as_str(),
        ]))
        .order_by_asc(community_unit::Column::Id)
        .all(tx)
        .await?;
    let branches = units
        .iter()
        .filter(|u| u.kind == PlacementKind::GridBranch)
        .filter(|u| tx.branch().is_none_or(|own| own == u.id))
        .map(|u| (u.id, u.name.clone()))
        .collect::<Vec<_>>();
    let groups = units
        .iter()
        .filter(|u| u.kind == PlacementKind::BuildingGroup)
        .filter_map(|g| {
            let (_, branch) = branches.iter().find(|(b, _)| Some(*b) == g.parent_id)?;
            Some((g.id, format!("{branch} · {}", g.name)))
        })
        .collect::<Vec<_>>();
    if tx.branch().is_some() {
        return Ok(Choices {
            kinds: ActivityKind::ALL.to_vec(),
            audiences: vec![Audience::Branch],
            branches,
            groups,
            ..Choices::default()
        });
    }
    let mut teams: Vec<(Uuid, String)> = tx
        .find::<volunteer_team::Entity>()
        .all(tx)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    crate::collate::sort_by_label(&mut teams, |t| &t.1);
    Ok(Choices {
        kinds: ActivityKind::ALL.to_vec(),
        audiences: Audience::ALL.to_vec(),
        branches,
        groups,
        teams,
    })
}
