//! Authorisation: the only place that builds a `TenantScope` or a `RollupScope`.
//! A role on node N gives detail access to N; a staff role also gives aggregates below N.
use crate::tenancy::Commit;
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::Db;
use crate::entities::{coop_pairing, coop_unit, org_node, role_assignment, user};
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::org::{NodeKind, NodeSummary};
use crate::tenancy::recent::ForgetAfter;
use crate::tenancy::RollupScope;
use crate::tenancy::{TenantScope, TenantTx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub role: Role,
    pub node: NodeSummary,
    /// The grid branch a 支部书记's role is held for.
    #[serde(default)]
    pub branch: Option<Uuid>,
}

/// The signed-in user with the roles they hold.
#[derive(Clone, Debug)]
pub struct Principal {
    pub user_id: Uuid,
    pub display_name: String,
    pub login_name: String,
    /// Someone else chose the password (a one-time password): nothing but choosing a new one
    /// is open until it is replaced.
    pub must_change_password: bool,
    pub assignments: Vec<Assignment>,
    /// Each assignment's node path (same order), for subtree tests.
    pub(super) paths: Vec<String>,
}

/// What a principal may do on one node.
#[derive(Debug)]
pub enum NodeAccess {
    /// Staff of this tenant: its detail records, and aggregates of its subtree.
    Manage {
        scope: TenantScope,
        rollup: RollupScope,
    },
    /// A member or liaison of this tenant: their own records only.
    Own { scope: TenantScope },
    /// Staff of an ancestor (or the platform operator): aggregates only.
    Rollup { rollup: RollupScope },
    /// The liaison of a unit paired with this community (结对共建): the activities their unit
    /// runs here, nothing else.
    Paired {
        scope: TenantScope,
        unit_name: String,
    },
}

/// How long a signed-in account's roles are kept in memory between requests. A change made
/// through this process is seen on the next request; one made by another process serving the
/// same database is seen within this time.
const PRINCIPAL_KEPT: std::time::Duration = std::time::Duration::from_secs(5);

impl Principal {
    /// Holds the platform operator's role (the service's own staff: its health, its channels).
    pub fn is_operator(&self) -> bool {
        self.assignments
            .iter()
            .any(|a| a.role == Role::PlatformOperator)
    }

    /// `load`, kept for a few seconds per account (every request of a signed-in person needs
    /// it). Whatever changes an account or its roles forgets it (`Principal::forget_after`).
    pub async fn current(db: &Db, user_id: Uuid) -> DomainResult<Option<Principal>> {
        let kept = db.principals();
        if let Some(principal) = kept.get::<Principal>(&user_id, PRINCIPAL_KEPT) {
            return Ok(Some(Principal::clone(&principal)));
        }
        let read_at = kept.generation();
        let loaded = Principal::load(db, user_id).await?;
        if let Some(principal) = &loaded {
            kept.keep(user_id, std::sync::Arc::new(principal.clone()), read_at);
        }
        Ok(loaded)
    }

    /// Armed before a change to an account or its roles: once the guard is dropped (the change
    /// made, failed or abandoned), the next request reads the account anew.
    pub(crate) fn forget_after(db: &Db, user_id: Uuid) -> ForgetAfter<'_, Uuid> {
        db.principals().forget_after(Some(user_id))
    }

    /// Loads an active user and their role assignments; `None` if the account is gone or disabled.
    pub async fn load(db: &Db, user_id: Uuid) -> DomainResult<Option<Principal>> {
        let Some(account) = crate::tenancy::shared::find_by_id::<user::Entity>(user_id)
            .filter(user::Column::Active.eq(true))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let rows = assignments_with_nodes(db, user_id).await?;
        let mut assignments = Vec::new();
        let mut paths = Vec::new();
        for (assignment, node) in rows {
            let role = assignment.role;
            paths.push(node.path.clone());
            assignments.push(Assignment {
                role,
                node: NodeSummary::from(&node),
                branch: assignment.placement_id,
            });
        }
        Ok(Some(Principal {
            user_id,
            display_name: account.display_name,
            login_name: account.login_name,
            must_change_password: account.must_change_password,
            assignments,
            paths,
        }))
    }

    /// Decides access to a node: detail for a role on the node itself, aggregates for staff of an
    /// ancestor, `Forbidden` for anything else (siblings, other streets, other districts).
    pub async fn access(&self, db: &Db, node_id: Uuid) -> DomainResult<NodeAccess> {
        let (node, own_roles) = self.node_and_roles(db, node_id).await?;
        let kind = node.kind;
        let rollup = RollupScope::new(node.id, node.path.clone(), kind);
        // The widest staff role first: a community worker who is also a 支部书记 works as the
        // worker.
        let staff = own_roles.iter().copied().filter(|r| r.manages());
        if let Some(role) = staff.min_by_key(|r| *r == Role::BranchSecretary) {
            if kind.is_tenant() {
                let scope = TenantScope::new(node.id, self.user_id, role).in_branch(
                    self.branch_on(node.id)
                        .filter(|_| role == Role::BranchSecretary),
                );
                return Ok(NodeAccess::Manage { scope, rollup });
            }
        }
        if self.oversees(&node.path) {
            return Ok(NodeAccess::Rollup { rollup });
        }
        if let Some(role) = own_roles.first().copied() {
            if kind.is_tenant() {
                let scope = TenantScope::new(node.id, self.user_id, role);
                return Ok(NodeAccess::Own { scope });
            }
        }
        if kind == NodeKind::Community {
            if let Some(access) = self.paired(db, &node).await? {
                return Ok(access);
            }
        }
        Err(DomainError::Forbidden)
    }

    /// The node, and the roles the principal holds on it.
    pub(crate) async fn node_and_roles(
        &self,
        db: &Db,
        node_id: Uuid,
    ) -> DomainResult<(org_node::Model, Vec<Role>)> {
        let node = db.node(node_id).await?.ok_or(DomainError::NotFound)?;
        let roles = self
            .assignments
            .iter()
            .filter(|a| a.node.id == node_id)
            .map(|a| a.role)
            .collect();
        Ok((node, roles))
    }

    /// The grid branch the principal's 支部书记 role on `node_id` is held for.
    fn branch_on(&self, node_id: Uuid) -> Option<Uuid> {
        self.assignments
            .iter()
            .find(|a| a.node.id == node_id && a.role == Role::BranchSecretary)
            .and_then(|a| a.branch)
    }

    /// The partner unit the principal is the liaison of, read in the street's transaction.
    pub(crate) async fn liaison_unit(
        &self,
        street: &TenantTx,
    ) -> DomainResult<Option<coop_unit::Model>> {
        street
            .find::<coop_unit::Entity>()
            .filter(coop_unit::Column::LiaisonUserId.eq(self.user_id))
            .one(street)
            .await
    }

    /// `Paired` access when the principal is the liaison of a unit of the community's street
    /// that is paired with the community.
    async fn paired(
        &self,
        db: &Db,
        community: &org_node::Model,
    ) -> DomainResult<Option<NodeAccess>> {
        let Some(street_id) = community.parent_id else {
            return Ok(None);
        };
        let liaison = self
            .assignments
            .iter()
            .any(|a| a.node.id == street_id && a.role == Role::UnitLiaison);
        if !liaison {
            return Ok(None);
        }
        let street = TenantScope::new(street_id, self.user_id, Role::UnitLiaison);
        let tx = street.read(db).await?;
        let unit = self.liaison_unit(&tx).await?;
        let paired = match &unit {
            Some(unit) => tx
                .find::<coop_pairing::Entity>()
                .filter(coop_pairing::Column::UnitId.eq(unit.id))
                .filter(coop_pairing::Column::CommunityId.eq(community.id))
                .one(&tx)
                .await?
                .is_some(),
            None => false,
        };
        tx.commit().await?;
        Ok(unit.filter(|_| paired).map(|unit| NodeAccess::Paired {
            scope: TenantScope::for_unit(community.id, self.user_id, unit.id),
            unit_name: unit.name,
        }))
    }

    /// Detail access to a tenant, for services that need it (staff only).
    pub async fn manage_scope(&self, db: &Db, node_id: Uuid) -> DomainResult<TenantScope> {
        match self.access(db, node_id).await? {
            NodeAccess::Manage { scope, .. } => Ok(scope),
            _ => Err(DomainError::Forbidden),
        }
    }

    /// A scope on a tenant for anyone holding a role there: staff, or a member for their own
    /// records. The domain function decides what that role may do.
    pub async fn tenant_scope(&self, db: &Db, node_id: Uuid) -> DomainResult<TenantScope> {
        match self.access(db, node_id).await? {
            NodeAccess::Manage { scope, .. } | NodeAccess::Own { scope } => Ok(scope),
            NodeAccess::Rollup { .. } | NodeAccess::Paired { .. } => Err(DomainError::Forbidden),
        }
    }

    /// Aggregates of a node's subtree (its dashboard): staff of the node or of an ancestor, and
    /// the platform operator. A member, a liaison, a 支部书记 (who sees one branch, not the
    /// community's figures) or a sibling is refused.
    pub async fn rollup_scope(&self, db: &Db, node_id: Uuid) -> DomainResult<RollupScope> {
        match self.access(db, node_id).await? {
            NodeAccess::Manage { scope, .. } if scope.role() == Role::BranchSecretary => {
                Err(DomainError::Forbidden)
            }
            NodeAccess::Manage { rollup, .. } | NodeAccess::Rollup { rollup } => Ok(rollup),
            NodeAccess::Own { .. } | NodeAccess::Paired { .. } => Err(DomainError::Forbidden),
        }
    }

    /// A scope on a community's activities: as `tenant_scope`, and also for the liaison of a
    /// paired unit (who may run their unit's activities there and nothing else).
    pub async fn activities_scope(&self, db: &Db, node_id: Uuid) -> DomainResult<TenantScope> {
        match self.access(db, node_id).await? {
            NodeAccess::Manage { scope, .. }
            | NodeAccess::Own { scope }
            | NodeAccess::Paired { scope, .. } => Ok(scope),
            NodeAccess::Rollup { .. } => Err(DomainError::Forbidden),
        }
    }

    /// Whether `access` would grant anything for this node (no database needed).
    pub fn may_open(&self, node_id: Uuid, node_path: &str) -> bool {
        self.holds(node_id) || self.oversees(node_path)
    }

    fn oversees(&self, node_path: &str) -> bool {
        self.assignments.iter().zip(&self.paths).any(|(a, path)| {
            (a.role.manages() || a.role == Role::PlatformOperator)
                && node_path.starts_with(path.as_str())
        })
    }

    pub fn holds(&self, node_id: Uuid) -> bool {
        self.assignments.iter().any(|a| a.node.id == node_id)
    }

    /// The node a user lands on after login: their first assignment.
    pub fn home_node(&self) -> Option<Uuid> {
        self.assignments.first().map(|a| a.node.id)
    }
}

/// A user's assignments with their nodes, oldest first.
async fn assignments_with_nodes(
    db: &Db,
    user_id: Uuid,
) -> DomainResult<Vec<(role_assignment::Model, org_node::Model)>> {
    let assignments = crate::tenancy::shared::find::<role_assignment::Entity>()
        .filter(role_assignment::Column::UserId.eq(user_id))
        .order_by_asc(role_assignment::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = assignments.iter().map(|a| a.node_id).collect();
    let nodes = db.nodes(&ids).await?;
    Ok(assignments
        .into_iter()
        .filter_map(|a| {
            let node = nodes.iter().find(|n| n.id == a.node_id)?.clone();
            Some((a, node))
        })
        .collect())
}
