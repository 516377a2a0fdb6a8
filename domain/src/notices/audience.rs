//! Whom a notice reaches: the nodes it goes to, and the accounts in each. Members are reached
//! through their login (a member without one has no message centre); the sender is left out.
use std::collections::BTreeSet;

use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::NoticeAudience;
use crate::db::Db;
use crate::entities::{member, member_report, org_node, role_assignment, user};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{NodeKind, PlacementKind, Role, Status};
use crate::org::placements::{list_placements, subtree as placements_under};
use crate::tenancy::{shared, TenantTx};

/// A node a notice goes to. Staff are known before the transaction (their roles are kept in a
/// shared table); members are read in the node's own tenant.
pub(super) struct Target {
    pub node: Uuid,
    staff: Option<Vec<Uuid>>,
    sender: Uuid,
}

/// A target with the accounts it reaches.
pub(super) struct Reached {
    pub node: Uuid,
    pub users: Vec<Uuid>,
}

/// The nodes `audience` sends to from `node`, in code order, with their staff where the
/// audience is staff.
pub(super) async fn targets(
    db: &Db,
    node: &org_node::Model,
    audience: NoticeAudience,
    sender: Uuid,
) -> DomainResult<Vec<Target>> {
    use NoticeAudience::*;
    let nodes: Vec<Uuid> = match (node.kind, audience) {
        (NodeKind::Community, _) => vec![node.id],
        (NodeKind::District, StreetStaff) => below(db, node, NodeKind::Street).await?,
        (NodeKind::Street | NodeKind::District, CommunityStaff | AllMembers) => {
            below(db, node, NodeKind::Community).await?
        }
        _ => return Err(DomainError::Forbidden),
    };
    let staff_role = |role: Role| match audience {
        Staff | CommunityStaff => role.manages(),
        StreetStaff => role == Role::StreetStaff,
        Members | Branch | InService | AllMembers => false,
    };
    let wants_staff = matches!(audience, Staff | CommunityStaff | StreetStaff);
    let mut staff = std::collections::HashMap::<Uuid, BTreeSet<Uuid>>::new();
    if wants_staff {
        for chunk in nodes.chunks(500) {
            let held = shared::find::<role_assignment::Entity>()
                .filter(role_assignment::Column::NodeId.is_in(chunk.iter().copied()))
                .all(db)
                .await?;
            for a in held.into_iter().filter(|a| staff_role(a.role)) {
                staff.entry(a.node_id).or_default().insert(a.user_id);
            }
        }
    }
    Ok(nodes
        .into_iter()
        .map(|id| Target {
            node: id,
            staff: wants_staff.then(|| staff.remove(&id).unwrap_or_default().into_iter().collect()),
            sender,
        })
        .collect())
}

/// The nodes of `kind` under `node`, in code order: walked down by parent, a level at a time
/// (a street's communities are its children, a district's its grandchildren).
async fn below(db: &Db, node: &org_node::Model, kind: NodeKind) -> DomainResult<Vec<Uuid>> {
    let mut level = vec![node.id];
    loop {
        let mut children = Vec::new();
        for chunk in level.chunks(500) {
            children.extend(
                shared::find::<org_node::Entity>()
                    .filter(org_node::Column::ParentId.is_in(chunk.iter().copied()))
                    .all(db)
                    .await?,
            );
        }
        if children.is_empty() || children.iter().any(|n| n.kind == kind) {
            children.retain(|n| n.kind == kind);
            children.sort_by(|a, b| a.code.cmp(&b.code));
            return Ok(children.into_iter().map(|n| n.id).collect());
        }
        level = children.into_iter().map(|n| n.id).collect();
    }
}

/// The grid branch a notice to one branch goes to: a 支部书记's own, else the one chosen, which
/// must be a grid branch of this community.
pub(super) async fn branch(tx: &TenantTx, chosen: &str) -> DomainResult<Uuid> {
    if tx.role() == Role::BranchSecretary {
        return tx.branch().ok_or(DomainError::Forbidden);
    }
    let id = Uuid::parse_str(chosen.trim())
        .map_err(|_| DomainError::invalid("branch", "not_in_list"))?;
    list_placements(tx)
        .await?
        .iter()
        .find(|p| p.id == id && p.kind == PlacementKind::GridBranch)
        .map(|p| p.id)
        .ok_or_else(|| DomainError::invalid("branch", "not_in_list"))
}

/// The grid branches the sender chooses from for a notice to one branch: none for a 支部书记
/// (theirs goes without choosing) or a role that cannot send to a branch.
pub async fn branch_choices(
    db: &Db,
    scope: &crate::tenancy::TenantScope,
) -> DomainResult<Vec<crate::org::placements::Placement>> {
    let kind = db.node(scope.tenant_id()).await?.map(|n| n.kind);
    let may_choose = kind
        .is_some_and(|kind| super::audiences(kind, scope.role()).contains(&NoticeAudience::Branch))
        && scope.role() != Role::BranchSecretary;
    if !may_choose {
        return Ok(Vec::new());
    }
    let tx = scope.read(db).await?;
    let mut units = list_placements(&tx).await?;
    crate::tenancy::Commit::commit(tx).await?;
    units.retain(|u| u.kind == PlacementKind::GridBranch);
    Ok(units)
}

/// The accounts `target` reaches, read in its tenant (`tx` is the sender's transaction).
pub(super) async fn recipients(
    tx: &TenantTx,
    target: Target,
    audience: NoticeAudience,
    branch: Option<Uuid>,
) -> DomainResult<Reached> {
    let sender = target.sender;
    let users: BTreeSet<Uuid> = match target.staff {
        Some(staff) => staff.into_iter().collect(),
        None => {
            super::in_node(tx, target.node, async |there: &TenantTx| {
                members_reached(there, audience, branch).await
            })
            .await?
        }
    };
    let users: Vec<Uuid> = users.into_iter().filter(|u| *u != sender).collect();
    Ok(Reached {
        node: target.node,
        users: active_only(tx, users).await?,
    })
}

/// The accounts that can sign in: a disabled one gets nothing.
pub(crate) async fn active_only(tx: &TenantTx, users: Vec<Uuid>) -> DomainResult<Vec<Uuid>> {
    let mut active = Vec::with_capacity(users.len());
    for chunk in users.chunks(500) {
        let ids: Vec<Uuid> = shared::find::<user::Entity>()
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .filter(user::Column::Active.eq(true))
            .select_only()
            .column(user::Column::Id)
            .into_tuple()
            .all(tx)
            .await?;
        active.extend(ids);
    }
    active.sort_unstable();
    Ok(active)
}

/// The logins of the community's members (not transferred out) in the audience.
async fn members_reached(
    tx: &TenantTx,
    audience: NoticeAudience,
    branch: Option<Uuid>,
) -> DomainResult<BTreeSet<Uuid>> {
    let mut select = tx
        .find::<member::Entity>()
        .filter(member::Column::UserId.is_not_null())
        .filter(member::Column::Status.ne(Status::TransferredOut.as_str()));
    match (audience, branch) {
        (NoticeAudience::Branch, Some(branch)) => {
            let units = placements_under(&list_placements(tx).await?, branch);
            select = select.filter(member::Column::UnitId.is_in(units));
        }
        (NoticeAudience::InService, _) => {
            let reported = tx
                .find::<member_report::Entity>()
                .filter(member_report::Column::Status.eq("confirmed"))
                .select_only()
                .column(member_report::Column::MemberId);
            select = select.filter_in(member::Column::Id, reported)?;
        }
        (NoticeAudience::Members | NoticeAudience::AllMembers, _) => {}
        _ => return Err(DomainError::Forbidden),
    }
    Ok(select
        .all(tx)
        .await?
        .into_iter()
        .filter_map(|m| m.user_id)
        .collect())
}
