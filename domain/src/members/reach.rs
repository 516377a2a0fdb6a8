//! The part of a community's roster the actor works with: the whole community for its secretary
//! and workers, one grid branch (its building groups and households with it) for that branch's
//! 支部书记. Every read a 支部书记 may make goes through here; whatever does not, refuses them.
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use crate::entities::member;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::org::placements::{list_placements, subtree, Placement};
use crate::tenancy::TenantTx;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    Community,
    Branch {
        branch: Uuid,
        /// The branch and every placement under it.
        placements: Vec<Uuid>,
    },
}

/// The actor's reach: `Forbidden` for anyone but community staff and a 支部书记 whose role
/// names a branch of this community.
pub(crate) async fn reach(tx: &TenantTx) -> DomainResult<Reach> {
    // Only a 支部书记's reach depends on the placements.
    let units = match (tx.role(), tx.branch()) {
        (Role::BranchSecretary, Some(_)) => list_placements(tx).await?,
        _ => Vec::new(),
    };
    reach_among(tx, &units)
}

/// `reach`, the community's placements already read.
fn reach_among(tx: &TenantTx, units: &[Placement]) -> DomainResult<Reach> {
    reach_of(tx.role(), tx.branch(), units)
}

/// Whether `role` (a 支部书记's naming `branch`) may have a reach at all, before the placements
/// are known: whether the branch is the community's is `reach_of`'s to say.
pub(crate) fn may_reach(role: Role, branch: Option<Uuid>) -> bool {
    match role {
        Role::CommunitySecretary | Role::CommunityWorker => true,
        Role::BranchSecretary => branch.is_some(),
        _ => false,
    }
}

/// The reach of `role` (a 支部书记's in `branch`) among the community's placements `units`.
pub(crate) fn reach_of(
    role: Role,
    branch: Option<Uuid>,
    units: &[Placement],
) -> DomainResult<Reach> {
    if !may_reach(role, branch) {
        return Err(DomainError::Forbidden);
    }
    match (role, branch) {
        (Role::BranchSecretary, Some(branch)) => {
            let placements = subtree(units, branch);
            if placements.is_empty() {
                return Err(DomainError::Forbidden);
            }
            Ok(Reach::Branch { branch, placements })
        }
        // Community staff (`may_reach` let no one else through).
        _ => Ok(Reach::Community),
    }
}

/// The placements the actor works with: all of them, or a 支部书记's branch and the units under
/// it (what the roster's filters and labels name).
pub async fn placements_in_reach(tx: &TenantTx) -> DomainResult<Vec<Placement>> {
    // Read once: a 支部书记's reach is worked out from the same placements.
    let units = list_placements(tx).await?;
    Ok(reach_among(tx, &units)?.units_among(units))
}

impl Reach {
    /// The members within reach, as a condition on `members`.
    pub(crate) fn members(&self) -> Condition {
        match self {
            Reach::Community => Condition::all(),
            Reach::Branch { placements, .. } => {
                Condition::all().add(member::Column::UnitId.is_in(placements.iter().copied()))
            }
        }
    }

    pub(crate) fn covers(&self, m: &member::Model) -> bool {
        self.covers_unit(m.unit_id)
    }

    /// Whether a member placed in `unit` is within reach.
    pub(crate) fn covers_unit(&self, unit: Option<Uuid>) -> bool {
        match self {
            Reach::Community => true,
            Reach::Branch { placements, .. } => unit.is_some_and(|u| placements.contains(&u)),
        }
    }

    /// Of the community's `units`, those within reach.
    pub(crate) fn units_among(&self, mut units: Vec<Placement>) -> Vec<Placement> {
        if let Some(own) = self.placements() {
            units.retain(|u| own.contains(&u.id));
        }
        units
    }

    /// The grid branch, for a 支部书记.
    pub(crate) fn branch(&self) -> Option<Uuid> {
        match self {
            Reach::Community => None,
            Reach::Branch { branch, .. } => Some(*branch),
        }
    }

    pub(crate) fn placements(&self) -> Option<&[Uuid]> {
        match self {
            Reach::Community => None,
            Reach::Branch { placements, .. } => Some(placements),
        }
    }
}
