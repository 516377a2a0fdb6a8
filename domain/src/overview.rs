//! What one org node's page shows to one principal: detail for its own tenant, aggregates for
//! nodes below, nothing for anything else.
use crate::tenancy::recent::NodeRead;
use crate::tenancy::{Commit, TenantScope};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::{NodeAccess, Principal, Role};
use crate::coop;
use crate::db::Db;
use crate::entities::org_node;
use crate::error::{DomainError, DomainResult};
use crate::members::{self, MemberEvent, MemberRow};
use crate::org::placements::Placement;
use crate::org::{path_ids, NodeKind, NodeSummary};
use crate::reporting::{self, Post, Report};
use crate::rollup::{self, ChildFigures, ChildOrgLife, Figures, MemberBreakdown, OrgLifeFigures};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crumb {
    pub node: NodeSummary,
    /// False for ancestors the viewer may not open (shown as plain text).
    pub linked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeView {
    /// A district, street or grouping node: figures for each child (aggregates only).
    Overview {
        totals: Figures,
        breakdown: MemberBreakdown,
        children: Vec<ChildFigures>,
        /// 三会一课: grid branches and those behind, in all and per child.
        org_life: OrgLifeFigures,
        org_life_children: Vec<ChildOrgLife>,
    },
    /// A community seen by its own staff: its detail records.
    Community {
        members: u64,
        units: Vec<Placement>,
        /// Whether the viewer may change the roster and the units (secretary or worker).
        can_edit: bool,
        /// The grid branch a 支部书记 works in: the page shows that branch's part only.
        branch: Option<Uuid>,
    },
    /// A community seen from above: aggregates only.
    CommunityFigures {
        totals: Figures,
        breakdown: MemberBreakdown,
        org_life: OrgLifeFigures,
    },
    /// A street seen by a unit's liaison: their unit (none until the street links the account).
    LiaisonHome { unit: Option<coop::PartnerSummary> },
    /// A community seen by the liaison of a unit paired with it: where they run activities.
    PairedCommunity { unit_name: String },
    /// A community seen by one of its members: their own record.
    MemberHome {
        me: Option<Box<MemberRow>>,
        history: Vec<MemberEvent>,
        /// 双报到: the member's report, and the active posts to pick from.
        report: Option<Report>,
        posts: Vec<Post>,
        /// Their last proposed changes to their own details, newest first.
        proposals: Vec<members::Proposal>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodePage {
    pub node: NodeSummary,
    pub crumbs: Vec<Crumb>,
    /// True when the viewer works at this node (detail records), false for a rolled-up view.
    pub own_tenant: bool,
    pub view: NodeView,
}

pub async fn node_page(db: &Db, principal: &Principal, node_id: Uuid) -> DomainResult<NodePage> {
    let access = principal.access(db, node_id).await?;
    let (node, crumbs) = head(db, principal, node_id).await?;
    let (own_tenant, view) = node_view(db, principal, access, &node).await?;
    Ok(NodePage {
        node,
        crumbs,
        own_tenant,
        view,
    })
}

/// What the node's page shows under the access the principal holds there, and whether that
/// is the viewer's own tenant (detail records) rather than a rolled-up view.
pub async fn node_view(
    db: &Db,
    principal: &Principal,
    access: NodeAccess,
    summary: &NodeSummary,
) -> DomainResult<(bool, NodeView)> {
    let node_id = summary.id;
    Ok(match access {
        NodeAccess::Manage { scope, rollup } => {
            let view = if summary.kind == NodeKind::Community {
                community_home(db, &scope).await?
            } else {
                overview(db, &rollup).await?
            };
            (true, view)
        }
        NodeAccess::Rollup { rollup } => {
            let view = if summary.kind == NodeKind::Community {
                // The overview's own part (a community has no child nodes).
                let o = rollup::overview(db, &rollup, chrono::Utc::now()).await?;
                NodeView::CommunityFigures {
                    totals: o.totals,
                    breakdown: o.breakdown,
                    org_life: o.org_life,
                }
            } else {
                overview(db, &rollup).await?
            };
            (false, view)
        }
        NodeAccess::Paired { unit_name, .. } => (false, NodeView::PairedCommunity { unit_name }),
        NodeAccess::Own { .. } if summary.kind == NodeKind::Street => {
            let unit = match principal.coop_scope(db, node_id).await {
                Ok(coop) => {
                    let tx = coop.read(db).await?;
                    let unit = coop::partners(&tx).await?.into_iter().next();
                    tx.commit().await?;
                    unit
                }
                Err(DomainError::Forbidden) => None,
                Err(err) => return Err(err),
            };
            (true, NodeView::LiaisonHome { unit })
        }
        NodeAccess::Own { scope } => {
            let tx = scope.read(db).await?;
            // The member's record read once for the page (the account may have none here).
            let (me, history, proposals, report) = match members::home(&tx).await? {
                Some(home) => {
                    let report = reporting::report_for(&tx, home.me.id).await?;
                    (
                        Some(Box::new(home.me)),
                        home.history,
                        home.proposals,
                        report,
                    )
                }
                None => (None, Vec::new(), Vec::new(), None),
            };
            let posts = reporting::posts(&tx).await?;
            tx.commit().await?;
            let posts = posts.into_iter().filter(|p| p.active).collect();
            let view = NodeView::MemberHome {
                me,
                history,
                report,
                posts,
                proposals,
            };
            (true, view)
        }
    })
}

/// A community's home for its staff (the part a 支部书记 sees, for them), kept in memory until
/// something is written in the community: every visit of its staff opens it.
async fn community_home(db: &Db, scope: &TenantScope) -> DomainResult<NodeView> {
    let key = NodeRead {
        node: scope.tenant_id(),
        what: "community.home",
        whom: Some((scope.branch_id().unwrap_or(scope.tenant_id()), scope.role())),
        day: chrono::NaiveDate::MIN,
    };
    db.kept(key, async {
        let tx = scope.read(db).await?;
        let reach = members::reach(&tx).await?;
        let units = members::placements_in_reach(&tx).await?;
        let view = NodeView::Community {
            members: members::count_in_reach(&tx).await?,
            units,
            can_edit: matches!(
                scope.role(),
                Role::CommunitySecretary | Role::CommunityWorker
            ),
            branch: reach.branch(),
        };
        tx.commit().await?;
        Ok(view)
    })
    .await
}

async fn overview(db: &Db, scope: &rollup::RollupScope) -> DomainResult<NodeView> {
    let o = rollup::overview(db, scope, chrono::Utc::now()).await?;
    Ok(NodeView::Overview {
        totals: o.totals,
        breakdown: o.breakdown,
        children: o.children,
        org_life: o.org_life,
        org_life_children: o.org_life_children,
    })
}

/// The node and its crumbs, for pages that show other figures of it (the dashboard); the
/// caller has checked access.
pub async fn head(
    db: &Db,
    principal: &Principal,
    node_id: Uuid,
) -> DomainResult<(NodeSummary, Vec<Crumb>)> {
    let node = db.node(node_id).await?.ok_or(DomainError::NotFound)?;
    let crumbs = crumbs(db, principal, &node).await?;
    Ok((NodeSummary::from(&node), crumbs))
}

/// Ancestors from the district down (the levels a user works at), then the node itself.
async fn crumbs(
    db: &Db,
    principal: &Principal,
    node: &org_node::Model,
) -> DomainResult<Vec<Crumb>> {
    let ids = path_ids(&node.path);
    let nodes = db.nodes(&ids).await?;
    let mut out = Vec::new();
    for id in ids {
        let Some(ancestor) = nodes.iter().find(|n| n.id == id) else {
            continue;
        };
        let summary = NodeSummary::from(ancestor);
        if !summary.kind.is_tenant() {
            continue;
        }
        let linked = principal.may_open(ancestor.id, &ancestor.path);
        out.push(Crumb {
            node: summary,
            linked,
        });
    }
    Ok(out)
}
