//! Accounts administered down the tree, each level for the level below: the platform operator
//! opens a district's first organiser; a district organiser its peers and its streets' staff;
//! street staff their communities' secretaries and workers; a secretary the community's workers
//! and branch secretaries. Nobody grants a role above their own or outside their subtree, and
//! nobody manages (revokes, deactivates, resets) an account holding a role they could not grant,
//! nor their own, nor a peer's. Every change is audited on the highest node it concerns, which
//! the accounts page of every level above lists.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::authz::Principal;
use super::users::{self, NewUser, PreparedUser};
use super::{account, passwords};
use crate::audit::{self, AuditEvent};
use crate::db::{statement, Db};
use crate::entities::{audit_log, org_node, role_assignment, user};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{NodeKind, Role};
use crate::org::NodeSummary;
use crate::tenancy::{shared, Commit, Runner, Sql};

/// Accounts listed on one page at most (a country's district organisers fit).
const MAX_ACCOUNTS: u64 = 5_000;
/// Account changes listed under the accounts.
const RECENT_CHANGES: u64 = 50;
/// Audit actions that change accounts.
pub const ACCOUNT_ACTIONS: [&str; 7] = [
    "account_opened",
    "role_granted",
    "role_revoked",
    "account_deactivated",
    "account_reactivated",
    "password_reset",
    "operator_created",
];

impl Principal {
    /// Whether this principal may grant `role` on `node`.
    pub fn may_grant(&self, role: Role, node: &org_node::Model) -> bool {
        self.reaches(role, node, true)
    }

    /// Whether this principal may take `role` on `node` back or manage an account holding it:
    /// as `may_grant`, except that district organisers, who open accounts for their peers, do
    /// not manage them (only the operator does), so no peer takes another's account over.
    pub fn may_manage(&self, role: Role, node: &org_node::Model) -> bool {
        self.reaches(role, node, false)
    }

    fn reaches(&self, role: Role, node: &org_node::Model, peers: bool) -> bool {
        role.fits(node.kind)
            && self.assignments.iter().zip(&self.paths).any(|(a, path)| {
                let here = a.node.id == node.id;
                let below = !here && node.path.starts_with(path.as_str());
                match (a.role, role) {
                    (Role::PlatformOperator, Role::DistrictOrganiser) => here || below,
                    (Role::DistrictOrganiser, Role::DistrictOrganiser) => here && peers,
                    (Role::DistrictOrganiser, Role::StreetStaff) => below,
                    (Role::StreetStaff, Role::CommunitySecretary | Role::CommunityWorker) => below,
                    (Role::CommunitySecretary, Role::CommunityWorker | Role::BranchSecretary) => {
                        here
                    }
                    // Members' and liaisons' logins are opened from the roster and the unit's
                    // page, not granted here; their staff reset and close them.
                    (Role::CommunitySecretary | Role::CommunityWorker, Role::Member)
                    | (Role::StreetStaff, Role::UnitLiaison) => here && !peers,
                    _ => false,
                }
            })
    }

    /// The roles this principal grants from its role on `node` and the kind of node each is
    /// held on (what the accounts page of `node` offers). Empty: the page is not theirs.
    pub fn grants_from(&self, node: Uuid) -> Vec<(Role, NodeKind)> {
        let mut grants = Vec::new();
        for a in self.assignments.iter().filter(|a| a.node.id == node) {
            let more: &[(Role, NodeKind)] = match a.role {
                Role::PlatformOperator => &[(Role::DistrictOrganiser, NodeKind::District)],
                Role::DistrictOrganiser => &[
                    (Role::DistrictOrganiser, NodeKind::District),
                    (Role::StreetStaff, NodeKind::Street),
                ],
                Role::StreetStaff => &[
                    (Role::CommunitySecretary, NodeKind::Community),
                    (Role::CommunityWorker, NodeKind::Community),
                ],
                Role::CommunitySecretary => &[
                    (Role::CommunityWorker, NodeKind::Community),
                    (Role::BranchSecretary, NodeKind::Community),
                ],
                _ => &[],
            };
            for grant in more {
                if !grants.contains(grant) {
                    grants.push(*grant);
                }
            }
        }
        grants
    }
}

/// One role an account holds, as the accounts page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldRole {
    pub assignment: Uuid,
    pub role: Role,
    pub node: NodeSummary,
    /// The grid branch a 支部书记's role is held for (`AccountsView::branches` names it).
    pub branch: Option<Uuid>,
    /// Whether the viewer may take it back.
    pub revocable: bool,
}

/// An account on the accounts page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: Uuid,
    pub login_name: String,
    pub display_name: String,
    pub active: bool,
    /// A one-time password not yet replaced.
    pub one_time: bool,
    /// Failed passwords enough to pause it from an address, inside the window.
    pub locked: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    /// The roles it holds that the viewer grants.
    pub roles: Vec<HeldRole>,
    /// Whether the viewer may deactivate it, reactivate it or reset its password.
    pub manageable: bool,
}

/// An account change as the accounts page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChange {
    pub at: DateTime<Utc>,
    pub action: String,
    /// The account changed (login name), and who changed it.
    pub account: String,
    pub by: Option<String>,
    pub detail: String,
}

/// What the accounts page of a node shows: the nodes below where the viewer grants, the
/// accounts holding those roles, and the recent account changes in the subtree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    pub node: NodeSummary,
    pub grants: Vec<(Role, NodeKind)>,
    /// The nodes a role may be granted on, by kind (for a district page its streets; the
    /// operator types a district's code instead, so none).
    pub places: Vec<NodeSummary>,
    /// A community's grid branches, when the viewer grants 支部书记 there.
    pub branches: Vec<(Uuid, String)>,
    pub accounts: Vec<AccountRow>,
    /// More roles are held than one page lists (`MAX_ACCOUNTS`): the oldest are shown.
    pub truncated: bool,
    pub changes: Vec<AccountChange>,
}

/// The nodes the assignments are held on, by id.
async fn nodes_of(
    on: &impl Runner,
    held: &[role_assignment::Model],
) -> DomainResult<HashMap<Uuid, org_node::Model>> {
    let ids: HashSet<Uuid> = held.iter().map(|a| a.node_id).collect();
    Ok(shared::find::<org_node::Entity>()
        .filter(org_node::Column::Id.is_in(ids))
        .all(on)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect())
}

async fn node(db: &Db, id: Uuid) -> DomainResult<org_node::Model> {
    shared::find_by_id::<org_node::Entity>(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// The accounts page of `node_id` for a viewer who grants from there (`Forbidden` otherwise).
pub async fn accounts(db: &Db, viewer: &Principal, node_id: Uuid) -> DomainResult<AccountsView> {
    let grants = viewer.grants_from(node_id);
    if grants.is_empty() {
        return Err(DomainError::Forbidden);
    }
    let here = node(db, node_id).await?;
    let prefix = format!("{}%", here.path);
    let kinds: Vec<NodeKind> = grants.iter().map(|(_, kind)| *kind).collect();
    let roles: Vec<Role> = grants.iter().map(|(role, _)| *role).collect();
    let in_subtree = Query::select()
        .column(org_node::Column::Id)
        .from(org_node::Entity)
        .and_where(org_node::Column::Path.like(prefix.as_str()))
        .and_where(org_node::Column::Kind.is_in(kinds.iter().map(|k| k.as_str())))
        .to_owned();
    let held = shared::find::<role_assignment::Entity>()
        .filter(role_assignment::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .filter(role_assignment::Column::NodeId.in_subquery(in_subtree))
        .order_by_asc(role_assignment::Column::Id)
        .limit(MAX_ACCOUNTS + 1)
        .all(db)
        .await?;
    let truncated = held.len() as u64 > MAX_ACCOUNTS;
    let nodes = nodes_of(db, &held).await?;
    let mut by_user: HashMap<Uuid, Vec<HeldRole>> = HashMap::new();
    for a in held.iter().take(MAX_ACCOUNTS as usize) {
        let Some(n) = nodes.get(&a.node_id) else {
            continue;
        };
        if viewer.may_grant(a.role, n) {
            by_user.entry(a.user_id).or_default().push(HeldRole {
                assignment: a.id,
                role: a.role,
                node: NodeSummary::from(n),
                branch: a.placement_id,
                revocable: a.user_id != viewer.user_id && viewer.may_manage(a.role, n),
            });
        }
    }
    let ids: Vec<Uuid> = by_user.keys().copied().collect();
    let users = shared::find::<user::Entity>()
        .filter(user::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    let paused = super::login::paused_accounts(db, &ids).await?;
    let manageable = manageable_among(db, viewer, &ids).await?;
    let mut accounts: Vec<AccountRow> = users
        .into_iter()
        .map(|u| {
            let mut roles = by_user.remove(&u.id).unwrap_or_default();
            roles.sort_by(|a, b| {
                (&a.node.code, a.role.as_str()).cmp(&(&b.node.code, b.role.as_str()))
            });
            AccountRow {
                id: u.id,
                locked: paused.contains(&u.id),
                manageable: manageable.contains(&u.id),
                login_name: u.login_name,
                display_name: u.display_name,
                active: u.active,
                one_time: u.must_change_password,
                last_login_at: u.last_login_at,
                roles,
            }
        })
        .collect();
    accounts.sort_by(|a, b| {
        let first = |r: &AccountRow| r.roles.first().map(|h| h.node.code.clone());
        (first(a), &a.login_name).cmp(&(first(b), &b.login_name))
    });
    let places = if here.kind == NodeKind::Country {
        Vec::new()
    } else {
        shared::find::<org_node::Entity>()
            .filter(org_node::Column::Path.like(prefix.as_str()))
            .filter(org_node::Column::Kind.is_in(kinds.iter().map(|k| k.as_str())))
            .order_by_asc(org_node::Column::Code)
            .all(db)
            .await?
            .iter()
            .map(NodeSummary::from)
            .collect()
    };
    let changes = recent_changes(db, &here).await?;
    let branches = if roles.contains(&Role::BranchSecretary) {
        grid_branches(db, viewer, here.id).await?
    } else {
        Vec::new()
    };
    Ok(AccountsView {
        node: NodeSummary::from(&here),
        grants,
        places,
        branches,
        accounts,
        truncated,
        changes,
    })
}

/// The account changes on nodes of `here`'s subtree, newest first.
async fn recent_changes(db: &Db, here: &org_node::Model) -> DomainResult<Vec<AccountChange>> {
    // (Each row is one change; a page shows the latest `RECENT_CHANGES` of staff accounts.)
    let in_subtree = Query::select()
        .column(org_node::Column::Id)
        .from(org_node::Entity)
        .and_where(org_node::Column::Path.like(format!("{}%", here.path)))
        .to_owned();
    // Members' and liaisons' logins are granted roles too; those stay the community's and
    // the street's own business (the levels above see staff accounts only).
    let staff_role = |detail: &str| {
        let role = serde_json::from_str::<serde_json::Value>(detail)
            .ok()
            .and_then(|d| d.get("role").and_then(|r| r.as_str()).and_then(Role::parse));
        !matches!(role, Some(Role::Member | Role::UnitLiaison))
    };
    let rows: Vec<audit_log::Model> = shared::find::<audit_log::Entity>()
        .filter(audit_log::Column::Action.is_in(ACCOUNT_ACTIONS))
        .filter(audit_log::Column::OrgNodeId.in_subquery(in_subtree))
        .order_by_desc(audit_log::Column::At)
        .limit(RECENT_CHANGES * 4)
        .all(db)
        .await?
        .into_iter()
        .filter(|r| staff_role(&r.detail))
        .take(RECENT_CHANGES as usize)
        .collect();
    let mut people: HashSet<Uuid> = rows.iter().filter_map(|r| r.actor_user_id).collect();
    people.extend(rows.iter().filter_map(|r| Uuid::parse_str(&r.subject).ok()));
    let names: HashMap<Uuid, String> = shared::find::<user::Entity>()
        .filter(user::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.login_name))
        .collect();
    let name = |text: &str| {
        Uuid::parse_str(text)
            .ok()
            .and_then(|id| names.get(&id).cloned())
            .unwrap_or_else(|| text.to_owned())
    };
    Ok(rows
        .into_iter()
        .map(|r| AccountChange {
            at: r.at,
            action: r.action,
            account: name(&r.subject),
            by: r.actor_user_id.and_then(|id| names.get(&id).cloned()),
            detail: r.detail,
        })
        .collect())
}

/// Of `ids`, the accounts the viewer may manage: not the viewer's own, holding at least one
/// role, and only roles the viewer manages (`Principal::may_manage`).
async fn manageable_among(
    db: &Db,
    viewer: &Principal,
    ids: &[Uuid],
) -> DomainResult<HashSet<Uuid>> {
    let all = shared::find::<role_assignment::Entity>()
        .filter(role_assignment::Column::UserId.is_in(ids.to_vec()))
        .all(db)
        .await?;
    let nodes = nodes_of(db, &all).await?;
    let mut ok: HashSet<Uuid> = ids
        .iter()
        .copied()
        .filter(|id| *id != viewer.user_id)
        .collect();
    for a in &all {
        let reachable = nodes
            .get(&a.node_id)
            .is_some_and(|n| viewer.may_manage(a.role, n));
        if !reachable {
            ok.remove(&a.user_id);
        }
    }
    let holding: HashSet<Uuid> = all.iter().map(|a| a.user_id).collect();
    ok.retain(|id| holding.contains(id));
    Ok(ok)
}

/// The account `user_id` if the viewer may manage it (`NotFound` for one they may not: an
/// account outside their reach is not theirs to know of).
async fn managed(db: &Db, viewer: &Principal, user_id: Uuid) -> DomainResult<user::Model> {
    if !manageable_among(db, viewer, &[user_id])
        .await?
        .contains(&user_id)
    {
        return Err(DomainError::NotFound);
    }
    shared::find_by_id::<user::Entity>(user_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// The node an account change is audited on: the highest of its roles' nodes, so every level
/// that manages the account sees the change.
async fn home_of(on: &impl Runner, user_id: Uuid) -> DomainResult<Option<Uuid>> {
    let roles = shared::find::<role_assignment::Entity>()
        .filter(role_assignment::Column::UserId.eq(user_id))
        .all(on)
        .await?;
    Ok(nodes_of(on, &roles)
        .await?
        .into_values()
        .min_by_key(|n| n.path.len())
        .map(|n| n.id))
}

/// A new account as the accounts page's form gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAccount {
    pub login_name: String,
    pub display_name: String,
    pub phone: String,
    pub role: String,
    /// The node the role is held on (a district's code for the operator, an id otherwise).
    pub place: String,
    /// The grid branch a 支部书记's role is held for (that role only).
    pub branch: String,
}

/// The node a form names: an id from the page's list, or (the operator) a district's code.
async fn place(db: &Db, place: &str) -> DomainResult<org_node::Model> {
    let place = place.trim();
    if place.is_empty() {
        return Err(DomainError::invalid("place", "required"));
    }
    let found = match Uuid::parse_str(place) {
        Ok(id) => shared::find_by_id::<org_node::Entity>(id).one(db).await?,
        Err(_) => {
            if place.len() > 12 || !place.chars().all(|c| c.is_ascii_digit()) {
                return Err(DomainError::invalid("place", "not_found"));
            }
            shared::find::<org_node::Entity>()
                .filter(org_node::Column::Code.eq(place))
                .one(db)
                .await?
        }
    };
    found.ok_or_else(|| DomainError::invalid("place", "not_found"))
}

/// Checks `role` on `place` is the viewer's to grant (a node they do not oversee reads as not
/// found, one they oversee at the wrong level as the wrong level).
async fn grantable(
    db: &Db,
    viewer: &Principal,
    role: &str,
    place_text: &str,
) -> DomainResult<(Role, org_node::Model)> {
    let role = Role::parse(role).ok_or_else(|| DomainError::invalid("role", "not_in_list"))?;
    let node = place(db, place_text).await?;
    if !viewer.may_grant(role, &node) {
        let sees = viewer.may_open(node.id, &node.path);
        return Err(if sees {
            DomainError::invalid("role", "not_yours_to_grant")
        } else {
            DomainError::invalid("place", "not_found")
        });
    }
    Ok((role, node))
}

/// Opens an account with a role the viewer grants; returns its id and the one-time password
/// to hand over (shown once, never stored in clear). Account and role land together or not.
pub async fn open_account(
    db: &Db,
    viewer: &Principal,
    input: &NewAccount,
) -> DomainResult<(Uuid, String)> {
    let (role, node) = grantable(db, viewer, &input.role, &input.place).await?;
    let branch = branch_for(db, viewer, role, &node, &input.branch).await?;
    let password = passwords::one_time();
    let (login, name, phone, once) = (
        input.login_name.clone(),
        input.display_name.clone(),
        input.phone.trim().to_owned(),
        password.clone(),
    );
    let account = tokio::task::spawn_blocking(move || {
        PreparedUser::new(NewUser {
            login_name: &login,
            phone: (!phone.is_empty()).then_some(phone.as_str()),
            display_name: &name,
            password: &once,
        })
        .map(PreparedUser::one_time)
    })
    .await
    .map_err(|_| DomainError::Internal)??;
    let tx = db.begin_shared().await?;
    let user_id = users::insert_opened(&tx, account).await?;
    hold(&tx, viewer, user_id, &node, role, branch).await?;
    audit::record(
        &tx,
        AuditEvent::new("account_opened", user_id.to_string())
            .actor(Some(viewer.user_id))
            .node(Some(node.id))
            .detail(serde_json::json!({ "role": role.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok((user_id, password))
}

/// Gives an existing account (by login name or phone) one more role the viewer grants: a
/// person with several roles keeps one login. Only an account that already holds a role in the
/// viewer's subtree is found (anyone else reads as no such account, so the form tells nothing
/// of logins elsewhere on the platform), and never the viewer's own.
pub async fn grant(
    db: &Db,
    viewer: &Principal,
    login: &str,
    role: &str,
    place_text: &str,
    branch: &str,
) -> DomainResult<Uuid> {
    let (role, node) = grantable(db, viewer, role, place_text).await?;
    let branch = branch_for(db, viewer, role, &node, branch).await?;
    let no_such = || DomainError::invalid("login", "no_such_account");
    let account = users::find_by_login(db, login).await?.ok_or_else(no_such)?;
    if account.id == viewer.user_id {
        return Err(DomainError::invalid("login", "own_account"));
    }
    let reach: Vec<String> = viewer
        .assignments
        .iter()
        .zip(&viewer.paths)
        .filter(|(a, _)| !viewer.grants_from(a.node.id).is_empty())
        .map(|(_, path)| path.clone())
        .collect();
    let theirs = shared::find::<role_assignment::Entity>()
        .filter(role_assignment::Column::UserId.eq(account.id))
        .all(db)
        .await?;
    if !nodes_of(db, &theirs)
        .await?
        .values()
        .any(|n| reach.iter().any(|path| n.path.starts_with(path.as_str())))
    {
        return Err(no_such());
    }
    let _forget = Principal::forget_after(db, account.id);
    let tx = db.begin_shared().await?;
    hold(&tx, viewer, account.id, &node, role, branch).await?;
    tx.commit().await?;
    Ok(account.id)
}

/// A community's grid branches (id, name), read as its staff.
async fn grid_branches(
    db: &Db,
    viewer: &Principal,
    community: Uuid,
) -> DomainResult<Vec<(Uuid, String)>> {
    let scope = viewer.manage_scope(db, community).await?;
    let tx = scope.read(db).await?;
    let branches = crate::org::placements::list_placements(&tx)
        .await?
        .into_iter()
        .filter(|u| u.kind == crate::org::placements::PlacementKind::GridBranch)
        .map(|u| (u.id, u.name))
        .collect();
    tx.commit().await?;
    Ok(branches)
}

/// The grid branch a 支部书记's role is to be held for, from the form: one of the community's
/// own branches (none for other roles).
async fn branch_for(
    db: &Db,
    viewer: &Principal,
    role: Role,
    community: &org_node::Model,
    branch: &str,
) -> DomainResult<Option<Uuid>> {
    if role != Role::BranchSecretary {
        return Ok(None);
    }
    let id =
        Uuid::parse_str(branch.trim()).map_err(|_| DomainError::invalid("branch", "required"))?;
    match grid_branches(db, viewer, community.id)
        .await?
        .iter()
        .any(|(b, _)| *b == id)
    {
        true => Ok(Some(id)),
        false => Err(DomainError::invalid("branch", "not_found")),
    }
}

/// Grants the checked role (a 支部书记's for their branch).
async fn hold(
    tx: &crate::tenancy::SharedTx,
    viewer: &Principal,
    user_id: Uuid,
    node: &org_node::Model,
    role: Role,
    branch: Option<Uuid>,
) -> DomainResult<()> {
    let by = Some(viewer.user_id);
    match branch {
        Some(branch) => users::grant_branch_in(tx, by, user_id, node.id, branch).await,
        None => users::grant_role_in(tx, by, user_id, node.id, role).await,
    }
}

/// Takes a role back (not one of the viewer's own). From the next request on, the account no
/// longer acts in that role; an account left with none can still sign in but sees nothing.
pub async fn revoke(db: &Db, viewer: &Principal, assignment: Uuid) -> DomainResult<()> {
    let held = shared::find_by_id::<role_assignment::Entity>(assignment)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if held.user_id == viewer.user_id {
        return Err(DomainError::invalid("role", "own_role"));
    }
    let on = node(db, held.node_id).await?;
    if !viewer.may_manage(held.role, &on) {
        return Err(DomainError::NotFound);
    }
    let _forget = Principal::forget_after(db, held.user_id);
    let tx = db.begin_shared().await?;
    shared::delete_many::<role_assignment::Entity>()
        .filter(role_assignment::Column::Id.eq(held.id))
        .exec(&tx)
        .await?;
    audit::record(
        &tx,
        AuditEvent::new("role_revoked", held.user_id.to_string())
            .actor(Some(viewer.user_id))
            .node(Some(on.id))
            .detail(serde_json::json!({ "role": held.role.as_str() })),
    )
    .await?;
    tx.commit().await
}

/// Deactivates (`active` false: it can no longer log in and its sessions end at once; history
/// keeps its name) or reactivates an account the viewer manages.
pub async fn set_active(
    db: &Db,
    viewer: &Principal,
    user_id: Uuid,
    active: bool,
) -> DomainResult<()> {
    let account = managed(db, viewer, user_id).await?;
    if account.active == active {
        return Ok(());
    }
    if active && !may_undo_deactivation(db, viewer, user_id).await? {
        return Err(DomainError::invalid("active", "deactivated_above"));
    }
    let _forget = (
        Principal::forget_after(db, user_id),
        crate::sessions::forget_all_after(db),
    );
    let tx = db.begin_shared().await?;
    shared::update_many::<user::Entity>()
        .col_expr(user::Column::Active, Expr::value(active))
        .filter(user::Column::Id.eq(user_id))
        .exec(&tx)
        .await?;
    if !active {
        account::end_sessions(&tx, user_id, None).await?;
    }
    let action = if active {
        "account_reactivated"
    } else {
        "account_deactivated"
    };
    audit::record(
        &tx,
        AuditEvent::new(action, user_id.to_string())
            .actor(Some(viewer.user_id))
            .node(home_of(&tx, user_id).await?),
    )
    .await?;
    tx.commit().await
}

/// A deactivation is undone only by whoever made it, a peer of theirs (the same role on the
/// same node) or someone who manages them: a lower level cannot reopen what the level above
/// closed.
async fn may_undo_deactivation(db: &Db, viewer: &Principal, user_id: Uuid) -> DomainResult<bool> {
    let last = shared::find::<audit_log::Entity>()
        .filter(audit_log::Column::Action.eq("account_deactivated"))
        .filter(audit_log::Column::Subject.eq(user_id.to_string()))
        .order_by_desc(audit_log::Column::At)
        .one(db)
        .await?;
    let Some(by) = last.and_then(|row| row.actor_user_id) else {
        return Ok(true);
    };
    if by == viewer.user_id {
        return Ok(true);
    }
    let theirs = shared::find::<role_assignment::Entity>()
        .filter(role_assignment::Column::UserId.eq(by))
        .all(db)
        .await?;
    let peer = theirs.iter().any(|t| {
        viewer
            .assignments
            .iter()
            .any(|a| a.role == t.role && a.node.id == t.node_id)
    });
    Ok(peer || manageable_among(db, viewer, &[by]).await?.contains(&by))
}

/// Resets a forgotten password: a new one-time password (returned, to hand over in person), to
/// be replaced at the next login; the account's sessions end.
pub async fn reset_password(db: &Db, viewer: &Principal, user_id: Uuid) -> DomainResult<String> {
    managed(db, viewer, user_id).await?;
    let password = passwords::one_time();
    let once = password.clone();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&once))
        .await
        .map_err(|_| DomainError::Internal)??;
    let _forget = (
        Principal::forget_after(db, user_id),
        crate::sessions::forget_all_after(db),
    );
    let tx = db.begin_shared().await?;
    shared::update_many::<user::Entity>()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(true))
        .filter(user::Column::Id.eq(user_id))
        .exec(&tx)
        .await?;
    account::end_sessions(&tx, user_id, None).await?;
    // A reset also lifts a pause on logins (the owner may have been guessing).
    tx.execute_sql(statement(
        tx.backend(),
        "DELETE FROM login_failures WHERE account_id = $1",
        vec![user_id.into()],
    ))
    .await?;
    audit::record(
        &tx,
        AuditEvent::new("password_reset", user_id.to_string())
            .actor(Some(viewer.user_id))
            .node(home_of(&tx, user_id).await?),
    )
    .await?;
    tx.commit().await?;
    Ok(password)
}
