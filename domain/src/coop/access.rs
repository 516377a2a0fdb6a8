//! Who gets which part of a street's co-construction space: built from the principal's roles
//! (kept beside the space, so `auth` needs nothing of `coop`).
use uuid::Uuid;

use super::{CoopScope, Viewer};
use crate::auth::Principal;
use crate::db::Db;
use crate::error::{DomainError, DomainResult};
use crate::kinds::{NodeKind, Role};
use crate::tenancy::{Commit, TenantScope};

impl Principal {
    /// A scope on the co-construction space of the street that `node_id` is or belongs to:
    /// street staff see the street's, community staff their community's part, a unit's liaison
    /// their unit's part. Everyone else is refused.
    pub async fn coop_scope(&self, db: &Db, node_id: Uuid) -> DomainResult<CoopScope> {
        let (node, roles) = self.node_and_roles(db, node_id).await?;
        match node.kind {
            NodeKind::Street if roles.contains(&Role::StreetStaff) => {
                let street = TenantScope::new(node.id, self.user_id, Role::StreetStaff);
                Ok(CoopScope::new(street, Viewer::Street))
            }
            NodeKind::Street if roles.contains(&Role::UnitLiaison) => {
                let street = TenantScope::new(node.id, self.user_id, Role::UnitLiaison);
                let tx = street.read(db).await?;
                let unit = self.liaison_unit(&tx).await?;
                tx.commit().await?;
                let unit = unit.ok_or(DomainError::Forbidden)?;
                Ok(CoopScope::new(street, Viewer::Unit(unit.id)))
            }
            NodeKind::Community => {
                // Staff first; a member takes part in the community's micro-wishes only. A
                // 支部书记 works in their branch, not in the community's co-construction.
                let role = roles
                    .iter()
                    .copied()
                    .find(|r| r.manages() && *r != Role::BranchSecretary)
                    .or_else(|| roles.iter().copied().find(|r| *r == Role::Member))
                    .ok_or(DomainError::Forbidden)?;
                let street_id = node.parent_id.ok_or(DomainError::Forbidden)?;
                let street = TenantScope::new(street_id, self.user_id, role);
                Ok(CoopScope::new(street, Viewer::Community(node.id)))
            }
            _ => Err(DomainError::Forbidden),
        }
    }
}
