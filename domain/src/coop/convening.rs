//! What meetings and their resolutions share: who convenes at which level, which meetings a
//! viewer sees, the names a viewer acts under, and whom a convener may invite or assign.
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{partners, CoopTx, Viewer};
use crate::entities::{
    community_unit, coop_meeting, coop_meeting_invitee, coop_unit, org_node, user,
};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{InviteeKind, PlacementKind, Role};
use crate::tenancy::{shared, TenantTx};

/// The community a meeting belongs to, or none for the street's: the viewer's convening level.
/// Members and liaisons convene nothing.
pub(crate) fn convening_level(tx: &CoopTx) -> DomainResult<Option<Uuid>> {
    match (tx.viewer(), tx.tx().role()) {
        (Viewer::Street, Role::StreetStaff) => Ok(None),
        (Viewer::Community(c), role) if role != Role::Member => Ok(Some(c)),
        _ => Err(DomainError::Forbidden),
    }
}

/// Whether the viewer convenes this meeting.
pub(crate) fn convenes(tx: &CoopTx, meeting: &coop_meeting::Model) -> bool {
    convening_level(tx).is_ok_and(|level| level == meeting.community_id)
}

/// The meetings the viewer convenes (none for a unit's liaison or a member).
pub(crate) async fn convened_meetings(tx: &CoopTx) -> DomainResult<Vec<coop_meeting::Model>> {
    let Ok(level) = convening_level(tx) else {
        return Ok(Vec::new());
    };
    let select = tx.tx().find::<coop_meeting::Entity>();
    let select = match level {
        None => select.filter(coop_meeting::Column::CommunityId.is_null()),
        Some(c) => select.filter(coop_meeting::Column::CommunityId.eq(c)),
    };
    select.all(tx.tx()).await
}

/// The meetings the viewer may see: the ones they convene and the ones they are invited to.
pub(crate) async fn visible_meetings(tx: &CoopTx) -> DomainResult<Vec<coop_meeting::Model>> {
    let invited = |column: coop_meeting_invitee::Column, id: Uuid| {
        tx.tx()
            .find::<coop_meeting_invitee::Entity>()
            .filter(column.eq(id))
    };
    let (own_level, invitations) = match (tx.viewer(), tx.tx().role()) {
        (Viewer::Street, _) => (Some(None), None),
        (Viewer::Community(_), Role::Member) => return Err(DomainError::Forbidden),
        (Viewer::Community(c), _) => (
            Some(Some(c)),
            Some(
                invited(coop_meeting_invitee::Column::CommunityId, c)
                    .filter(coop_meeting_invitee::Column::Kind.eq(InviteeKind::Community.as_str())),
            ),
        ),
        (Viewer::Unit(u), _) => (None, Some(invited(coop_meeting_invitee::Column::UnitId, u))),
    };
    let invited_to: Vec<Uuid> = match invitations {
        Some(select) => select
            .all(tx.tx())
            .await?
            .into_iter()
            .map(|i| i.meeting_id)
            .collect(),
        None => Vec::new(),
    };
    let mut any = sea_orm::Condition::any().add(coop_meeting::Column::Id.is_in(invited_to));
    match own_level {
        Some(None) => any = any.add(coop_meeting::Column::CommunityId.is_null()),
        Some(Some(c)) => any = any.add(coop_meeting::Column::CommunityId.eq(c)),
        None => {}
    }
    tx.tx()
        .find::<coop_meeting::Entity>()
        .filter(any)
        .order_by_desc(coop_meeting::Column::HeldOn)
        .order_by_desc(coop_meeting::Column::StartsAt)
        .all(tx.tx())
        .await
}

/// One meeting the viewer may see, or not found.
pub(crate) async fn visible_meeting(tx: &CoopTx, id: Uuid) -> DomainResult<coop_meeting::Model> {
    visible_meetings(tx)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(DomainError::NotFound)
}

/// One meeting the viewer convenes; seen but not convened is forbidden.
pub(crate) async fn convened_meeting(tx: &CoopTx, id: Uuid) -> DomainResult<coop_meeting::Model> {
    let meeting = visible_meeting(tx, id).await?;
    if !convenes(tx, &meeting) {
        return Err(DomainError::Forbidden);
    }
    Ok(meeting)
}

/// Minutes close a meeting's record: nothing about its plan changes afterwards.
pub(crate) fn ensure_open(meeting: &coop_meeting::Model) -> DomainResult<()> {
    match meeting.minutes_on {
        Some(_) => Err(DomainError::invalid("meeting", "minutes_recorded")),
        None => Ok(()),
    }
}

/// The name the viewer acts under: their street's, community's or unit's.
pub(crate) async fn viewer_org_name(tx: &CoopTx) -> DomainResult<String> {
    let name = match tx.viewer() {
        Viewer::Street => shared::find::<org_node::Entity>()
            .filter(org_node::Column::Id.eq(tx.street_id()))
            .one(tx.tx())
            .await?
            .map(|n| n.name),
        Viewer::Community(c) => shared::find::<org_node::Entity>()
            .filter(org_node::Column::Id.eq(c))
            .one(tx.tx())
            .await?
            .map(|n| n.name),
        Viewer::Unit(u) => tx
            .tx()
            .find::<coop_unit::Entity>()
            .filter(coop_unit::Column::Id.eq(u))
            .one(tx.tx())
            .await?
            .map(|u| u.name),
    };
    name.ok_or(DomainError::NotFound)
}

/// The acting user's display name.
pub(crate) async fn actor_name(tx: &CoopTx) -> DomainResult<String> {
    Ok(shared::find::<user::Entity>()
        .filter(user::Column::Id.eq(tx.tx().actor_user_id()))
        .one(tx.tx())
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default())
}

/// What the convener may invite.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteChoices {
    pub units: Vec<(Uuid, String)>,
    /// The street's communities (street meetings).
    pub communities: Vec<(Uuid, String)>,
    /// The community's grid branches (community meetings).
    pub branches: Vec<(Uuid, String)>,
}

/// The units, communities and branches the viewer may invite to meetings at their level.
pub async fn invite_choices(tx: &CoopTx) -> DomainResult<InviteChoices> {
    let level = convening_level(tx)?;
    // A street invites its units; a community only the units paired with it (what `units`
    // shows each of them).
    let units = partners(tx)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(match level {
        None => InviteChoices {
            units,
            communities: crate::coop::street_communities(tx).await?,
            branches: Vec::new(),
        },
        Some(community) => InviteChoices {
            units,
            communities: Vec::new(),
            branches: grid_branches(tx, community).await?,
        },
    })
}

/// The community's grid branches, read in the community's own tenant inside this transaction.
async fn grid_branches(tx: &CoopTx, community: Uuid) -> DomainResult<Vec<(Uuid, String)>> {
    let rows = tx
        .tx()
        .in_tenant(community, async |own: &TenantTx| {
            own.find::<community_unit::Entity>()
                .filter(community_unit::Column::Kind.eq(PlacementKind::GridBranch.as_str()))
                .all(own)
                .await
        })
        .await?;
    let mut branches: Vec<(Uuid, String)> = rows.into_iter().map(|b| (b.id, b.name)).collect();
    crate::collate::sort_by_label(&mut branches, |b| &b.1);
    Ok(branches)
}
